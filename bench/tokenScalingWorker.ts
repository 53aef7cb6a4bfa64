// Child process: server-side silent token acquisition (cache hit, no network) as the number of users in the store grows.
//   argv: <mode: memory | redis | cluster | shared> <template blob file> <sizes, e.g. 1,1000,10000,100000>
// memory / redis: the real TokenService (a per-request ConfidentialClientApplication bound to the user's partition)
// over the real token cache store, env from bffEnv(). shared: the baseline many samples use — ONE
// ConfidentialClientApplication whose in-memory cache holds every user. Every fetch is counted: any during
// measurement is reported (the orchestrator fails the run on it).
import { readFileSync } from 'node:fs';
import { Cluster } from 'ioredis';
import { ConfidentialClientApplication, type AccountInfo } from '@azure/msal-node';
import { loadConfig } from '../config/loadConfig';
import { createLogger } from '../bff/http/logger';
import { createAuthorityMetadataSource } from '../bff/auth/authorityMetadata';
import { MsalNetworkClient } from '../bff/auth/networkClient';
import { createAppIdentity, createServices } from '../bff/services';
import { createStores } from '../bff/server';
import { createFetchWithDeadline } from '../bff/downstream/fetchWithDeadline';
import { CacheCipher } from '../bff/tokenCache/cacheEncryption';
import { createRedisClient } from '../bff/store/redisClientFactory';
import { RedisKeyspace } from '../bff/store/redisKeyspace';
import type { SessionUser } from '../bff/session/sessionAccess';
import type { TokenCacheStore } from '../bff/tokenCache/tokenCacheStore';
import { createCloner, type TemplateUser } from './cacheClone';
import { percentile } from './stats';

export interface ScalingPoint {
  users: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  samples: number;
  /** True when the time budget cut the sample short. */
  sampled: boolean;
  seedMs: number;
}

export interface ScalingResult {
  mode: 'memory' | 'redis' | 'cluster' | 'shared';
  points: ScalingPoint[];
  /** fetch() calls while measuring (must be 0: cache hits only). */
  networkCallsWhileMeasuring: number;
  /** Token-cache store reads and writes per acquisition while measuring (ours only). */
  storeGetsPerCall: number;
  storeSetsPerCall: number;
}

const SCOPES = ['Mail.Read'];
// Enough calls for V8 to finish optimizing MSAL's hot paths: with only a few hundred, JIT work lands in the measured p99.
const WARMUP_CALLS = 3_000;
const MAX_CALLS = 10_000;
/** At least this many measured calls (the shared baseline at 100 000 users takes about a second each). */
const MIN_CALLS = 10;
const BUDGET_MS = 6_000;

