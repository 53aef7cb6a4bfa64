// Signs and verifies cookie values for Koa (the Keygrip interface cookies uses: sign, verify, index) with HMAC-SHA256.
import { createHmac } from 'node:crypto';
import { safeEqual } from './safeEqual';

/**
 * Same signatures as `new Keygrip(keys, 'sha256')` (base64url HMAC), verified with crypto.timingSafeEqual instead of
 * keygrip's double-HMAC comparison: cookie verification runs on every request, and that comparison was a visible
 * share of the bootstrap page's CPU in the benchmark profile.
 */
export class CookieSigner {
  readonly #keys: readonly string[];

  /** `keys`: newest first; the first signs, all verify (rotation). */
  constructor(keys: readonly string[]) {
    if (keys.length === 0) throw new TypeError('CookieSigner needs at least one key');
    this.#keys = [...keys];
  }

  sign(data: string): string {
    return hmac(this.#keys[0]!, data);
  }

  verify(data: string, digest: string): boolean {
    return this.index(data, digest) !== -1;
  }

  /** The index of the key that produced `digest`, or -1. */
  index(data: string, digest: string): number {
    if (typeof digest !== 'string') return -1;
    for (let i = 0; i < this.#keys.length; i++) {
      if (safeEqual(hmac(this.#keys[i]!, data), digest)) return i;
    }
    return -1;
  }
}

function hmac(key: string, data: string): string {
  return createHmac('sha256', key).update(data).digest('base64url');
}
