// Real-Redis test support: a reachability guard (fails in CI, skips locally), per-run key prefixes and cleanup,
// and a throwaway redis-server child for outage tests. Never FLUSHALL: only keys under the run's prefix are deleted.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Config, RedisStoreConfig } from '../../config/types';
import { RedisKeyspace } from '../../bff/store/redisKeyspace';
import { testConfig } from './testApp';

export const TEST_REDIS_URL = 'redis://127.0.0.1:6379';

/** Null when Redis answers PING at `url`, else why not. */
export async function probeRedis(url = TEST_REDIS_URL, timeoutMs = 1_000): Promise<string | null> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  let lastError: string | null = null;
  probe.on('error', (err: Error) => (lastError = err.message));
  try {
    await probe.connect();
    await probe.ping();
    return null;
  } catch (err) {
    return lastError ?? (err as Error).message;
  } finally {
    probe.disconnect(false);
  }
}

/**
 * Use in a `before` hook (`await requireRedis(this)`): in CI (process.env.CI set) a missing Redis fails the run loudly;
 * locally the suite is skipped with the reason printed.
 */
export async function requireRedis(ctx: Mocha.Context, url = TEST_REDIS_URL): Promise<void> {
  const reason = await probeRedis(url);
  if (reason === null) return;
  const message = `Redis is not reachable at ${url} (${reason})`;
  if (process.env.CI)
    throw new Error(`${message}. The Redis tests must run in CI: start redis-server (apt-get install redis-server).`);
  console.log(`      skipping the Redis tests: ${message}. Start redis-server on 127.0.0.1:6379 to run them.`);
  ctx.skip();
}

/** A key prefix no other run (or the app's real "hsb:") can collide with. */
export function uniqueKeyPrefix(): string {
  return `hsbtest:${randomBytes(6).toString('hex')}:`;
}

/** A raw client for inspecting what the BFF wrote (tests only). */
export function openInspector(url = TEST_REDIS_URL): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: (n) => (n > 20 ? null : 100) });
  redis.on('error', () => {});
  return redis;
}

/** All keys under `prefix` (SCAN, never KEYS). */
export async function keysWithPrefix(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', 500);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

/** Deletes every key under `prefix`; returns how many. */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  const keys = await keysWithPrefix(redis, prefix);
  for (let i = 0; i < keys.length; i += 500) await redis.unlink(...keys.slice(i, i + 500));
  return keys.length;
}

function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}

/** testConfig with STORE=redis under `prefix`. */
export function redisTestConfig(prefix: string, overrides: Record<string, string> = {}): Readonly<Config> {
  return testConfig({ STORE: 'redis', REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix, ...overrides });
}

export { freePort } from '../../scripts/lib/freePort';

/** The Redis key the BFF writes a logical key ("tc:<homeAccountId>", "sess:<id>") under with this config. */
export function redisKey(config: Readonly<Config>, logicalKey: string): string {
  if (config.store.kind !== 'redis') throw new Error('expected STORE=redis');
  return new RedisKeyspace(config.store.keyPrefix, config.tokenCache.encryptionKeys).name(logicalKey);
}

/** The store settings loadConfig makes for STORE=redis at `url` (standalone). */
export function redisStoreConfig(
  url: string,
  options: { keyPrefix: string; commandTimeoutMs?: number },
): RedisStoreConfig {
  const store = testConfig({
    STORE: 'redis',
    REDIS_URL: url,
    REDIS_KEY_PREFIX: options.keyPrefix,
    REDIS_COMMAND_TIMEOUT_MS: String(options.commandTimeoutMs ?? 1_000),
  }).store;
  if (store.kind !== 'redis') throw new Error('expected a Redis store config');
  return store;
}

export interface RedisServerProcess {
  port: number;
  url: string;
  /** SIGKILL (a crash, not a clean shutdown) and wait for the process to exit. */
  kill(): Promise<void>;
}

/** Starts `redis-server` on `port` without persistence and waits until it answers PING. */
export async function startRedisServer(port: number): Promise<RedisServerProcess> {
  return spawnRedis(
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
    { port },
  );
}

/**
 * Spawns `redis-server` with `args` (in `cwd`, e.g. for cluster state files) and waits until `probe` (default: PING on
 * redis://127.0.0.1:<port>) answers null. `sentinel` runs it as redis-sentinel (the same binary, --sentinel).
 * Without `cwd` it runs in a fresh temporary directory, removed on kill: whatever a server writes (a replica's RDB from
 * the full sync, even with --save "") never lands in the repository.
 */
export async function spawnRedis(
  args: string[],
  options: { port: number; cwd?: string; probe?: () => Promise<string | null>; url?: string },
): Promise<RedisServerProcess> {
  const ownDir = options.cwd ? null : mkdtempSync(join(tmpdir(), 'hsb-redis-'));
  const child: ChildProcess = spawn('redis-server', args, { stdio: 'ignore', cwd: options.cwd ?? ownDir ?? undefined });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  const url = options.url ?? `redis://127.0.0.1:${options.port}`;
  const probe = options.probe ?? (() => probeRedis(url, 300));
  const deadline = Date.now() + 5_000;
  for (;;) {
    const reason = await Promise.race([probe(), spawnError]).catch((err: unknown) => {
      if (ownDir) rmSync(ownDir, { recursive: true, force: true });
      throw err;
    });
    if (reason === null) break;
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      if (ownDir) rmSync(ownDir, { recursive: true, force: true });
      throw new Error(`redis-server ${args.slice(0, 2).join(' ')} did not start on port ${options.port}: ${reason}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port: options.port,
    url,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      if (ownDir) rmSync(ownDir, { recursive: true, force: true });
    },
  };
}

/** startRedisServer under the same rule as requireRedis: no redis-server binary fails in CI and skips locally. */
export async function requireRedisServer(ctx: Mocha.Context, port: number): Promise<RedisServerProcess> {
  try {
    return await startRedisServer(port);
  } catch (err) {
    const message = `cannot start redis-server (${(err as Error).message})`;
    if (process.env.CI)
      throw new Error(`${message}. The Redis outage tests must run in CI: install redis-server.`, { cause: err });
    console.log(`      skipping: ${message}. Install redis-server to run the outage tests.`);
    ctx.skip();
  }
}
