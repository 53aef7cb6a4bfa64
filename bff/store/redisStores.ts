// The Redis storage backends (STORE=redis): sessions, token caches, login transactions and spa codes shared by instances.
import type { Config } from '../../config/types';
import type { LoginTransaction } from '../auth/loginTransactions';
import type { SpaCodeGrant } from '../bootstrap/buildBootstrap';
import { createLogger, type Logger } from '../http/logger';
import type { Stores } from './stores';
import { RedisSessionStore } from '../session/redisSessionStore';
import type { SidIndexEntry } from '../session/sessionAccess';
import { CacheCipher } from '../tokenCache/cacheEncryption';
import { RedisTokenCacheStore } from '../tokenCache/redisTokenCacheStore';
import { createRedisConnection, isTlsConfigurationError } from './redisClient';
import { tlsOptions } from './redisClientFactory';
import { RedisEntraAuth, type RedisTokenSource } from './redisEntraAuth';
import { RedisOneTimeStore } from './redisOneTimeStore';
import { firstNode, tlsHandshakeError } from './redisTlsProbe';

/** Redis refused the TLS setup (wrong CA, wrong host name, TLS to a plain port): a configuration error, not an outage. */
export class RedisTlsError extends Error {
  override readonly name = 'RedisTlsError';
}

export interface RedisStoresOptions {
  log?: Logger;
  /**
   * REDIS_AUTH=entra: where tokens come from (required then). The app passes createRedisTokenSource over its own identity
   * (managed identity or its client credential); tests pass their own.
   */
  tokenSource?: RedisTokenSource;
  /** REDIS_AUTH=entra: share of a token's lifetime after which the next one is fetched (tests shorten the cycle). */
  tokenRefreshRatio?: number;
}

/**
 * Connects and returns the stores (sessions, token caches, login transactions, spa codes, sid index) over one
 * connection (a cluster client in cluster mode); every value is sealed with tokenCache.encryptionKeys, every key name is
 * a keyed hash (RedisKeyspace). Waits briefly for the first connection so the first requests do not fail, but starts
 * anyway when Redis is down (503 until it answers; it reconnects on its own). A TLS setup Redis refuses is a start-up
 * error: it will not fix itself.
 */
export async function createRedisStores(config: Readonly<Config>, options: RedisStoresOptions = {}): Promise<Stores> {
  const storeConfig = config.store;
  if (storeConfig.kind !== 'redis') throw new TypeError('createRedisStores needs store.kind = "redis"');
  const cipher = new CacheCipher(config.tokenCache.encryptionKeys); // throws on bad keys before anything connects
  const baseLog = options.log ?? createLogger(config.log.level);
  const log = baseLog.child({ component: 'store' });
  const waitMs = Math.max(1_000, storeConfig.commandTimeoutMs);

  let entra: RedisEntraAuth | undefined;
  if (storeConfig.auth.kind === 'entra') {
    if (!options.tokenSource) throw new TypeError('REDIS_AUTH=entra: createRedisStores needs a tokenSource');
    entra = new RedisEntraAuth(options.tokenSource, {
      username: storeConfig.auth.objectId,
      log,
      ...(options.tokenRefreshRatio ? { refreshRatio: options.tokenRefreshRatio } : {}),
    });
    if (!(await entra.start()))
      log.warn('no Microsoft Entra token for Redis at startup; starting anyway (503 until one arrives)');
  }
  const connection = createRedisConnection(storeConfig, baseLog, {
    storeKeys: config.tokenCache.encryptionKeys,
    entra,
  });
  if (!(await connection.waitUntilReady(waitMs))) {
    const tls = tlsOptions(storeConfig);
    const node = firstNode(storeConfig);
    const code =
      isTlsConfigurationError(connection.lastErrorCode) || !tls || !node
        ? connection.lastErrorCode
        : await tlsHandshakeError(node, tls, waitMs);
    if (isTlsConfigurationError(code)) {
      await connection.close();
      throw new RedisTlsError(
        `Redis refused the TLS connection (${code}): check REDIS_TLS_CA_FILE (the CA that signed the server certificate), ` +
          'REDIS_TLS_SERVERNAME (a name the certificate carries) and that the port speaks TLS.',
      );
    }
    log.warn(
      { code: connection.lastErrorCode },
      'Redis is not reachable at startup; starting anyway (503 for requests that need it until it is)',
    );
  }
  return {
    sessions: new RedisSessionStore(connection, cipher, { absoluteTimeoutMs: config.session.absoluteTimeoutMs, log }),
    tokenCache: new RedisTokenCacheStore(connection, cipher, { ttlMs: config.tokenCache.ttlMs, log }),
    loginTransactions: new RedisOneTimeStore<LoginTransaction>(connection, cipher, 'tx', log),
    spaCodes: new RedisOneTimeStore<SpaCodeGrant>(connection, cipher, 'spa', log),
    // Front-channel logout arrives at any instance: the sid → session index must be shared too.
    sidIndex: new RedisOneTimeStore<SidIndexEntry>(connection, cipher, 'sid', log),
    readiness: { redis: () => connection.ping() },
    close: () => connection.close(),
  };
}
