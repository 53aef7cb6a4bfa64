// Row 7: the production artifact (`node dist/server/main.js`, NODE_ENV=production, AUTH_MODE=entra against the emulator
// as identity provider, its CA passed explicitly): time from spawn to the first 200 from /healthz, and resident memory
// at that moment and after a short warm-up of bootstrap pages. The server bundle is rebuilt first (about a second).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RunningEmulator } from '../emulator/index';
import { freePort } from './children';
import { median, percentile } from './stats';

export interface ProductionStartup {
  runs: number;
  /** Spawn → first /healthz 200 (ms). */
  healthyMedianMs: number;
  healthyP90Ms: number;
  /** The same measure for a bare `node:http` server answering /healthz (what Node itself costs on this machine). */
  bareNodeMedianMs: number;
  /** RSS when healthy, and after `warmupRequests` GET / (MiB, medians over the runs). */
  rssAtStartMiB: number;
  rssAfterWarmupMiB: number;
  warmupRequests: number;
}

function rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

const BARE_SERVER = `require('node:http').createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT), '127.0.0.1')`;

/** Spawns, polls /healthz until 200, returns the child and the elapsed ms. */
async function spawnUntilHealthy(args: string[], cwd: string, env: Record<string, string>, port: number) {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'ignore', 'inherit'] });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { child, ms: performance.now() - t0 };
    if (performance.now() - t0 > 60_000) throw new Error(`${args.join(' ')} did not become healthy within 60 s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function bareNode(): Promise<number> {
  const port = await freePort();
  const { child, ms } = await spawnUntilHealthy(['-e', BARE_SERVER], process.cwd(), { PORT: String(port) }, port);
  await stop(child);
  return ms;
}

async function once(
  rootDir: string,
  emulator: RunningEmulator,
  warmupRequests: number,
): Promise<{ ms: number; rss0: number; rss1: number }> {
  const port = await freePort();
  const env = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: `https://localhost:${port}`,
    AUTH_MODE: 'entra',
    ENTRA_INSTANCE: emulator.urls.instance,
    ENTRA_TENANT_ID: emulator.tenantId,
    ENTRA_CLIENT_ID: emulator.clientId,
    ENTRA_CLIENT_SECRET: emulator.clientSecret,
    ENTRA_KNOWN_AUTHORITIES: new URL(emulator.urls.instance).host,
    GRAPH_BASE_URL: emulator.urls.graph,
    SESSION_KEYS: randomBytes(36).toString('base64url'),
    LOG_LEVEL: 'warn',
    NODE_EXTRA_CA_CERTS: emulator.certificates.paths.caCert,
  };
  const { child, ms } = await spawnUntilHealthy(['dist/server/main.js'], rootDir, env, port);
  try {
    const rss0 = rssMiB(child.pid!);
    for (let i = 0; i < warmupRequests; i++)
      await (await fetch(`http://127.0.0.1:${port}/`, { headers: { accept: 'text/html' } })).text();
    return { ms, rss0, rss1: rssMiB(child.pid!) };
  } finally {
    await stop(child);
  }
}

export async function measureProductionStartup(
  rootDir: string,
  emulator: RunningEmulator,
  runs: number,
  warmupRequests = 500,
): Promise<ProductionStartup> {
  const build = spawnSync('npm', ['run', '--silent', 'build:server'], {
    cwd: rootDir,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) throw new Error('the server build (npm run build:server) failed');
  const samples = [];
  const bare: number[] = [];
  for (let i = 0; i < runs; i++) {
    bare.push(await bareNode());
    samples.push(await once(rootDir, emulator, warmupRequests));
  }
  const ms = samples.map((s) => s.ms);
  return {
    runs,
    healthyMedianMs: median(ms),
    healthyP90Ms: percentile(ms, 90),
    bareNodeMedianMs: median(bare),
    rssAtStartMiB: median(samples.map((s) => s.rss0)),
    rssAfterWarmupMiB: median(samples.map((s) => s.rss1)),
    warmupRequests,
  };
}
