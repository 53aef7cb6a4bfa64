// The BFF /api base query: same-origin cookies, the CSRF header on every call, typed errors (never throws).
import type { BaseQueryFn } from '@reduxjs/toolkit/query';
import { CSRF_HEADER, CSRF_HEADER_VALUE, type ApiErrorBody } from '../../shared-types/api';
import { isApiErrorCode } from '../../shared-types/apiErrorCode';
import { parseRetryAfter } from '../../shared-types/retryAfter';
import type { AppExtra } from '../app/store';
import { interactionStarted, sessionExpired } from '../features/auth/authActions';
import { fetchError, messageForStatus, readBody, type ApiError } from './apiError';

/** The claims challenge this tab last re-authenticated for: the same one again is shown, not redirected (no loop). */
export const CLAIMS_REAUTH_KEY = 'hsb.claimsReauth';

export interface BffRequest {
  /** Path under /api, e.g. `/mail?top=10&skip=0`. */
  url: string;
  method?: 'GET' | 'POST';
  body?: unknown;
}

const isErrorBody = (v: unknown): v is Partial<ApiErrorBody> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

async function bffErrorFrom(response: Response): Promise<ApiError> {
  let body: Partial<ApiErrorBody> = {};
  try {
    const parsed: unknown = await response.json();
    if (isErrorBody(parsed)) body = parsed;
  } catch {
    // Not JSON (e.g. a proxy's HTML error page): fall back to the status.
  }
  const retryAfter =
    parseRetryAfter(response.headers.get('Retry-After')) ??
    (typeof body.retryAfter === 'number' ? body.retryAfter : undefined);
  const error: ApiError = {
    status: response.status,
    // A code outside the contract (e.g. a proxy's own JSON) is reported as the bare status.
    code: isApiErrorCode(body.error) ? body.error : `http_${response.status}`,
    message: typeof body.message === 'string' && body.message ? body.message : messageForStatus(response.status),
  };
  if (retryAfter !== undefined) error.retryAfter = retryAfter;
  if (typeof body.consentUrl === 'string') error.consentUrl = body.consentUrl;
  if (Array.isArray(body.scopes)) error.scopes = body.scopes.filter((s): s is string => typeof s === 'string');
  if (typeof body.signInUrl === 'string') error.signInUrl = body.signInUrl;
  const requestId = response.headers.get('X-Request-Id');
  if (requestId && /^[\w-]{1,64}$/.test(requestId)) error.requestId = requestId;
  if (typeof body.reason === 'string') error.reason = body.reason;
  if (typeof body.role === 'string') error.role = body.role;
  return error;
}

export const bffBaseQuery: BaseQueryFn<BffRequest | string, unknown, ApiError> = async (args, api) => {
  const request = typeof args === 'string' ? { url: args } : args;
  const extra = api.extra as AppExtra;
  const { apiBaseUrl } = extra;
  const headers: Record<string, string> = { [CSRF_HEADER]: CSRF_HEADER_VALUE, Accept: 'application/json' };
  if (request.body !== undefined) headers['Content-Type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(`${apiBaseUrl}${request.url}`, {
      method: request.method ?? 'GET',
      headers,
      credentials: 'include',
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: api.signal,
    });
  } catch (error) {
    return { error: fetchError(error) };
  }
  if (!response.ok) {
    const error = await bffErrorFrom(response);
    if (response.status === 401) {
      error.code = 'login_required';
      const url = error.signInUrl;
      // Graph revoked the BFF's token (CAE): sign in again with the claims it asked for, once per challenge.
      if (
        error.reason === 'claims_challenge' &&
        url?.startsWith('/auth/') &&
        extra.storage.getItem(CLAIMS_REAUTH_KEY) !== url
      ) {
        extra.storage.setItem(CLAIMS_REAUTH_KEY, url);
        api.dispatch(interactionStarted('sign_in'));
        extra.navigate(url);
        return { error };
      }
      api.dispatch(
        sessionExpired({
          ...(url ? { signInUrl: url } : {}),
          message: error.message,
          ...(error.reason ? { reason: error.reason } : {}),
        }),
      );
    }
    return { error };
  }
  extra.storage.removeItem(CLAIMS_REAUTH_KEY);
  return readBody(response, 'json');
};
