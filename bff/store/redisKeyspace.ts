// Redis key names that reveal nothing: a keyed hash (HMAC) of the logical key, inside a cluster hash tag.
import { createHash, createHmac, hkdfSync } from 'node:crypto';

/** 128 bits of HMAC-SHA256, base64url: collision-free in practice, short enough to keep keys small. */
const TAG_BYTES = 16;

/**
 * A logical key such as `tc:<homeAccountId>` or `sid:<Entra sid>` is stored as `<prefix>tc:{<tag>}` where
 * tag = HMAC-SHA256(naming key, logical key). Anyone who can SCAN the keys sees namespaces and opaque tags, never an
 * object id, tenant id, Entra sid or session id; a sid read from Redis can no longer sign a user out through
 * front-channel logout. The values stay sealed with the logical key as associated data, so the at-rest binding
 * (a value copied to another key fails to open) is unchanged.
 *
 * The tag is the whole hash tag, so each logical key has its own slot in a cluster, and every command the stores send
 * names one key (single-slot by construction). A companion key for the same logical key (the token cache's generation
 * next to the token cache, `tcg:{<tag>}`) reuses the tag, so a script over both stays in one slot.
 *
 * Naming keys are derived (HKDF) from the store keys (TOKEN_CACHE_KEYS or the keys derived from SESSION_KEYS), one per
 * store key, newest first. Values are written under the newest; during a key rotation reads also look under the older
 * names, so rotating keys does not orphan anything that is still readable.
 */
export class RedisKeyspace {
  readonly #namingKeys: Buffer[];

  constructor(
    private readonly prefix: string,
    storeKeys: readonly Buffer[],
  ) {
    if (storeKeys.length === 0) throw new TypeError('RedisKeyspace needs at least one store key');
    if (/[{}]/.test(prefix))
      throw new TypeError('the Redis key prefix must not contain braces (they would become the hash tag)');
    const seen = new Set<string>();
    this.#namingKeys = storeKeys
      .map((k) =>
        Buffer.from(hkdfSync('sha256', k, createHash('sha256').update('hsb').digest(), 'redis-key-names-v1', 32)),
      )
      .filter((k) => !seen.has(k.toString('hex')) && seen.add(k.toString('hex')));
  }

  /** The name new values for `logicalKey` ("<namespace>:<id>") are written under. */
  name(logicalKey: string): string {
    return this.#nameWith(this.#namingKeys[0]!, logicalKey);
  }

  /** Every name a value may still be under: the current one first, then those of older store keys (rotation). */
  candidates(logicalKey: string): string[] {
    return this.#namingKeys.map((k) => this.#nameWith(k, logicalKey));
  }

  /**
   * The names of a companion key in `namespace` next to each of `logicalKey`'s candidates, in the same order: same
   * hash tag, so a companion and its key always share a cluster slot.
   */
  companions(logicalKey: string, namespace: string): string[] {
    if (!/^[a-z]+$/.test(namespace)) throw new TypeError('a companion namespace is lowercase letters');
    return this.#namingKeys.map((k) => this.#nameWith(k, logicalKey, namespace));
  }

  /** `<prefix><namespace>:` — for SCAN patterns in tests and diagnostics. */
  namespacePrefix(namespace: string): string {
    return `${this.prefix}${namespace}:`;
  }

  #nameWith(namingKey: Buffer, logicalKey: string, namespace?: string): string {
    const colon = logicalKey.indexOf(':');
    if (colon <= 0) throw new TypeError('a logical key is "<namespace>:<id>"');
    const tag = createHmac('sha256', namingKey)
      .update(logicalKey, 'utf8')
      .digest()
      .subarray(0, TAG_BYTES)
      .toString('base64url');
    return `${this.prefix}${namespace ?? logicalKey.slice(0, colon)}:{${tag}}`;
  }
}
