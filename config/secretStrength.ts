// Spots secrets that are obviously weak (a typo, a placeholder, a pattern) so production refuses them at start.

const PLACEHOLDER = /change.?me|example|placeholder|password|secret|your.?key|dummy|default/i;

/**
 * Why a SESSION_KEYS entry is obviously weak, or null. Deliberately coarse: it catches keys typed by hand
 * ("aaaa…", "abcabc…", "0123456789…", "changeme…"); it cannot prove a key random. Random keys of 32+ characters,
 * hex ones included, always pass.
 */
export function sessionKeyWeakness(key: string): string | null {
  const chars = [...key];
  const distinct = new Set(chars).size;
  if (distinct < 10) return `uses only ${distinct} distinct character${distinct === 1 ? '' : 's'}`;
  const trigrams = new Set(chars.slice(2).map((c, i) => chars[i]! + chars[i + 1]! + c));
  if (trigrams.size < 0.75 * (chars.length - 2)) return 'repeats itself';
  let steps = 0;
  for (let i = 1; i < chars.length; i++) {
    if (Math.abs(chars[i]!.codePointAt(0)! - chars[i - 1]!.codePointAt(0)!) === 1) steps++;
  }
  if (steps > 0.5 * (chars.length - 1)) return 'is mostly runs of consecutive characters (like abcdef or 123456)';
  if (PLACEHOLDER.test(key)) return 'contains placeholder text';
  return null;
}

/** Why a 32-byte TOKEN_CACHE_KEYS entry is obviously weak (e.g. all zero bytes), or null. */
export function binaryKeyWeakness(key: Buffer): string | null {
  const distinct = new Set(key).size;
  return distinct < 16 ? `has only ${distinct} distinct bytes of 32 (not random)` : null;
}
