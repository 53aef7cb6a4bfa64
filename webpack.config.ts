// Builds the SPA into dist/client (content-hashed, minified, source maps, lazy pages) and runs the dev server
// (React Fast Refresh). Run through scripts/webpack.ts (`npm run build:client`, `npm run dev:client`).
import 'webpack-dev-server';
import ReactRefreshPlugin from '@pmmmwh/react-refresh-webpack-plugin';
import CompressionPlugin from 'compression-webpack-plugin';
import { EsbuildPlugin } from 'esbuild-loader';
import HtmlWebpackPlugin from 'html-webpack-plugin';
import MiniCssExtractPlugin from 'mini-css-extract-plugin';
import { resolve } from 'node:path';
import { constants as zlib, type BrotliOptions } from 'node:zlib';
import type { Compiler, Configuration } from 'webpack';
import { resolveEnv } from './config/envFile';
import { EMULATOR_DEFAULTS } from './config/emulatorDefaults';
import { loadConfig } from './config/loadConfig';

const root = import.meta.dirname;
const TARGET = 'es2020';
/** The built files the BFF can serve precompressed (not the per-request index.html). */
const PRECOMPRESSED = /\.(js|css|svg)$/;

export default (
  env: Record<string, string | boolean | undefined>,
  argv: { mode?: Configuration['mode'] },
): Configuration => {
  const production = argv.mode === 'production';
  const serving = Boolean(env.WEBPACK_SERVE);
  // Fast Refresh only under the dev server: it needs the HMR runtime, and a build must stay free of refresh code.
  const refresh = serving && !production;
  // Only the dev server needs the settings; a production build must not depend on the server's secrets being set.
  const config = serving ? loadConfig(resolveEnv(process.env, resolve(root, '.env'))) : null;
  const bff = config?.server ?? { host: EMULATOR_DEFAULTS.host, port: EMULATOR_DEFAULTS.bffPort };
  const dev = config?.devServer ?? { host: '127.0.0.1', port: EMULATOR_DEFAULTS.devServerPort };
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
        production
          ? {
              test: /\.[cm]?tsx?$/,
              exclude: /node_modules/,
              loader: 'esbuild-loader',
              options: { loader: 'tsx', target: TARGET, jsx: 'automatic' },
            }
          : {
              // swc adds the React Refresh registrations esbuild cannot; rebuilding one edited file takes well under a second.
              test: /\.[cm]?tsx?$/,
              exclude: /node_modules/,
              loader: 'swc-loader',
              options: {
                jsc: {
                  parser: { syntax: 'typescript', tsx: true },
                  target: TARGET,
                  transform: { react: { runtime: 'automatic', development: true, refresh } },
                },
              },
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
        favicon: './client/favicon.svg',
        inject: 'head',
        scriptLoading: 'defer',
        // Keep comments: the BFF replaces the <!--BFF_BOOTSTRAP--> marker with the payload.
        minify: production ? { collapseWhitespace: true, removeComments: false } : false,
      }),
      // A stylesheet file, never an inline <style>: the BFF's CSP has style-src 'self'.
      new MiniCssExtractPlugin({ filename: `[name]${hashed}.css`, chunkFilename: `[name]${hashed}.css` }),
      new PreloadChunkGroupPlugin('app'),
      // The dev server's overlay already shows build errors; the plugin's own overlay would show them twice.
      ...(refresh ? [new ReactRefreshPlugin({ overlay: false })] : []),
      // Precompressed copies (x.js.br, x.js.gz) for the BFF's static files to serve by Accept-Encoding: the best
      // compression once at build time instead of none (or a cheap level) per request. Not index.html: the BFF renders
      // it per request with the bootstrap payload and is never compressed (no BREACH oracle on the spa code).
      ...(production
        ? [
            new CompressionPlugin<BrotliOptions>({
              filename: '[path][base].br',
              algorithm: 'brotliCompress',
              test: PRECOMPRESSED,
              compressionOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY } },
              threshold: 1024,
              minRatio: 0.9,
            }),
            new CompressionPlugin({
              filename: '[path][base].gz',
              algorithm: 'gzip',
              test: PRECOMPRESSED,
              compressionOptions: { level: 9 },
              threshold: 1024,
              minRatio: 0.9,
            }),
          ]
        : []),
    ],
    optimization: {
      minimize: production,
      minimizer: [new EsbuildPlugin({ target: TARGET, css: true, legalComments: 'none' })],
      splitChunks: {
        chunks: 'all',
        // Libraries change less often than the app: their own long-cached files. The initial ones (React) paint the
        // shell; msal-browser (the largest) and the store's libraries come with the preloaded app chunk.
        cacheGroups: {
          vendors: { test: /[\\/]node_modules[\\/]/, name: 'vendors', chunks: 'initial', priority: -10 },
          msal: { test: /[\\/]node_modules[\\/]@azure[\\/]msal-/, name: 'msal', chunks: 'async', priority: 10 },
          appVendors: { test: /[\\/]node_modules[\\/]/, name: 'app-vendors', chunks: 'async', priority: 0 },
        },
      },
      runtimeChunk: 'single',
    },
    // Budgets a little above today's size (the entry is React DOM + the shell; msal-browser is the largest asset), so
    // growth is noticed.
    performance: { hints: production ? 'warning' : false, maxEntrypointSize: 260_000, maxAssetSize: 360_000 },
    devServer: {
      host: dev.host,
      port: dev.port,
      hot: true,
      historyApiFallback: true,
      // No changeOrigin: the BFF must see the browser's Host to build its redirect URIs and cookies.
      proxy: [{ context: ['/auth', '/api'], target: `http://${proxyHost(bff.host)}:${bff.port}` }],
      // The HMR socket goes to wherever the page came from (localhost or an address), not to the bind address: the
      // dev server refuses a socket whose Origin differs from its Host.
      client: { overlay: { errors: true, warnings: false }, webSocketURL: 'auto://0.0.0.0:0/ws' },
    },
  };
};

