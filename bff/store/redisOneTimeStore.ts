// One-time values in Redis (login transactions, spa codes): SET … PX to store, GETDEL to consume atomically across instances.
import type { Logger } from '../http/logger';
import { CacheCipher, SealedValueError } from '../tokenCache/cacheEncryption';
import type { OneTimeStore } from './oneTimeStore';
import type { RedisConnection } from './redisClient';

/**
 * Values are JSON, sealed with AES-256-GCM bound to their key (they hold PKCE verifiers, nonces and spa codes).
 * `take` is GETDEL: when two instances receive the same callback, exactly one gets the transaction.
 */
export class RedisOneTimeStore<T> implements OneTimeStore<T> {
  constructor(
    private readonly connection: RedisConnection,
    private readonly cipher: CacheCipher,
    /** Key namespace, e.g. "tx" (login transactions) or "spa" (spa codes). */
    private readonly namespace: string,
    private readonly log: Logger,
  ) {}

  async put(key: string, value: T, ttlMs: number): Promise<void> {
    const sealed = this.cipher.seal(JSON.stringify(value), this.#context(key));
    const ttl = Math.max(1, Math.ceil(ttlMs));
    await this.connection.run(`${this.namespace} put`, (r) =>
      r.set(this.connection.key(this.#context(key)), sealed, 'PX', ttl),
    );
  }

  async take(key: string): Promise<T | null> {
    const found = await this.connection.readFirst(`${this.namespace} take`, this.#context(key), true);
    if (!found) return null;
    const sealed = found.value;
    try {
      return JSON.parse(this.cipher.open(sealed, this.#context(key))) as T;
    } catch (err) {
      // Unreadable (altered, foreign key, other format): as good as absent; the user starts over.
      this.log.warn(
        { namespace: this.namespace, reason: err instanceof SealedValueError ? err.reason : 'invalid_json' },
        'discarded an unreadable one-time value',
      );
      return null;
    }
  }

  #context(key: string): string {
    return `${this.namespace}:${key}`;
  }
}
