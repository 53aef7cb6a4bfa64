// Per-user MSAL cache blobs in Redis: one key per homeAccountId, sealed with AES-256-GCM bound to that partition.
import type { Logger } from '../http/logger';
import type { RedisConnection } from '../store/redisClient';
import { CacheCipher, SealedValueError } from './cacheEncryption';
import type { TokenCacheStore } from './tokenCacheStore';

/**
 * `hsb:tc:{HMAC(tc:<homeAccountId>)}` → sealed serialized cache (the key name reveals no identity, see RedisKeyspace). The TTL (tokenCache.ttlMs) is renewed on every write, i.e. every
 * sign-in and refresh; an idle user's tokens then expire from Redis on their own.
 */
export class RedisTokenCacheStore implements TokenCacheStore {
  constructor(
    private readonly connection: RedisConnection,
    private readonly cipher: CacheCipher,
    private readonly options: { ttlMs: number; log: Logger },
  ) {}

  async get(partitionKey: string): Promise<string | null> {
    const found = await this.connection.readFirst('token cache get', this.#context(partitionKey));
    if (!found) return null;
    const sealed = found.value;
    let reason: string;
    try {
      const blob = this.cipher.open(sealed, this.#context(partitionKey));
      const parsed: unknown = JSON.parse(blob);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return blob;
      reason = 'not_a_cache';
    } catch (err) {
      reason = err instanceof SealedValueError ? err.reason : 'invalid_json';
    }
    // Never another user's data, never a crash: the partition reads as empty and the user signs in again (T24).
    this.options.log.warn(
      { reason },
      'token cache partition unreadable (altered, copied from another partition or sealed with a retired key); treating it as empty',
    );
    return null;
  }

  async set(partitionKey: string, blob: string): Promise<void> {
    const sealed = this.cipher.seal(blob, this.#context(partitionKey));
    const [current, ...older] = this.connection.keyspace.candidates(this.#context(partitionKey));
    await this.connection.run('token cache set', (r) => r.set(current!, sealed, 'PX', this.options.ttlMs));
    // During a key rotation the copy under the old key's name is now stale: drop it (one single-key DEL each).
    await Promise.all(older.map((name) => this.connection.run('token cache set', (r) => r.del(name))));
  }

  async delete(partitionKey: string): Promise<void> {
    await this.connection.deleteAll('token cache delete', this.#context(partitionKey));
  }

  #context(partitionKey: string): string {
    return `tc:${partitionKey}`;
  }
}
