// The shared ioredis connection: fails fast when Redis is down or slow, reconnects on its own, never logs values.
import { Redis } from 'ioredis';
import type { StoreConfig } from '../../config/types';
import { StoreUnavailableError } from '../http/errors';
import type { Logger } from '../http/logger';

export type RedisStoreConfig = Extract<StoreConfig, { kind: 'redis' }>;

export interface RedisConnection {
  readonly redis: Redis;
  /** `keyPrefix` + `name`, e.g. "hsb:" + "sess:<id>". */
  key(name: string): string;
  /**
   * Runs one command (or a short sequence). Every failure — connection refused, not yet connected, timeout, reply
   * error — surfaces as StoreUnavailableError (503 + Retry-After), with a cause that carries no command arguments.
   */
  run<T>(operation: string, command: (redis: Redis) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  /** Resolves true once connected, or false after `timeoutMs` (never rejects: the app may start while Redis is down). */
  waitUntilReady(timeoutMs: number): Promise<boolean>;
  /** QUIT (lets in-flight replies arrive), falling back to a hard disconnect when Redis does not answer. */
  close(): Promise<void>;
}

/** Reconnect delay: 100 ms, 200 ms, 400 ms … capped at 2 s, with a little jitter so instances do not reconnect in step. */
export function reconnectDelay(attempt: number): number {
  const base = Math.min(100 * 2 ** Math.max(0, attempt - 1), 2_000);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export function createRedisConnection(config: RedisStoreConfig, log: Logger): RedisConnection {
  const redisLog = log.child({ component: 'redis' });
  const redis = new Redis(config.url, {
    lazyConnect: false,
    // A slow Redis must not stack requests: each command gets this deadline, then the request answers 503.
    commandTimeout: config.commandTimeoutMs,
    connectTimeout: Math.max(2_000, config.commandTimeoutMs * 2),
    // While disconnected, commands fail at once instead of queueing until Redis returns (no hanging requests).
    enableOfflineQueue: false,
    // A command whose connection dropped is failed, not resent: resending GETDEL could consume a value whose first
    // reply was lost. The request gets a 503 and the user retries.
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy: reconnectDelay,
    // Never CONFIG SET from the app (managed Redis forbids it); memory policy is the operator's choice.
  });

  // Log state changes once, not every failed reconnect attempt; only the error's code/message, never arguments.
  let healthy: boolean | null = null;
  let closing = false;
  const down = (detail: string) => {
    if (healthy !== false)
      redisLog.warn({ detail }, 'Redis unavailable; requests needing the store answer 503 until it returns');
    healthy = false;
  };
  redis.on('ready', () => {
    if (healthy !== true) redisLog.info(healthy === false ? 'Redis connection restored' : 'Redis connected');
    healthy = true;
  });
  redis.on('error', (err: Error & { code?: string }) => down(`${err.code ?? err.name}: ${err.message}`));
  redis.on('close', () => {
    if (healthy === true && !closing) down('connection closed');
  });
  const connection: RedisConnection = {
    redis,
    key: (name) => `${config.keyPrefix}${name}`,
    async run(operation, command) {
      try {
        return await command(redis);
      } catch (err) {
        throw toStoreUnavailable(operation, err);
      }
    },
    async ping() {
      await connection.run('ping', (r) => r.ping());
    },
    async waitUntilReady(timeoutMs) {
      if (redis.status === 'ready') return true;
      const ready = new Promise<true>((resolve) => redis.once('ready', () => resolve(true)));
      return withDeadline(ready, timeoutMs).catch(() => false);
    },
    async close() {
      closing = true;
      if (redis.status === 'end') return;
      const ended = new Promise<void>((resolve) => redis.once('end', () => resolve()));
      try {
        if (redis.status !== 'ready') throw new Error('not connected');
        await withDeadline(redis.quit(), config.commandTimeoutMs);
      } catch {
        redis.disconnect(false); // also cancels a pending reconnect
      }
      await withDeadline(ended, config.commandTimeoutMs).catch(() => {});
    },
  };
  return connection;
}

function toStoreUnavailable(operation: string, err: unknown): StoreUnavailableError {
  if (err instanceof StoreUnavailableError) return err;
  // ioredis ReplyErrors carry the command and its arguments (values); keep only what is safe to log.
  const e = err as { name?: unknown; message?: unknown; code?: unknown };
  const cause = new Error(`Redis ${operation} failed: ${typeof e?.message === 'string' ? e.message : String(err)}`);
  cause.name = typeof e?.name === 'string' ? e.name : 'RedisError';
  if (typeof e?.code === 'string') (cause as Error & { code?: string }).code = e.code;
  return new StoreUnavailableError(undefined, { cause });
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
    timer.unref();
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
