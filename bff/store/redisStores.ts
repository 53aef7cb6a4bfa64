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
import { createRedisConnection } from './redisClient';
import { RedisOneTimeStore } from './redisOneTimeStore';

/**
 * Connects and returns the stores (sessions, token caches, login transactions, spa codes, sid index) over one connection; every value is sealed with tokenCache.encryptionKeys.
 * Waits briefly for the first connection so the first requests do not fail, but starts anyway when Redis is down
 * (requests needing the store answer 503 and /readyz says 503 until Redis answers; it reconnects on its own).
 */
export async function createRedisStores(config: Readonly<Config>, options: { log?: Logger } = {}): Promise<Stores> {
  if (config.store.kind !== 'redis') throw new TypeError('createRedisStores needs store.kind = "redis"');
  const cipher = new CacheCipher(config.tokenCache.encryptionKeys); // throws on bad keys before anything connects
  const baseLog = options.log ?? createLogger(config.log.level);
  const connection = createRedisConnection(config.store, baseLog);
  const log = baseLog.child({ component: 'store' });
  if (!(await connection.waitUntilReady(Math.max(1_000, config.store.commandTimeoutMs)))) {
    log.warn('Redis is not reachable at startup; starting anyway (503 for requests that need it until it is)');
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
