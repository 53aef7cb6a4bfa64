// The one error shape both RTK Query base queries return (they never throw), plus helpers to build it.
import type { SerializedError } from '@reduxjs/toolkit';
import type { ApiErrorCode } from '../../shared-types/apiErrorCode';

/** Codes the SPA gives failures that carry no BFF code: no answer, an unreadable one, or a bare HTTP status. */
export type ClientErrorCode = 'network_error' | 'aborted' | 'parse_error' | `http_${number}`;

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

export function fetchError(error: unknown): ApiError<'network_error' | 'aborted'> {
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
export function describeApiError(error: ApiError<string>): string {
  const wait = error.retryAfter !== undefined ? ` (retry in ${error.retryAfter}s)` : '';
  return `${error.message}${wait}`;
}
