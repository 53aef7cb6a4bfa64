// The in-process storage backends (the default for one BFF instance and for `npm start`).
import type { Config } from '../../config/types';
import type { Stores } from './stores';
import { MemorySessionStore } from '../session/sessionStore';
import { MemoryTokenCacheStore } from '../tokenCache/tokenCacheStore';
import { MemoryOneTimeStore } from './oneTimeStore';

export function createMemoryStores(config: Pick<Config, 'tokenCache'>): Stores {
  return {
    sessions: new MemorySessionStore(),
    tokenCache: new MemoryTokenCacheStore({ ttlMs: config.tokenCache.ttlMs, maxEntries: config.tokenCache.maxEntries }),
    loginTransactions: new MemoryOneTimeStore(),
    spaCodes: new MemoryOneTimeStore(),
    sidIndex: new MemoryOneTimeStore(),
    readiness: {},
    close: async () => {},
  };
}