/** Where the proxy reaches the BFF: a wildcard bind address is not a destination, so use loopback for it. */
function proxyHost(bindHost: string): string {
  if (bindHost === '0.0.0.0' || bindHost === '::' || bindHost === '') return '127.0.0.1';
  return bindHost.includes(':') ? `[${bindHost}]` : bindHost;
}

/**
 * Adds `<link rel="preload" as="script">` to index.html for every chunk of the named import() chunk group, so the
 * browser fetches them in parallel with the entry instead of after it has run (no extra round trip before the spa code
 * can be redeemed). `fetchpriority="low"`: the entry's scripts paint the shell and should win the bandwidth (measured:
 * first paint 5.4–5.6 s vs 7.4 s with default-priority preloads, Slow 4G). No `crossorigin`: webpack's chunk <script> tags
 * have none, and the preload is only reused when the two match.
 */
class PreloadChunkGroupPlugin {
  constructor(private readonly groupName: string) {}

  apply(compiler: Compiler): void {
    compiler.hooks.compilation.tap('PreloadChunkGroupPlugin', (compilation) => {
      HtmlWebpackPlugin.getHooks(compilation).alterAssetTagGroups.tap('PreloadChunkGroupPlugin', (data) => {
        const group = compilation.namedChunkGroups.get(this.groupName);
        if (!group) throw new Error(`PreloadChunkGroupPlugin: no import() chunk group named "${this.groupName}"`);
        const publicPath = data.publicPath.endsWith('/') ? data.publicPath : `${data.publicPath}/`;
        const files = group.chunks.flatMap((chunk) => [...chunk.files].filter((f) => f.endsWith('.js')));
        data.headTags.push(
          ...files.map((file) =>
            HtmlWebpackPlugin.createHtmlTagObject('link', {
              rel: 'preload',
              as: 'script',
              fetchpriority: 'low',
              href: `${publicPath}${file}`,
            }),
          ),
        );
        return data;
      });
    });
  }
}
