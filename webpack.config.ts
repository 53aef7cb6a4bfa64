// Builds the SPA into dist/client (content-hashed, minified, source maps, lazy pages) and runs the dev server.
import 'webpack-dev-server';
import { EsbuildPlugin } from 'esbuild-loader';
import HtmlWebpackPlugin from 'html-webpack-plugin';
import MiniCssExtractPlugin from 'mini-css-extract-plugin';
import { resolve } from 'node:path';
import type { Configuration } from 'webpack';
import { resolveEnv } from './config/envFile';
import { EMULATOR_DEFAULTS } from './config/emulatorDefaults';
import { loadConfig } from './config/loadConfig';

const root = import.meta.dirname;
const TARGET = 'es2020';

export default (env: Record<string, string | boolean | undefined>, argv: { mode?: Configuration['mode'] }): Configuration => {
  const production = argv.mode === 'production';
  const serving = Boolean(env.WEBPACK_SERVE);
  // Only the dev server needs the BFF's port; a production build must not depend on the server's secrets being set.
  const bffPort = serving ? loadConfig(resolveEnv(process.env, resolve(root, '.env'))).server.port : EMULATOR_DEFAULTS.bffPort;
  const hashed = production ? '.[contenthash:8]' : '';

  return {
    mode: production ? 'production' : 'development',
    context: root,
    entry: { main: './client/main.tsx' },
    output: {
      path: resolve(root, 'dist/client'),
      publicPath: '/',
      filename: `[name]${hashed}.js`,
      chunkFilename: `[name]${hashed}.js`,
      assetModuleFilename: `assets/[name]${hashed}[ext]`,
      clean: true,
    },
    // No eval-based maps: they would need 'unsafe-eval', which the BFF's CSP rightly refuses. Production maps are
    // hidden (no sourceMappingURL; for an error tracker) and the BFF never serves *.map.
    devtool: production ? 'hidden-source-map' : 'cheap-module-source-map',
    resolve: { extensions: ['.tsx', '.ts', '.js', '.mjs'] },
    module: {
      rules: [
        {
          test: /\.[cm]?tsx?$/,
          exclude: /node_modules/,
          loader: 'esbuild-loader',
          options: { loader: 'tsx', target: TARGET, jsx: 'automatic' },
        },
        {
          test: /\.css$/,
          use: [MiniCssExtractPlugin.loader, { loader: 'css-loader', options: { importLoaders: 0 } }],
        },
      ],
    },
    plugins: [
      new HtmlWebpackPlugin({
        template: './client/index.html',
        inject: 'head',
        scriptLoading: 'defer',
        // Keep comments: the BFF replaces the <!--BFF_BOOTSTRAP--> marker with the payload.
        minify: production ? { collapseWhitespace: true, removeComments: false } : false,
      }),
      // A stylesheet file, never an inline <style>: the BFF's CSP has style-src 'self'.
      new MiniCssExtractPlugin({ filename: `[name]${hashed}.css`, chunkFilename: `[name]${hashed}.css` }),
    ],
    optimization: {
      minimize: production,
      minimizer: [new EsbuildPlugin({ target: TARGET, css: true, legalComments: 'none' })],
      splitChunks: {
        chunks: 'all',
        // Libraries change less often than the app: their own long-cached file.
        cacheGroups: { vendors: { test: /[\\/]node_modules[\\/]/, name: 'vendors', chunks: 'initial', priority: -10 } },
      },
      runtimeChunk: 'single',
    },
    // Budgets a little above today's size (React DOM + msal-browser dominate), so growth is noticed.
    performance: { hints: production ? 'warning' : false, maxEntrypointSize: 700_000, maxAssetSize: 660_000 },
    devServer: {
      port: EMULATOR_DEFAULTS.devServerPort,
      hot: true,
      historyApiFallback: true,
      // No changeOrigin: the BFF must see the browser's Host to build its redirect URIs and cookies.
      proxy: [{ context: ['/auth', '/api'], target: `http://localhost:${bffPort}` }],
      client: { overlay: { errors: true, warnings: false } },
    },
  };
};
