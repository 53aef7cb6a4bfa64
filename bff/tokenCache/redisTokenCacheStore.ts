// Per-user MSAL cache blobs in Redis: one key per homeAccountId, sealed with AES-256-GCM bound to that partition, and
// the partition's generation next to it (same hash tag, so every script over both stays in one slot).
import type { Logger } from '../http/logger';
import type { RedisConnection } from '../store/redisClient';
import { RedisScript } from '../store/redisScript';
import { CacheCipher, SealedValueError } from './cacheEncryption';
import {
  ENDED_MARKER_MS,
  newEndedMarker,
  newLiveGeneration,
  tooOldToCheck,
  type PartitionGeneration,
  type PartitionRead,
} from './generation';
import type { TokenCacheStore } from './tokenCacheStore';

/** The generation key's namespace: `<prefix>tcg:{<tag of tc:<homeAccountId>>}`. */
const GENERATION_NAMESPACE = 'tcg';

/**
 * KEYS: blob, generation. ARGV: sealed blob, TTL (ms), expected generation ('*': a sign-in, no check), new live id.
 * Refused (0) when the generation is not the expected one. A live generation is kept (its TTL follows the blob's);
 * anything else (a sign-in, or a write that read none / an ended marker) starts the new one.
 */
const SET_SCRIPT = new RedisScript(`
local current = redis.call('GET', KEYS[2]) or ''
if ARGV[3] ~= '*' and current ~= ARGV[3] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if ARGV[3] ~= '*' and string.sub(current, 1, 5) == 'live:' then
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
else
  redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[2])
end
return 1
`);

/** KEYS: blob, generation. ARGV: ended marker, its TTL (ms). */
const DELETE_SCRIPT = new RedisScript(`
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
return 1
`);

/**
 * `hsb:tc:{HMAC(tc:<homeAccountId>)}` → sealed serialized cache (the key name reveals no identity, see RedisKeyspace);
 * `hsb:tcg:{same tag}` → its generation (a random id, see generation.ts). The TTL (tokenCache.ttlMs) is renewed on every
 * write, i.e. every sign-in and refresh; an idle user's tokens then expire from Redis on their own.
 */
export class RedisTokenCacheStore implements TokenCacheStore {
  constructor(
    private readonly connection: RedisConnection,
    private readonly cipher: CacheCipher,
    private readonly options: { ttlMs: number; log: Logger; now?: () => number },
  ) {}

  async get(partitionKey: string): Promise<string | null> {
    return (await this.read(partitionKey)).blob;
  }

  async read(partitionKey: string): Promise<PartitionRead> {
    const context = this.#context(partitionKey);
    const [current, ...older] = this.connection.keyspace.candidates(context);
    const [generationName] = this.#generationNames(partitionKey);
    const readAt = this.#now();
    // One MGET (one slot): the blob and the generation it belongs to, as of the same instant.
    const [generation, found] = await this.connection.run('token cache get', (r) =>
      r.mgetBuffer(generationName!, current!),
    );
    let sealed = found;
    // During a key rotation the partition may still be under an older key's name (its generation stays with the current).
    for (const name of older) {
      if (sealed) break;
      sealed = await this.connection.run('token cache get', (r) => r.getBuffer(name));
    }
    return {
      blob: sealed ? this.#open(sealed, context) : null,
      generation: { id: generation?.toString('utf8') ?? '', readAt },
    };
  }

  async set(partitionKey: string, blob: string): Promise<void> {
    await this.#write(partitionKey, blob, '*');
  }

  async setIfCurrent(partitionKey: string, blob: string, read: PartitionGeneration): Promise<boolean> {
    if (tooOldToCheck(read, this.#now())) return false;
    return this.#write(partitionKey, blob, read.id);
  }

  async delete(partitionKey: string): Promise<void> {
    const blobs = this.connection.keyspace.candidates(this.#context(partitionKey));
    const generations = this.#generationNames(partitionKey);
    // Under every name the partition may have (rotation): each pair is one script in its own slot.
    await Promise.all(
      blobs.map((name, i) =>
        this.connection.run('token cache delete', (r) =>
          DELETE_SCRIPT.run(r, [name, generations[i]!], [newEndedMarker(), ENDED_MARKER_MS]),
        ),
      ),
    );
  }

  async #write(partitionKey: string, blob: string, expected: string): Promise<boolean> {
    const sealed = this.cipher.seal(blob, this.#context(partitionKey));
    const [current, ...older] = this.connection.keyspace.candidates(this.#context(partitionKey));
    const [generation] = this.#generationNames(partitionKey);
    const stored = await this.connection.run('token cache set', (r) =>
      SET_SCRIPT.run(r, [current!, generation!], [sealed, this.options.ttlMs, expected, newLiveGeneration()]),
    );
    if (stored !== 1) return false;
    // During a key rotation the copy under the old key's name is now stale: drop it (one single-key DEL each).
    await Promise.all(older.map((name) => this.connection.run('token cache set', (r) => r.del(name))));
    return true;
  }

  #open(sealed: Buffer, context: string): string | null {
    let reason: string;
    try {
      const blob = this.cipher.open(sealed, context);
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

  #generationNames(partitionKey: string): string[] {
    return this.connection.keyspace.companions(this.#context(partitionKey), GENERATION_NAMESPACE);
  }

  #context(partitionKey: string): string {
    return `tc:${partitionKey}`;
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }
}
