// npm run bench:first-load: row 7 alone (about a minute) — the emulator, a memory-store BFF in a child process and
// Chromium with CPU and network throttling; prints the figures and writes bench/results/first-load-<time>.json.
//   tsx scripts/withEmulatorCa.ts node --import tsx bench/firstLoadMain.ts [--runs=N]
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../emulator/index';
import { bffEnv } from './bffEnv';
import { ensureClientBuilt, measureBundle } from './bundleSize';
import { forkTs, freePort } from './children';
import { measureFirstLoad } from './firstLoad';
import { describeFirstLoad } from './table';

const rootDir = fileURLToPath(new URL('..', import.meta.url));
const runsArg = process.argv.find((a) => a.startsWith('--runs='));
const RUNS = runsArg ? Number(runsArg.slice('--runs='.length)) : 5;

async function main(): Promise<void> {
  ensureClientBuilt(rootDir, (line) => console.error(line));
  const emulator = await startEmulator({
    rootDir,
    ports: { entra: 0, managedIdentity: 0, keyVault: 0, graph: 0 },
    testHooks: true,
  });
  const port = await freePort();
  const env = bffEnv({
    port,
    emulatorPorts: emulator.ports,
    sessionKey: randomBytes(36).toString('base64url'),
    store: 'memory',
    redisUrl: '',
    redisKeyPrefix: '',
  });
  const bff = forkTs<{ url: string }>('./serverProcess.ts', ['bff', String(port)], { env });
  try {
    await bff.first;
    const result = await measureFirstLoad({
      bffUrl: `http://localhost:${port}`,
      user: 'adele.vance@contoso.example',
      runs: RUNS,
      spkiHash: emulator.spkiHash,
    });
    if (!result) throw new Error('Chromium is not installed at /usr/bin/chromium');
    const bundle = measureBundle(join(rootDir, 'dist/client'));
    console.log(describeFirstLoad(result));
    console.log(
      `initial JS ${(bundle.initialJs.gzip / 1024).toFixed(1)} KiB gzip (${bundle.initialJs.files} files), total JS ${(bundle.totalJs.gzip / 1024).toFixed(1)} KiB gzip`,
    );
    const dir = join(rootDir, 'bench/results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `first-load-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify({ firstLoad: result, bundle }, null, 2)}\n`);
    console.log(`Results: ${file}`);
  } finally {
    await bff.stop();
    await emulator.close();
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`first-load bench failed: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
