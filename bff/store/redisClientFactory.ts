// Builds the ioredis client for the configured topology (standalone, cluster, sentinel) with TLS and fail-fast options.
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { RedisStoreConfig } from '../../config/types';

export type RedisClient = Redis | Cluster;

/** Reconnect delay: 100 ms, 200 ms, 400 ms … capped at 2 s, with a little jitter so instances do not reconnect in step. */
export function reconnectDelay(attempt: number): number {
  const base = Math.min(100 * 2 ** Math.max(0, attempt - 1), 2_000);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** How often a cluster client re-reads the slot map on its own (besides on MOVED and lost connections). */
const SLOTS_REFRESH_MS = 2_000;

/**
 * `password()` is read on every (re)connection, so a rotating credential (an Entra token) is always the current one.
 * Sentinel: ioredis asks the sentinels for the master on every reconnect (a dead master drops the connection; a demoted
 * one answers READONLY, which triggers a reconnect).
 */
export function createRedisClient(
  config: RedisStoreConfig,
  credentials: { username: string | null; password: () => string | null },
): RedisClient {
  const { topology } = config;
  const tls = tlsOptions(config);
  const node: RedisOptions = {
    // A slow Redis must not stack requests: each command gets this deadline, then the request answers 503.
    commandTimeout: config.commandTimeoutMs,
    connectTimeout: Math.max(2_000, config.commandTimeoutMs * 2),
    // A command whose connection dropped is failed, not resent: resending GETDEL could consume a value whose first
    // reply was lost. The request gets a 503 and the user retries.
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    ...(credentials.username ? { username: credentials.username } : {}),
    ...(tls ? { tls } : {}),
    // Never CONFIG SET from the app (managed Redis forbids it); memory policy is the operator's choice.
  };
  const password = credentials.password();
  if (password !== null) node.password = password;

  if (topology.mode === 'cluster') {
    const options: ClusterOptions = {
      redisOptions: node,
      // While no slot map is known, commands fail at once instead of queueing (no hanging requests).
      enableOfflineQueue: false,
      clusterRetryStrategy: reconnectDelay,
      slotsRefreshInterval: SLOTS_REFRESH_MS,
      slotsRefreshTimeout: Math.max(1_000, config.commandTimeoutMs),
      // A node that is failing over: retry on the new slot map shortly, within the request's deadline.
      retryDelayOnFailover: 100,
      retryDelayOnClusterDown: 100,
      retryDelayOnTryAgain: 100,
      // Managed caches announce node IPs that their certificate does not name: keep the address as given, and verify
      // the certificate against the configured (or seed) host name instead (see tlsOptions).
      ...(tls
        ? { dnsLookup: (address: string, callback: (err: null, address: string) => void) => callback(null, address) }
        : {}),
    };
    const cluster = new Cluster(
      topology.seeds.map((s) => ({ host: s.host, port: s.port })),
      options,
    );
    // ioredis copies options into each node connection it creates: make every copy read the current password.
    if (cluster.options.redisOptions) livePassword(cluster.options.redisOptions, credentials.password);
    for (const n of cluster.nodes('all')) livePassword(n.options, credentials.password);
    cluster.on('+node', (n: Redis) => livePassword(n.options, credentials.password));
    return cluster;
  }
  const shared: RedisOptions = {
    ...node,
    enableOfflineQueue: false,
    retryStrategy: reconnectDelay,
    lazyConnect: false,
  };
  const redis =
    topology.mode === 'sentinel'
      ? new Redis({
          ...shared,
          sentinels: topology.sentinels.map((s) => ({ host: s.host, port: s.port })),
          name: topology.masterName,
          db: topology.db,
          ...(topology.sentinelPassword ? { sentinelPassword: topology.sentinelPassword } : {}),
          ...(tls ? { enableTLSForSentinelMode: true, sentinelTLS: tls } : {}),
          sentinelRetryStrategy: reconnectDelay,
          // A master demoted without dying (manual failover) answers writes with READONLY: reconnect, and the sentinels
          // name the new master. (ioredis' failoverDetector is not used: when +switch-master arrives while the client
          // is between reconnect attempts it ends the client for good — seen in test/bff/redis/sentinelAndTls.test.ts.)
          reconnectOnError: (err: Error) => err.message.startsWith('READONLY'),
        })
      : new Redis({ ...shared, host: topology.node.host, port: topology.node.port, db: topology.db });
  livePassword(redis.options, credentials.password);
  return redis;
}

/** Defines `password` as a getter: ioredis reads it when it (re)connects, so it always gets the current value. */
export function livePassword(options: { password?: string | undefined }, password: () => string | null): void {
  Object.defineProperty(options, 'password', {
    get: () => password() ?? undefined,
    enumerable: true,
    configurable: true,
  });
}

/** The TLS options every connection uses (data nodes, cluster nodes reached by announced IPs, sentinels), or null for plain TCP. */
export function tlsOptions(config: RedisStoreConfig): ConnectionOptions | null {
  if (!config.tls) return null;
  const seedHost = config.topology.mode === 'cluster' ? config.topology.seeds[0]?.host : undefined;
  const servername = config.tls.servername ?? (seedHost && !isIP(seedHost) ? seedHost : undefined);
  return {
    ...(config.tls.caPem ? { ca: config.tls.caPem } : {}),
    ...(servername ? { servername } : {}),
    minVersion: 'TLSv1.2',
  };
}
