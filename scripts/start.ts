// npm start / npm run dev: builds the SPA when it is stale, starts the local emulator (unless real Entra settings are
// configured) and the BFF, prints where to go and who to sign in as; Ctrl-C stops everything cleanly.
//   tsx scripts/withEmulatorCa.ts --dotenv .env tsx scripts/start.ts [--dev]
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveEnv } from '../config/envFile';
import { loadConfig } from '../config/loadConfig';
import { loadConfigOrExit } from '../config/loadConfigOrExit';
import { createLogger } from '../bff/http/logger';
import { startBff, type RunningBff } from '../bff/server';
import { startEmulator, type RunningEmulator } from '../emulator/index';
import { ensureSpaBuilt, SpaBuildError } from './lib/ensureSpaBuilt';

const rootDir = fileURLToPath(new URL('..', import.meta.url));
const dev = process.argv.includes('--dev');

/** Rebuilds dist/client when any client source is newer than the built index.html. */
function ensureClientBuilt(distDir: string): void {
  try {
    ensureSpaBuilt({
      rootDir,
      distDir,
      showOutput: true,
      onBuild: (reason) =>
        console.log(reason === 'stale' ? 'The SPA sources changed: rebuilding…' : 'Building the SPA (first run)…'),
    });
  } catch (err) {
    if (!(err instanceof SpaBuildError)) throw err;
    console.error('The SPA build failed; see the output above.');
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const env = resolveEnv(process.env, join(rootDir, '.env'));
  const config = loadConfigOrExit(() => {
    const loaded = loadConfig(env, { rootDir });
    // Under `npm run dev` the browser talks to webpack-dev-server, which proxies /auth and /api to the BFF.
    if (!dev || env.PUBLIC_URL) return loaded;
    return loadConfig({ ...env, PUBLIC_URL: `http://localhost:${loaded.devServer.port}` }, { rootDir });
  });

  let emulator: RunningEmulator | null = null;
  if (config.mode === 'emulator') {
    try {
      emulator = await startEmulator({
        rootDir,
        ports: config.emulator.ports,
        ...(env.EMULATOR_CONFIG ? { configPath: resolve(rootDir, env.EMULATOR_CONFIG) } : {}),
        ...(env.EMULATOR_STATE_DIR ? { persistDir: resolve(rootDir, env.EMULATOR_STATE_DIR) } : {}),
        // The app registration's redirect, post-logout and front-channel logout URLs follow the BFF's real PUBLIC_URL/PORT.
        variables: { ...env, PUBLIC_URL: config.server.publicUrl },
        logger: (line) => console.log(`[emulator] ${line}`),
      });
    } catch (err) {
      console.error((err as Error).message);
      process.exit(1);
    }
    // msal-node's managed-identity source reads these from the environment (App Service protocol).
    process.env.IDENTITY_ENDPOINT = emulator.urls.identityEndpoint;
    process.env.IDENTITY_HEADER = emulator.identityHeader;
  }
  if (!dev) ensureClientBuilt(config.server.clientDistDir);

  const log = createLogger(config.log.level);
  let bff: RunningBff;
  try {
    // The dev server owns the public port; the BFF stays on its own port behind the proxy.
    bff = await startBff(config, log);
  } catch (err) {
    console.error((err as Error).message);
    await emulator?.close();
    process.exit(1);
  }

  let devServer: ChildProcess | null = null;
  if (dev) devServer = spawn('npm', ['run', '--silent', 'dev:client'], { cwd: rootDir, stdio: 'inherit' });

  const users = emulator?.seed.users ?? [];
  console.log(
    [
      '',
      `Open ${config.server.publicUrl}${users.length ? ` — sign in as ${users[0]!.displayName} (${users[0]!.username}) or another demo user:` : ''}`,
      ...users.map(
        (u) =>
          `    ${u.username.padEnd(28)} ${u.displayName}${u.personal ? '   (personal account: no hybrid spa code)' : ''}`,
      ),
      emulator
        ? `Identity provider: local emulator at ${emulator.urls.instance} (self-signed; see README "Trusting the emulator's certificate")`
        : `Identity provider: ${config.entra.authority}`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    devServer?.kill('SIGTERM');
    await bff.close(5_000);
    await emulator?.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

void main();
