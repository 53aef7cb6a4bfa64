// npm run bench: measures hybrid-spa-bff on this machine and prints one markdown table (see bench/README.md).
//   tsx scripts/withEmulatorCa.ts node --import tsx bench/main.ts [--quick] [--profile]
// --quick: short loads and fewer users (to check the harness, not for figures). --profile: the memory-store BFF runs
// with --cpu-prof during its bootstrap load; the profile's top functions are printed and the .cpuprofile kept.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { loadConfig } from '../config/loadConfig';
import { createRedisStores } from '../bff/store/redisStores';
import { startEmulator, type RunningEmulator } from '../emulator/index';
import { bffEnv } from './bffEnv';
import { benchCluster } from './clusterBench';
import { signIn } from './browser';
import { ensureClientBuilt, measureBundle } from './bundleSize';
import { forkTs, freePort, type Child } from './children';
import { measureFirstLoad } from './firstLoad';
import { readE2eMetrics } from './e2eMetrics';
import { errorCount, runLoad, WARMUP_SECONDS } from './loadTest';
import { heapPer10kSessions, redisBytesPerUser, scanKeys } from './memory';
import { summarizeProfiles } from './profileSummary';
import { GOALS, type BenchResults } from './results';
import { measureProductionStartup } from './productionStartup';
import { measureSignIn } from './signInCost';
import { renderTable } from './table';
import { runTokenScaling } from './tokenScaling';

const rootDir = fileURLToPath(new URL('..', import.meta.url));
const quick = process.argv.includes('--quick');
const profile = process.argv.includes('--profile');
// --no-cluster: skip the Redis Cluster rows (they start 6 redis-server processes and need redis-cli).
const skipCluster = process.argv.includes('--no-cluster');
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const USER = 'adele.vance@contoso.example';
const CONNECTIONS = 50;
const BOOTSTRAP_SECONDS = quick ? 3 : 20;
const API_SECONDS = quick ? 3 : 30;
const USERS = quick ? [1, 1_000] : [1, 1_000, 10_000, 100_000];
const SIGN_INS = quick ? 5 : 20;

const progress = (line: string) =>
  console.error(`[bench ${((performance.now() - t0) / 1000).toFixed(0).padStart(3)} s] ${line}`);
const t0 = performance.now();

async function probeRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  let lastError = '';
  redis.on('error', (err: Error) => (lastError = err.message));
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch (err) {
    redis.disconnect();
    throw new Error(
      `Redis is not reachable at ${url} (${lastError || (err as Error).message}).\n` +
        'The benchmark measures the Redis store too: start redis-server on 127.0.0.1:6379 (e.g. `apt-get install redis-server`), ' +
        'or point BENCH_REDIS_URL at one. Only keys under a unique hsbbench:<run>: prefix are written, and deleted afterwards.',
      { cause: err },
    );
  }
}

