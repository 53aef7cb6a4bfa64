// Runs a command with NODE_EXTRA_CA_CERTS pointing at the emulator's CA (Node reads it only at process start):
//   tsx scripts/withEmulatorCa.ts mocha 'test/emulator/**/*.test.ts'
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCertificates } from '../emulator/certs';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  if (!command) {
    console.error('usage: tsx scripts/withEmulatorCa.ts <command> [args…]');
    process.exit(2);
  }
  const rootDir = fileURLToPath(new URL('..', import.meta.url));
  const certs = await ensureCertificates({ rootDir });
  let caFile = certs.paths.caCert;
  const existing = process.env.NODE_EXTRA_CA_CERTS;
  if (existing && existing !== caFile) {
    // Node accepts a single file, so keep the caller's extra CAs by bundling them with ours.
    caFile = join(certs.dir, 'ca-bundle.pem');
    writeFileSync(caFile, `${readFileSync(existing, 'utf8').trim()}\n${certs.caCertPem}`);
  }
  const child = spawn(command, args, {
    stdio: 'inherit',
    env: {
      ...process.env,
      NODE_EXTRA_CA_CERTS: caFile,
      PATH: [join(rootDir, 'node_modules', '.bin'), process.env.PATH ?? ''].join(delimiter),
    },
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const s of SIGNALS) process.on(s, forward);
  child.on('error', (err) => {
    console.error(`withEmulatorCa: could not start "${command}": ${err.message}`);
    process.exit(127);
  });
  child.on('exit', (code, signal) => {
    for (const s of SIGNALS) process.off(s, forward);
    if (signal) {
      // Die the same way the child did, so callers see the signal.
      process.kill(process.pid, signal);
      return;
    }
    process.exit(code ?? 1);
  });
}

void main();
