// Runs a command trusting the emulator's CA (NODE_EXTRA_CA_CERTS; Node reads it only at process start) — in emulator
// mode only. With AUTH_MODE=entra (or ENTRA_CLIENT_ID set) or NODE_ENV=production the command runs with the trust
// store untouched; an operator's own NODE_EXTRA_CA_CERTS (e.g. a corporate proxy CA) is always kept.
//   tsx scripts/withEmulatorCa.ts [--dotenv .env] <command> [args…]
// --dotenv: also read the mode from this dotenv file (real environment variables win), as the app itself does.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveEnv } from '../config/envFile';
import { ensureCertificates } from '../emulator/certs';
import { emulatorCaDecision } from './emulatorCaPolicy';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

async function main(): Promise<void> {
  let argv = process.argv.slice(2);
  let envFile: string | undefined;
  if (argv[0] === '--dotenv') {
    envFile = argv[1];
    argv = argv.slice(2);
  }
  const [command, ...args] = argv;
  if (!command || envFile === '') {
    console.error('usage: tsx scripts/withEmulatorCa.ts [--dotenv .env] <command> [args…]');
    process.exit(2);
  }
  const rootDir = fileURLToPath(new URL('..', import.meta.url));
  const decision = emulatorCaDecision(envFile !== undefined ? resolveEnv(process.env, resolve(envFile)) : process.env);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: [join(rootDir, 'node_modules', '.bin'), process.env.PATH ?? ''].join(delimiter),
  };
  if (decision.trust) {
    const certs = await ensureCertificates({ rootDir });
    let caFile = certs.paths.caCert;
    const existing = process.env.NODE_EXTRA_CA_CERTS;
    if (existing && existing !== caFile) {
      // Node accepts a single file, so keep the caller's extra CAs by bundling them with ours.
      caFile = join(certs.dir, 'ca-bundle.pem');
      writeFileSync(caFile, `${readFileSync(existing, 'utf8').trim()}\n${certs.caCertPem}`);
    }
    env.NODE_EXTRA_CA_CERTS = caFile;
  } else {
    console.error(`withEmulatorCa: ${decision.reason}: the emulator's CA is not trusted.`);
  }
  const child = spawn(command, args, { stdio: 'inherit', env });
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
