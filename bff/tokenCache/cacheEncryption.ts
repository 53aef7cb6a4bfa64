// AES-256-GCM sealing of values kept outside the process (Redis): bound to their key, rotatable, tamper-evident.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Sealed layout (binary):
 *   [0]      format version (1)
 *   [1..4]   key id: the first 4 bytes of HMAC-SHA256(key, "hsb key id") — names the key without revealing it, and
 *            stays the same whatever position the key has in the configured list (rotation reorders the list)
 *   [5..16]  random 96-bit IV
 *   [17..n-16] ciphertext
 *   [n-16..] GCM tag (128 bits)
 * Associated data = the 17 header bytes + the caller's context (e.g. "tc:<homeAccountId>"), so a value copied to
 * another key (another user's partition, another session) fails authentication instead of being served.
 */
const FORMAT_VERSION = 1;
const KEY_ID_LENGTH = 4;
const IV_LENGTH = 12;
const TAG_LENGTH = 16;
const HEADER_LENGTH = 1 + KEY_ID_LENGTH + IV_LENGTH;

export type OpenFailure = 'malformed' | 'unknown_key' | 'not_authentic';

/** A sealed value could not be opened; `reason` is safe to log (it never carries content). */
export class SealedValueError extends Error {
  override readonly name = 'SealedValueError';
  constructor(readonly reason: OpenFailure) {
    super(`sealed value rejected: ${reason}`);
  }
}

interface KeyEntry {
  id: Buffer;
  key: Buffer;
}

/** Encrypts with the first key, decrypts with any (rotation: put the new key first, drop the old one after the TTL). */
export class CacheCipher {
  readonly #keys: KeyEntry[];

  constructor(keys: readonly Buffer[]) {
    if (keys.length === 0) throw new TypeError('CacheCipher needs at least one key');
    this.#keys = keys.map((key, i) => {
      if (key.length !== 32) throw new TypeError(`CacheCipher key #${i + 1} must be 32 bytes (AES-256)`);
      return { key: Buffer.from(key), id: keyIdOf(key) };
    });
  }

  /** The id of the key new values are sealed with (hex), for logs and tests. */
  get currentKeyId(): string {
    return this.#keys[0]!.id.toString('hex');
  }

  seal(plaintext: string, context: string): Buffer {
    const { key, id } = this.#keys[0]!;
    const header = Buffer.alloc(HEADER_LENGTH);
    header[0] = FORMAT_VERSION;
    id.copy(header, 1);
    randomBytes(IV_LENGTH).copy(header, 1 + KEY_ID_LENGTH);
    const cipher = createCipheriv('aes-256-gcm', key, header.subarray(1 + KEY_ID_LENGTH), {
      authTagLength: TAG_LENGTH,
    });
    cipher.setAAD(associatedData(header, context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([header, body, cipher.getAuthTag()]);
  }

  /** Returns the plaintext; throws SealedValueError when the value is malformed, sealed with an unknown key or altered. */
  open(sealed: Buffer, context: string): string {
    if (sealed.length < HEADER_LENGTH + TAG_LENGTH || sealed[0] !== FORMAT_VERSION)
      throw new SealedValueError('malformed');
    const header = sealed.subarray(0, HEADER_LENGTH);
    const keyId = header.subarray(1, 1 + KEY_ID_LENGTH);
    const candidates = this.#keys.filter((k) => k.id.equals(keyId));
    if (candidates.length === 0) throw new SealedValueError('unknown_key');
    const iv = header.subarray(1 + KEY_ID_LENGTH);
    const body = sealed.subarray(HEADER_LENGTH, sealed.length - TAG_LENGTH);
    const tag = sealed.subarray(sealed.length - TAG_LENGTH);
    // Almost always one candidate; a 4-byte id collision between two configured keys just means trying both.
    for (const { key } of candidates) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_LENGTH });
        decipher.setAAD(associatedData(header, context));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch {
        // try the next candidate
      }
    }
    throw new SealedValueError('not_authentic');
  }

  /** The key id a sealed value names (hex), or null when it is not a sealed value. For tests and diagnostics. */
  static keyIdOf(sealed: Buffer): string | null {
    if (sealed.length < HEADER_LENGTH + TAG_LENGTH || sealed[0] !== FORMAT_VERSION) return null;
    return sealed.subarray(1, 1 + KEY_ID_LENGTH).toString('hex');
  }
}

function keyIdOf(key: Buffer): Buffer {
  return createHmac('sha256', key).update('hsb key id').digest().subarray(0, KEY_ID_LENGTH);
}

function associatedData(header: Buffer, context: string): Buffer {
  return Buffer.concat([header, Buffer.from(context, 'utf8')]);
}
