// Standalone entry (`tsx emulator/main.ts`): starts the emulator on the configured ports and stops on SIGINT/SIGTERM.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveEnv } from '../config/envFile';
import { loadConfig } from '../config/loadConfig';
import { startEmulator } from './index';

async function main(): Promise<void> {
  const rootDir = fileURLToPath(new URL('..', import.meta.url));
  const env = resolveEnv(process.env, resolve(rootDir, '.env'));
  // Only the emulator ports matter here; force emulator mode so a real-Entra .env still yields them.
  const config = loadConfig({ ...env, AUTH_MODE: 'emulator', NODE_ENV: env.NODE_ENV === 'production' ? 'development' : env.NODE_ENV }, { rootDir });
  const emulator = await startEmulator({
    rootDir,
    ports: config.emulator.ports,
    testHooks: env.EMULATOR_TEST_HOOKS === '1' || env.EMULATOR_TEST_HOOKS === 'true',
    logger: (line) => console.log(`[emulator] ${line}`),
  });
  const { urls } = emulator;
  console.log(
    [
      'Entra ID emulator is running (loopback only):',
      `  authority          ${urls.authority}`,
      `  graph              ${urls.graph}`,
      `  key vault          ${urls.keyVault}`,
      `  managed identity   ${urls.identityEndpoint}  (IDENTITY_HEADER=${emulator.identityHeader})`,
      `  tenant / client    ${emulator.tenantId} / ${emulator.clientId}`,
      `  CA certificate     ${emulator.certificates.paths.caCert}  (NODE_EXTRA_CA_CERTS)`,
      `  Chromium flag      --ignore-certificate-errors-spki-list=${emulator.spkiHash}`,
      `  test hooks         ${env.EMULATOR_TEST_HOOKS ? 'on (/_emulator/*)' : 'off'}`,
      'Demo users (pick one on the sign-in page; no password):',
      ...emulator.seed.users.map((u) => `  ${u.username.padEnd(30)} ${u.displayName}${u.personal ? '  (personal account: no spa_code)' : ''}`),
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
