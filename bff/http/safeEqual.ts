// Compares secrets (tokens, HMACs, hashes) in time that does not depend on where they first differ.
import { timingSafeEqual } from 'node:crypto';

/** True when `a` and `b` are the same text. Only the length may leak, and these values have fixed, public lengths. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