async function main(): Promise<number> {
  const startedAt = new Date();
  const redis = await probeRedis(REDIS_URL);
  const runPrefix = `hsbbench:${randomBytes(6).toString('hex')}:`;
  const children: Child<unknown>[] = [];
  let emulator: RunningEmulator | null = null;
  const work = mkdtempSync(join(tmpdir(), 'hsb-bench-'));
  const profileDir = join(rootDir, 'bench/results', `profile-${startedAt.toISOString().replace(/[:.]/g, '-')}`);
  try {
    ensureClientBuilt(rootDir, progress);
    progress('starting the emulator and the servers…');
    emulator = await startEmulator({
      rootDir,
      ports: { entra: 0, managedIdentity: 0, keyVault: 0, graph: 0 },
      testHooks: true,
    });
    // First, while nothing else runs: the production artifact's start-up time and memory.
    progress('production start-up and RSS (dist/server/main.js)…');
    const production = await measureProductionStartup(rootDir, emulator, quick ? 3 : 10);
    const sessionKey = randomBytes(36).toString('base64url');
    const envFor = (store: 'memory' | 'redis', port: number, sub: string) =>
      bffEnv({
        port,
        emulatorPorts: emulator!.ports,
        sessionKey,
        store,
        redisUrl: REDIS_URL,
        redisKeyPrefix: `${runPrefix}${sub}:`,
      });

    const start = async (mode: 'bff' | 'bare', env: Record<string, string>, port: number, execArgv: string[] = []) => {
      const child = forkTs<{ url: string }>('./serverProcess.ts', [mode, String(port)], { env, execArgv });
      children.push(child);
      return { child, url: (await child.first).url };
    };
    const memPort = await freePort();
    const memEnv = envFor('memory', memPort, 'mem');
    const memBff = await start('bff', memEnv, memPort, profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
    const redisPort = await freePort();
    const redisEnv = envFor('redis', redisPort, 'bff');
    const redisBff = await start('bff', redisEnv, redisPort);
    const bare = await start('bare', {}, await freePort());

    // Signed-in sessions for the load tests (the first GET / consumed the spa code; later ones carry none).
    const memSession = await signIn(`http://localhost:${memPort}`, USER);
    const redisSession = await signIn(`http://localhost:${redisPort}`, USER);
    const cookie = (s: typeof memSession, port: number) => s.browser.cookieHeader(`http://localhost:${port}`);
    const htmlHeaders = (c: string) => ({ cookie: c, accept: 'text/html' });
    const apiHeaders = { cookie: cookie(redisSession, redisPort), accept: 'application/json', 'x-csrf': '1' };
    for (const [url, headers] of [
      [`${memBff.url}/`, htmlHeaders(cookie(memSession, memPort))],
      [`${redisBff.url}/`, htmlHeaders(cookie(redisSession, redisPort))],
    ] as const) {
      const page = await (await fetch(url, { headers })).text();
      if (!page.includes(memSession.homeAccountId))
        throw new Error(`GET ${url} with the session cookie does not show the signed-in user`);
    }

    const load = (url: string, headers: Record<string, string>, seconds: number) =>
      runLoad({ url, connections: CONNECTIONS, durationSeconds: seconds, headers });
    progress(`bootstrap page: bare Koa, ours (memory), ours (Redis), ${BOOTSTRAP_SECONDS} s each…`);
    const bareLoad = await load(`${bare.url}/`, { accept: 'text/html' }, BOOTSTRAP_SECONDS);
    const oursMemory = await load(`${memBff.url}/`, htmlHeaders(cookie(memSession, memPort)), BOOTSTRAP_SECONDS);
    if (profile) {
      await memBff.child.stop(); // writes the .cpuprofile
      progress(`CPU profile of the bootstrap load written to ${profileDir}`);
    }
    const oursRedis = await load(`${redisBff.url}/`, htmlHeaders(cookie(redisSession, redisPort)), BOOTSTRAP_SECONDS);

    progress(`API under load (Redis store): /api/me, /api/mail, ${API_SECONDS} s each…`);
    const me = await load(`${redisBff.url}/api/me`, apiHeaders, API_SECONDS);
    const mail = await load(`${redisBff.url}/api/mail`, apiHeaders, API_SECONDS);

    progress(`sign-in cost: ${SIGN_INS} scripted sign-ins…`);
    const { cost: signInCost, last } = await measureSignIn(`http://localhost:${redisPort}`, USER, SIGN_INS);

    progress('first load in Chromium (Slow 4G, 4× CPU)…');
    const firstLoad = await measureFirstLoad({
      bffUrl: `http://localhost:${redisPort}`,
      user: USER,
      runs: quick ? 2 : 5,
      spkiHash: emulator.spkiHash,
    });

    progress('Redis bytes per user…');
    const redisBytes = await redisBytesPerUser(redis, `${runPrefix}bff:`);

    // Templates for the synthetic users: the real signed-in user's token cache and session, read back from Redis.
    const redisConfig = loadConfig(redisEnv, { rootDir });
    const inspect = await createRedisStores(redisConfig);
    const blob = await inspect.tokenCache.get(last.homeAccountId);
    const sessionId = decodeURIComponent(
      last.browser.jar(`http://localhost:${redisPort}`).get(redisConfig.session.cookieName) ?? '',
    );
    const session = await inspect.sessions.get(sessionId);
    await inspect.close();
    if (!blob || !session) throw new Error('could not read the signed-in user’s token cache / session back from Redis');
    const blobFile = join(work, 'cache.json');
    const sessionFile = join(work, 'session.json');
    writeFileSync(blobFile, blob);
    writeFileSync(sessionFile, JSON.stringify(session));

    for (const c of children) await c.stop(); // nothing else competes with the in-process measurements
    const tokenScaling = await runTokenScaling({
      emulator,
      blobFile,
      sizes: USERS,
      env: { memory: envFor('memory', memPort, 'scale-mem'), redis: envFor('redis', redisPort, 'scale') },
      progress,
    });
    const cluster = skipCluster
      ? null
      : await benchCluster({
          envFor: (redisUrl, port, sub) =>
            bffEnv({
              port,
              emulatorPorts: emulator!.ports,
              sessionKey,
              store: 'redis',
              redisUrl,
              redisKeyPrefix: `${runPrefix}${sub}:`,
            }),
          prefix: runPrefix,
          user: USER,
          blobFile,
          sizes: USERS,
          connections: CONNECTIONS,
          bootstrapSeconds: BOOTSTRAP_SECONDS,
          progress,
        });
    if (cluster) tokenScaling.runs.push(cluster.tokenScaling);
    progress('BFF heap per 10,000 sessions (memory store)…');
    const heap = await heapPer10kSessions(envFor('memory', memPort, 'heap'), blobFile, sessionFile);

    const bundle = measureBundle(join(rootDir, 'dist/client'));
    const p99Ratio: Record<string, number> = {};
    for (const run of tokenScaling.runs) p99Ratio[run.mode] = run.points.at(-1)!.p99Ms / run.points[0]!.p99Ms;

    const failures: string[] = [];
    const ratioMemory = oursMemory.rps / bareLoad.rps;
    const ratioRedis = oursRedis.rps / bareLoad.rps;
    const loads = {
      'bootstrap (bare)': bareLoad,
      'bootstrap (memory)': oursMemory,
      'bootstrap (Redis)': oursRedis,
      '/api/me': me,
      '/api/mail': mail,
      ...(cluster ? { 'bootstrap (Redis Cluster)': cluster.bootstrap } : {}),
    };
    for (const [name, s] of Object.entries(loads)) {
      if (errorCount(s) > 0)
        failures.push(
          `${name}: ${errorCount(s)} failed requests (status codes ${JSON.stringify(s.statusCodes)}, ${s.socketErrors} socket errors)`,
        );
    }
    if (ratioMemory < GOALS.bootstrapRatioFailBelow)
      failures.push(`bootstrap ours/bare = ${ratioMemory.toFixed(2)} < ${GOALS.bootstrapRatioFailBelow}`);
    for (const mode of ['memory', 'redis', ...(cluster ? ['cluster'] : [])]) {
      if (p99Ratio[mode]! > GOALS.tokenScalingFailAbove)
        failures.push(
          `silent token (${mode}) p99 ratio = ${p99Ratio[mode]!.toFixed(2)} > ${GOALS.tokenScalingFailAbove}`,
        );
    }
    const network =
      tokenScaling.tokenRequestsDuring + tokenScaling.runs.reduce((s, r) => s + r.networkCallsWhileMeasuring, 0);
    if (network > 0) failures.push(`silent token: ${network} network calls while measuring cache hits`);

    const results: BenchResults = {
      startedAt: startedAt.toISOString(),
      durationSeconds: (performance.now() - t0) / 1000,
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model.trim() ?? '?',
        memoryGiB: totalmem() / 2 ** 30,
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
      },
      settings: {
        connections: CONNECTIONS,
        bootstrapSeconds: BOOTSTRAP_SECONDS,
        apiSeconds: API_SECONDS,
        warmupSeconds: WARMUP_SECONDS,
        users: USERS,
        signIns: SIGN_INS,
      },
      bootstrap: {
        oursMemory,
        oursRedis,
        bare: bareLoad,
        ratioMemory,
        ratioRedis,
        ...(cluster ? { oursCluster: cluster.bootstrap, ratioCluster: cluster.bootstrap.rps / bareLoad.rps } : {}),
      },
      tokenScaling: { ...tokenScaling, p99Ratio },
      api: { me, mail },
      memory: { redis: redisBytes, heap, ...(cluster ? { cluster: cluster.bytes } : {}) },
      signIn: { scripted: signInCost, browser: readE2eMetrics(rootDir) },
      bundle,
      production,
      firstLoad,
      goals: GOALS,
      failures,
    };
    console.log(renderTable(results));
    if (profile)
      console.log(
        `\nCPU profile of the BFF under the bootstrap load (top self time):\n${summarizeProfiles(profileDir)}`,
      );
    const resultsDir = join(rootDir, 'bench/results');
    mkdirSync(resultsDir, { recursive: true });
    const file = join(
      resultsDir,
      `bench-${startedAt.toISOString().replace(/[:.]/g, '-')}${quick ? '-quick' : ''}.json`,
    );
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nResults: ${file}`);
    console.log(
      `Failure thresholds: any failed request, bootstrap ratio < ${GOALS.bootstrapRatioFailBelow}, silent-token p99 ratio (ours) > ${GOALS.tokenScalingFailAbove}, any network call during the silent-token measurement.`,
    );
    if (failures.length) {
      console.log(`\nFAILED:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
      return 1;
    }
    console.log('\nAll thresholds met.');
    return 0;
  } finally {
    for (const c of children) await c.stop().catch(() => undefined);
    await emulator?.close();
    const keys = await scanKeys(redis, runPrefix).catch(() => [] as string[]);
    for (let i = 0; i < keys.length; i += 1000) await redis.unlink(...keys.slice(i, i + 1000));
    progress(`deleted ${keys.length} Redis keys under ${runPrefix}`);
    redis.disconnect();
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`\nbench failed: ${err.message}`);
    if (!err.message.startsWith('Redis is not reachable')) console.error(err.stack);
    process.exit(1);
  },
);
