// Standalone entry (`npm run emulator [-- --config file.json] [--state-dir dir]`): starts the emulator on the
// configured ports and stops on SIGINT/SIGTERM. EMULATOR_CONFIG and EMULATOR_STATE_DIR are the environment forms.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { resolveEnv } from '../config/envFile';
import { loadConfig } from '../config/loadConfig';
import { startEmulator } from './index';

const USAGE = `Usage: npm run emulator -- [--config <file.json>] [--state-dir <dir>] [--test-hooks]
  --config      emulator config file (default: EMULATOR_CONFIG, else emulator/demo.config.json); see docs/emulator.md
  --state-dir   keep everything the protocol and the admin API change (sessions, tokens, consents, mail, roles,
                revocations, vault certificate versions, ...) there across restarts
                (default: EMULATOR_STATE_DIR, else in memory only)
  --test-hooks  enable /_emulator/* (faults, clock, outbox); also EMULATOR_TEST_HOOKS=1`;

async function main(): Promise<void> {
  const rootDir = fileURLToPath(new URL('..', import.meta.url));
  let args;
  try {
    args = parseArgs({
      options: {
        config: { type: 'string' },
        'state-dir': { type: 'string' },
        'test-hooks': { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
    }).values;
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(64);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const env = resolveEnv(process.env, resolve(rootDir, '.env'));
  // Only the emulator ports and the BFF's public URL matter here; force emulator mode so a real-Entra .env still yields them.
  const config = loadConfig(
    { ...env, AUTH_MODE: 'emulator', NODE_ENV: env.NODE_ENV === 'production' ? 'development' : env.NODE_ENV },
    { rootDir },
  );
  const configPath = args.config ?? env.EMULATOR_CONFIG;
  const persistDir = args['state-dir'] ?? env.EMULATOR_STATE_DIR;
  const testHooks =
    args['test-hooks'] === true || env.EMULATOR_TEST_HOOKS === '1' || env.EMULATOR_TEST_HOOKS === 'true';
  const emulator = await startEmulator({
    rootDir,
    ports: config.emulator.ports,
    ...(configPath ? { configPath: resolve(process.cwd(), configPath) } : {}),
    ...(persistDir ? { persistDir: resolve(process.cwd(), persistDir) } : {}),
    // A config may use any environment variable; PUBLIC_URL defaults to the BFF's (http://localhost:$PORT).
    variables: { ...env, PUBLIC_URL: config.server.publicUrl },
    testHooks,
    logger: (line) => console.log(`[emulator] ${line}`),
  });
  const { urls } = emulator;
  console.log(
    [
      'Entra ID emulator is running (loopback only):',
      `  config             ${configPath ?? 'emulator/demo.config.json (built-in demo)'}`,
      `  state              ${persistDir ? `kept in ${persistDir}` : 'in memory (use --state-dir to keep it)'}`,
      `  authority          ${urls.authority}`,
      `  graph              ${urls.graph}`,
      `  key vault          ${urls.keyVault}`,
      `  managed identity   ${urls.identityEndpoint}  (IDENTITY_HEADER=${emulator.identityHeader})`,
      ...emulator.seed.apps.map((a) => `  app                ${a.clientId}  ${a.displayName}`),
      `  CA certificate     ${emulator.certificates.paths.caCert}  (NODE_EXTRA_CA_CERTS)`,
      `  Chromium flag      --ignore-certificate-errors-spki-list=${emulator.spkiHash}`,
      `  test hooks         ${testHooks ? 'on (/_emulator/*)' : 'off'}`,
      'Users (pick one on the sign-in page; no password):',
      ...emulator.seed.users.map(
        (u) => `  ${u.username.padEnd(30)} ${u.displayName}${u.personal ? '  (personal account: no spa_code)' : ''}`,
      ),
    ].join('\n'),
  );
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`[emulator] ${signal}: shutting down`);
    emulator.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`[emulator] failed to start: ${(err as Error).message}`);
  process.exit(1);
});
