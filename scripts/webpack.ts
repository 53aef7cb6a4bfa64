// Runs webpack through its Node API (no webpack-cli: its v7 needs Node 22.15+, the project supports Node 20.19+).
//   node --import tsx scripts/webpack.ts build           production build into dist/client
//   node --import tsx scripts/webpack.ts serve           webpack-dev-server with React Fast Refresh (DEV_SERVER_HOST/PORT)
// Each rebuild in serve mode prints one line `[webpack] rebuilt in N ms (M modules)` (the e2e test and docs read it).
import webpack, { type Configuration, type Stats } from 'webpack';
import WebpackDevServer from 'webpack-dev-server';
import createConfig from '../webpack.config';

const command = process.argv[2];

function compile(config: Configuration): Promise<Stats> {
  return new Promise((resolve, reject) => {
    webpack(config, (err, stats) => {
      if (err || !stats) reject(err ?? new Error('webpack returned no stats'));
      else resolve(stats);
    });
  });
}

async function build(): Promise<void> {
  const stats = await compile(createConfig({}, { mode: 'production' }));
  console.log(
    stats.toString({ colors: process.stdout.isTTY, preset: 'summary', assets: true, warnings: true, errors: true }),
  );
  if (stats.hasErrors()) process.exit(1);
}

async function serve(): Promise<void> {
  const config = createConfig({ WEBPACK_SERVE: true }, { mode: 'development' });
  const compiler = webpack({ ...config, devServer: undefined });
  let first = true;
  compiler.hooks.done.tap('rebuild-time', (stats) => {
    const { startTime = 0, endTime = 0 } = stats;
    const modules = stats.compilation.modules.size;
    const what = first ? 'built' : 'rebuilt';
    first = false;
    if (stats.hasErrors()) console.error(stats.toString({ preset: 'errors-only', colors: process.stderr.isTTY }));
    console.log(
      `[webpack] ${what} in ${endTime - startTime} ms (${modules} modules)${stats.hasErrors() ? ' with errors' : ''}`,
    );
  });
  const server = new WebpackDevServer(config.devServer, compiler);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await server.start();
}

if (command === 'build') await build();
else if (command === 'serve') await serve();
else {
  console.error('usage: node --import tsx scripts/webpack.ts build|serve');
  process.exit(64);
}