async function main(): Promise<ScalingResult> {
  const [mode, blobFile, sizesArg] = process.argv.slice(2) as [
    'memory' | 'redis' | 'cluster' | 'shared',
    string,
    string,
  ];
  const sizes = sizesArg.split(',').map(Number);
  const cloner = createCloner(readFileSync(blobFile, 'utf8'));
  const config = loadConfig(process.env, { rootDir: process.cwd() });
  const log = createLogger('silent');

  let fetchCalls = 0;
  const countingFetch: typeof fetch = (input, init) => {
    fetchCalls++;
    return fetch(input, init);
  };
  let gets = 0;
  let sets = 0;

  const users: TemplateUser[] = [];
  let acquire: (user: TemplateUser) => Promise<unknown>;
  let seed: (batch: { user: TemplateUser; blob: string }[]) => Promise<void>;
  let settle: () => Promise<void> = async () => {};

  if (mode === 'shared') {
    const fetchWithDeadline = createFetchWithDeadline(config.http.timeoutMs, countingFetch);
    const metadata = createAuthorityMetadataSource({
      authority: config.entra.authority,
      configured: null,
      fetchWithDeadline,
    });
    const cca = new ConfidentialClientApplication({
      auth: {
        clientId: config.entra.clientId,
        authority: config.entra.authority,
        knownAuthorities: [...config.entra.knownAuthorities],
        authorityMetadata: (await metadata.get()).json,
        clientSecret: config.entra.credential.kind === 'secret' ? config.entra.credential.secret : '',
      },
      system: { networkClient: new MsalNetworkClient(fetchWithDeadline) },
    });
    const cache = cca.getTokenCache();
    seed = async (batch) => {
      // Merge the batch into one blob; deserialize() appends it to the in-memory cache.
      const merged: Record<string, Record<string, unknown>> = {};
      for (const { blob } of batch) {
        for (const [section, entries] of Object.entries(JSON.parse(blob) as Record<string, Record<string, unknown>>)) {
          Object.assign((merged[section] ??= {}), entries);
        }
      }
      cache.deserialize(JSON.stringify(merged));
    };
    acquire = (user) => cca.acquireTokenSilent({ account: accountOf(user), scopes: SCOPES });
  } else {
    const identity = createAppIdentity({ config, log, fetchImpl: countingFetch });
    const stores = await createStores(config, log, identity);
    const inner = stores.tokenCache;
    const counted: TokenCacheStore = {
      get: (k) => (gets++, inner.get(k)),
      read: (k) => (gets++, inner.read(k)),
      set: (k, v) => (sets++, inner.set(k, v)),
      setIfCurrent: (k, v, g) => (sets++, inner.setIfCurrent(k, v, g)),
      delete: (k) => inner.delete(k),
    };
    const services = createServices({ config, log, stores: { ...stores, tokenCache: counted }, identity });
    if (config.store.kind === 'redis') {
      // Seeding writes the sealed values directly under the store's own key names (far faster than one store.set each).
      const cipher = new CacheCipher(config.tokenCache.encryptionKeys);
      const keyspace = new RedisKeyspace(config.store.keyPrefix, config.tokenCache.encryptionKeys);
      const auth = config.store.auth;
      // Seeding is not what is measured: a generous deadline, since 1 000 writes go out at once.
      const client = createRedisClient(
        { ...config.store, commandTimeoutMs: 60_000 },
        {
          username: auth.kind === 'password' ? auth.username : null,
          password: () => (auth.kind === 'password' ? auth.password : null),
        },
      );
      await new Promise<void>((resolve) =>
        client.status === 'ready' ? resolve() : client.once('ready', () => resolve()),
      );
      seed = async (batch) => {
        // One command per key (each its own slot in a cluster); ioredis pipelines them on each connection.
        await Promise.all(
          batch.map(({ user, blob }) => {
            const context = `tc:${user.homeAccountId}`;
            return client.set(keyspace.name(context), cipher.seal(blob, context), 'PX', config.tokenCache.ttlMs);
          }),
        );
      };
      // Before measuring, every replica must have caught up: otherwise replication of the seed (hundreds of MB at
      // 100 000 users, possibly a full resync) competes with the measured calls for the CPU.
      settle = async () => {
        const masters = client instanceof Cluster ? client.nodes('master') : [client];
        await Promise.all(
          masters.map(async (m) => {
            const replicas = Number(/connected_slaves:(\d+)/.exec(await m.info('replication'))?.[1] ?? 0);
            if (replicas > 0) await m.call('WAIT', String(replicas), '50000');
          }),
        );
      };
      process.once('beforeExit', () => client.disconnect());
    } else {
      seed = async (batch) => {
        for (const { user, blob } of batch) await inner.set(user.homeAccountId, blob);
      };
    }
    acquire = (user) => services.tokenService.acquire(sessionUserOf(user), SCOPES);
    process.once('beforeExit', () => void stores.close());
  }

  const points: ScalingPoint[] = [];
  let networkCallsWhileMeasuring = 0;
  let measuredCalls = 0;
  let measuredGets = 0;
  let measuredSets = 0;
  for (const size of sizes) {
    const seedStart = performance.now();
    while (users.length < size) {
      const batch = [];
      for (let i = 0; i < (mode === 'shared' ? 10_000 : 1_000) && users.length + batch.length < size; i++) {
        batch.push(users.length + batch.length === 0 ? cloner.template : cloner.clone());
      }
      await seed(batch);
      users.push(...batch.map((b) => b.user));
    }
    await settle();
    const seedMs = performance.now() - seedStart;
    const pick = () => users[Math.floor(Math.random() * users.length)]!;
    // Warm-up: JIT, the authority metadata fetch (ours: once per process), connection to Redis.
    const warmStart = performance.now();
    for (let i = 0; i < WARMUP_CALLS && performance.now() - warmStart < BUDGET_MS / 2; i++) await acquire(pick());
    globalThis.gc?.();
    const fetchBefore = fetchCalls;
    const getsBefore = gets;
    const setsBefore = sets;
    const times: number[] = [];
    const start = performance.now();
    while (times.length < MAX_CALLS && (times.length < MIN_CALLS || performance.now() - start < BUDGET_MS)) {
      const user = pick();
      const t0 = performance.now();
      await acquire(user);
      times.push(performance.now() - t0);
    }
    networkCallsWhileMeasuring += fetchCalls - fetchBefore;
    measuredCalls += times.length;
    measuredGets += gets - getsBefore;
    measuredSets += sets - setsBefore;
    points.push({
      users: size,
      p50Ms: percentile(times, 50),
      p99Ms: percentile(times, 99),
      meanMs: times.reduce((a, b) => a + b, 0) / times.length,
      samples: times.length,
      sampled: times.length < MAX_CALLS,
      seedMs,
    });
  }
  return {
    mode,
    points,
    networkCallsWhileMeasuring,
    storeGetsPerCall: mode === 'shared' ? 0 : measuredGets / measuredCalls,
    storeSetsPerCall: mode === 'shared' ? 0 : measuredSets / measuredCalls,
  };
}

function accountOf(user: TemplateUser): AccountInfo {
  return { ...user };
}

function sessionUserOf(user: TemplateUser): SessionUser {
  return { ...user, loginHint: null, sid: null };
}

main().then(
  (result) => process.send!(result, () => process.exit(0)),
  (err: Error) => process.send!({ error: err.stack ?? err.message }, () => process.exit(1)),
);
