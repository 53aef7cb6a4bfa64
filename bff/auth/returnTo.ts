// Accepts a post-sign-in destination only when it is a path inside this app (open-redirect defence).

const MAX_LENGTH = 2048;
const PROBE_ORIGIN = 'http://return-to.invalid';

/**
 * Returns the normalized local path (path + query + hash) or null when `value` could lead anywhere else:
 * absolute or scheme URLs, protocol-relative `//x`, backslash tricks `/\x`, encoded slashes, control characters,
 * or the BFF's own /auth and /api endpoints (which would loop or act on the user's behalf).
 */
export function parseReturnTo(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return null;
  }
  for (const candidate of [value, decoded]) {
    if (!candidate.startsWith('/')) return null;
    if (candidate.startsWith('//')) return null;
    // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
    if (/[\\\u0000-\u001f\u007f\u0080-\u009f\u2028\u2029]/.test(candidate)) return null;
    if (/^\/[\s\u00a0\ufeff]/.test(candidate)) return null;
  }
  let url: URL;
  try {
    url = new URL(value, PROBE_ORIGIN);
  } catch {
    return null;
  }
  if (url.origin !== PROBE_ORIGIN) return null;
  const path = url.pathname.toLowerCase();
  if (/^\/(auth|api)(\/|$)/.test(path)) return null;
  if (path.includes('%2f') || path.includes('%5c')) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}
