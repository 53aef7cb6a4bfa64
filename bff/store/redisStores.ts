// The Redis storage backends (STORE=redis): sessions, token caches, login transactions and spa codes shared by instances.
import type { Config } from '../../config/types';
import type { LoginTransaction } from '../auth/loginTransactions';
import type { SpaCodeGrant } from '../bootstrap/buildBootstrap';
import { createLogger, type Logger } from '../http/logger';
import type { Stores } from '../services';
import { RedisSessionStore } from '../session/redisSessionStore';
import { CacheCipher } from '../tokenCache/cacheEncryption';
import { RedisTokenCacheStore } from '../tokenCache/redisTokenCacheStore';
import { createRedisConnection } from './redisClient';
import { RedisOneTimeStore } from './redisOneTimeStore';

/**
 * Connects (without waiting: the process starts even when Redis is down, /readyz says 503 until it answers) and
 * returns the four stores over one connection. Every value is sealed with tokenCache.encryptionKeys.
 */
export async function createRedisStores(config: Readonly<Config>, options: { log?: Logger } = {}): Promise<Stores> {
  if (config.store.kind !== 'redis') throw new TypeError('createRedisStores needs store.kind = "redis"');
  const log = (options.log ?? createLogger(config.log.level)).child({ component: 'store' });
  const connection = createRedisConnection(config.store, log);
  const cipher = new CacheCipher(config.tokenCache.encryptionKeys);
  return {
    sessions: new RedisSessionStore(connection, cipher, { absoluteTimeoutMs: config.session.absoluteTimeoutMs, log }),
    tokenCache: new RedisTokenCacheStore(connection, cipher, { ttlMs: config.tokenCache.ttlMs, log }),
    loginTransactions: new RedisOneTimeStore<LoginTransaction>(connection, cipher, 'tx', log),
    spaCodes: new RedisOneTimeStore<SpaCodeGrant>(connection, cipher, 'spa', log),
    readiness: { redis: () => connection.ping() },
    close: () => connection.close(),
  };
}
