// Retry-After (RFC 9110: delta-seconds or an HTTP-date) as whole seconds: read by the BFF from downstream answers and
// by the SPA from the BFF's and Graph's.

/** At most a day: a larger value is a misconfigured server, not a wait worth telling anyone about. */
const MAX_SECONDS = 86_400;

/** Retry-After as whole seconds (delta-seconds or an HTTP-date), or null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed), MAX_SECONDS);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.min(Math.max(0, Math.ceil((date - now) / 1000)), MAX_SECONDS);
}
