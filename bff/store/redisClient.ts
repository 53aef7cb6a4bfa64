// The shared Redis connection (any topology): fails fast when Redis is down or slow, reconnects on its own, never logs values.
import { Cluster } from 'ioredis';
import type { RedisStoreConfig } from '../../config/types';
import { StoreUnavailableError } from '../http/errors';
import type { Logger } from '../http/logger';
import { createRedisClient, reconnectDelay, type RedisClient } from './redisClientFactory';
import type { RedisEntraAuth } from './redisEntraAuth';
import { RedisKeyspace } from './redisKeyspace';

export { reconnectDelay, type RedisClient } from './redisClientFactory';
export type { RedisStoreConfig } from '../../config/types';

export interface RedisConnection {
  readonly redis: RedisClient;
  readonly keyspace: RedisKeyspace;
  /** The Redis key a logical key ("sess:<id>", "tc:<homeAccountId>") is written under (see RedisKeyspace). */
  key(logicalKey: string): string;
  /**
   * Runs one command (or a short sequence) within the command deadline. Every failure — connection refused, not yet
   * connected, timeout, failover in progress, reply error — surfaces as StoreUnavailableError (503 + Retry-After), with
   * a cause that carries no command arguments.
   */
  run<T>(operation: string, command: (redis: RedisClient) => Promise<T>): Promise<T>;
  /** Reads (GET, or GETDEL with `consume`) under the current name, then the names of older store keys (rotation). */
  readFirst(operation: string, logicalKey: string, consume?: boolean): Promise<{ value: Buffer; name: string } | null>;
  /** Deletes the value under every name it may have (one single-key DEL each, so each stays single-slot). */
  deleteAll(operation: string, logicalKey: string): Promise<void>;
  ping(): Promise<void>;
  /** Resolves true once connected, or false after `timeoutMs` (never rejects: the app may start while Redis is down). */
  waitUntilReady(timeoutMs: number): Promise<boolean>;
  /** The last connection error's code (e.g. a TLS verification failure), for a clear start-up message. */
  readonly lastErrorCode: string | null;
  /** QUIT (lets in-flight replies arrive), falling back to a hard disconnect when Redis does not answer. */
  close(): Promise<void>;
}

export function createRedisConnection(
  config: RedisStoreConfig,
  log: Logger,
  options: { storeKeys: readonly Buffer[]; entra?: RedisEntraAuth },
): RedisConnection {
  const redisLog = log.child({ component: 'redis' });
  const auth = config.auth;
  const { entra } = options;
  const redis = createRedisClient(config, {
    username: entra ? entra.username : auth.kind === 'password' ? auth.username : null,
    password: entra ? () => entra.password() : () => (auth.kind === 'password' ? auth.password : null),
  });
  entra?.attach(redis);
  const keyspace = new RedisKeyspace(config.keyPrefix, options.storeKeys);

  // Log state changes once, not every failed reconnect attempt; only the error's code/message, never arguments.
  let healthy: boolean | null = null;
  let closing = false;
  let lastErrorCode: string | null = null;
  const down = (detail: string) => {
    if (healthy !== false)
      redisLog.warn({ detail }, 'Redis unavailable; requests needing the store answer 503 until it returns');
    healthy = false;
  };
  const onError = (err: Error & { code?: string; lastNodeError?: Error & { code?: string } }) => {
    const inner = err.lastNodeError ?? err;
    lastErrorCode = inner.code ?? inner.name;
    down(`${lastErrorCode}: ${inner.message}`);
  };
  redis.on('ready', () => {
    if (healthy !== true) redisLog.info(healthy === false ? 'Redis connection restored' : 'Redis connected');
    healthy = true;
    lastErrorCode = null;
  });
  redis.on('error', onError);
  if (redis instanceof Cluster) redis.on('node error', onError);
  redis.on('close', () => {
    if (healthy === true && !closing) down('connection closed');
  });
  // Safety net: the client must never give up while the app runs (ioredis ends a client in a few edge cases, e.g. a
  // sentinel failover arriving mid-reconnect). Start it again after the usual backoff.
  let restarts = 0;
  redis.on('end', () => {
    if (closing) return;
    const timer = setTimeout(() => {
      if (!closing && redis.status === 'end') redis.connect().catch(() => {});
    }, reconnectDelay(++restarts));
    timer.unref();
  });
  redis.on('ready', () => (restarts = 0));

  const run = async <T>(operation: string, command: (r: RedisClient) => Promise<T>): Promise<T> => {
    try {
      // ioredis' commandTimeout covers one send; this also bounds a cluster's redirections and failover retries.
      return await withDeadline(command(redis), config.commandTimeoutMs);
    } catch (err) {
      throw toStoreUnavailable(operation, err);
    }
  };
  const connection: RedisConnection = {
    redis,
    keyspace,
    key: (logicalKey) => keyspace.name(logicalKey),
    run,
    async readFirst(operation, logicalKey, consume = false) {
      for (const name of keyspace.candidates(logicalKey)) {
        const value = await run(operation, (r) => (consume ? r.getdelBuffer(name) : r.getBuffer(name)));
        if (value) return { value, name };
      }
      return null;
    },
    async deleteAll(operation, logicalKey) {
      await Promise.all(keyspace.candidates(logicalKey).map((name) => run(operation, (r) => r.del(name))));
    },
    async ping() {
      await run('ping', (r) => r.ping());
    },
    async waitUntilReady(timeoutMs) {
      if (redis.status === 'ready') return true;
      const ready = new Promise<true>((resolve) => redis.once('ready', () => resolve(true)));
      return withDeadline(ready, timeoutMs).catch(() => false);
    },
    get lastErrorCode() {
      return lastErrorCode;
    },
    async close() {
      closing = true;
      entra?.stop();
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

/** Node's codes for a certificate the client refused, or a TLS handshake that cannot succeed (configuration, not an outage). */
export function isTlsConfigurationError(code: string | null): boolean {
  return code !== null && (/CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_SSL_|ERR_TLS_/.test(code) || code === 'EPROTO');
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
