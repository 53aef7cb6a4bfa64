// The one error shape both RTK Query base queries return (they never throw), plus helpers to build it.
import type { SerializedError } from '@reduxjs/toolkit';
import type { ApiErrorCode } from '../../shared-types/apiErrorCode';

/** Codes the SPA gives failures that carry no BFF code: no answer, an unreadable one, or a bare HTTP status. */
type ClientErrorCode = 'network_error' | 'aborted' | 'parse_error' | `http_${number}`;

/** An /api error (`Code` defaults to the BFF's contract); GraphError carries Graph's or MSAL's own codes. */
export interface ApiError<Code extends string = ApiErrorCode | ClientErrorCode> {
  /** HTTP status, or a transport-level reason. */
  status: number | 'FETCH_ERROR' | 'PARSE_ERROR' | 'AUTH_ERROR';
  /** Stable machine code (`login_required`, `consent_required`, Graph's `error.code`, …). */
  code: Code;
  message: string;
  /** Seconds to wait before retrying (429/503 Retry-After). */
  retryAfter?: number;
  /** consent_required: where to grant the missing scopes, and which. */
  consentUrl?: string;
  scopes?: string[];
  /** login_required: where to sign in again. */
  signInUrl?: string;
  /** The server's request id (X-Request-Id), shown to the user to quote to support; the server's log has the details. */
  requestId?: string;
  /** login_required: `claims_challenge` (re-authenticate with the claims Graph asked for) or `account_disabled`. */
  reason?: string;
  /** forbidden: the app role the route needs. */
  role?: string;
}

/** A Graph call's error: Graph's `error.code` (e.g. `InvalidAuthenticationToken`) or the token error's code. */
export type GraphError = ApiError<string>;

/**
 * Narrows an RTK Query hook's `error` to the base query's error. The base queries never throw, so the other member of
 * the union (a SerializedError from a throwing query function) is not expected; it is not an ApiError either.
 */
export function isApiError<E extends ApiError<string>>(error: E | SerializedError | undefined): error is E {
  return error !== undefined && 'status' in error;
}

/** `service`: who could not be reached, in the user's words ("the server", "Microsoft Graph"). */
export function fetchError(error: unknown, service = 'the server'): ApiError<'network_error' | 'aborted'> {
  const aborted = error instanceof Error && error.name === 'AbortError';
  return {
    status: 'FETCH_ERROR',
    code: aborted ? 'aborted' : 'network_error',
    message: aborted
      ? 'The request was cancelled.'
      : `Could not reach ${service}. Check your connection and try again.`,
  };
}

/** The response body for a successful call (`blob` for binary content), or a PARSE_ERROR when it cannot be read. */
export async function readBody(
  response: Response,
  responseType: 'json' | 'blob',
  service = 'the server',
): Promise<{ data: unknown } | { error: ApiError<'parse_error'> }> {
  try {
    return { data: responseType === 'blob' ? await response.blob() : await response.json() };
  } catch {
    return {
      error: {
        status: 'PARSE_ERROR',
        code: 'parse_error',
        message: `${capitalize(service)} sent an unreadable response.`,
      },
    };
  }
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

/** What the app was talking to when the error happened, in the user's words ("your mailbox", "Microsoft 365"). */
export type ServiceName = string;

/** Codes whose server message is written for users (validation, consent, permissions); others are replaced. */
const USER_FACING_CODES = new Set([
  'consent_required',
  'login_required',
  'invalid_request',
  'forbidden',
  'role_required',
  'not_found',
]);

const wait = (seconds: number | undefined) =>
  seconds === undefined
    ? 'Wait a moment and try again.'
    : seconds <= 1
      ? 'Wait a second and try again.'
      : `Wait about ${seconds} seconds and try again.`;

/**
 * The sentence an error banner shows: what happened and what the user can do. Never the server's wording for 5xx
 * errors or unknown codes (that is for operators, in the server log under the request id), never a countdown that
 * nothing runs.
 */
export function describeApiError(error: ApiError<string>, service: ServiceName = 'the server'): string {
  if (error.status === 'FETCH_ERROR') {
    return error.code === 'aborted'
      ? 'The request was cancelled.'
      : `Could not reach ${service}. Check your connection and try again.`;
  }
  if (error.status === 'PARSE_ERROR')
    return `${capitalize(service)} sent an answer the app could not read. Try again in a moment.`;
  if (error.status === 'AUTH_ERROR') return error.message;
  const { status, code } = error;
  if (status === 429 || code === 'rate_limited' || code === 'downstream_throttled')
    return `${capitalize(service)} is receiving too many requests. ${wait(error.retryAfter)}`;
  if (code === 'managed_identity_unavailable' || code === 'vault_unauthorized') {
    return 'The secret store is not available right now. Try again later; if it keeps happening, contact support.';
  }
  if (code.startsWith('identity_provider_'))
    return `The sign-in service is not responding right now. ${wait(error.retryAfter)}`;
  if (status === 503 || status === 502 || status === 504 || code.startsWith('upstream_')) {
    return `${capitalize(service)} is not responding right now. ${wait(error.retryAfter)}`;
  }
  if (status >= 500) return 'Something went wrong on our side. Try again; if it keeps happening, contact support.';
  if (status === 401) return 'Your session has ended. Sign in again to continue.';
  if (status === 403)
    return USER_FACING_CODES.has(code) && error.message ? error.message : 'You do not have permission for this.';
  if (USER_FACING_CODES.has(code) && error.message) return error.message;
  return messageForStatus(status);
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
