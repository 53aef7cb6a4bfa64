// The one error shape both RTK Query base queries return (they never throw), plus helpers to build it.

export interface ApiError {
  /** HTTP status, or a transport-level reason. */
  status: number | 'FETCH_ERROR' | 'PARSE_ERROR' | 'AUTH_ERROR';
  /** Stable machine code (`login_required`, `consent_required`, Graph's `error.code`, …). */
  code: string;
  message: string;
  /** Seconds to wait before retrying (429/503 Retry-After). */
  retryAfter?: number;
  /** consent_required: where to grant the missing scopes, and which. */
  consentUrl?: string;
  scopes?: string[];
  /** login_required: where to sign in again. */
  signInUrl?: string;
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, nowMs: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - nowMs) / 1000));
}

export function fetchError(error: unknown): ApiError {
  const aborted = error instanceof Error && error.name === 'AbortError';
  return {
    status: 'FETCH_ERROR',
    code: aborted ? 'aborted' : 'network_error',
    message: aborted ? 'The request was cancelled.' : 'Could not reach the server. Check your connection and try again.',
  };
}

const STATUS_MESSAGES: Record<number, string> = {
  400: 'The request was not accepted.',
  401: 'Your session has expired. Sign in again.',
  403: 'You do not have permission for this.',
  404: 'Not found.',
  429: 'Too many requests. Wait a moment and try again.',
  500: 'The server had a problem. Try again.',
  502: 'A service the app depends on failed. Try again.',
  503: 'The service is busy or unavailable. Try again shortly.',
  504: 'A service the app depends on timed out. Try again.',
};

export function messageForStatus(status: number): string {
  return STATUS_MESSAGES[status] ?? `The request failed (HTTP ${status}).`;
}

/** A line for an error banner. */
export function describeApiError(error: ApiError): string {
  const wait = error.retryAfter !== undefined ? ` (retry in ${error.retryAfter}s)` : '';
  return `${error.message}${wait}`;
}
