// The Graph base query: a token from the auth thunk for the SPA's scopes (covering the endpoint's), Bearer header, one
// retry after 401 — with the claims of a CAE claims challenge (insufficient_claims) when Graph sent one.
import type { BaseQueryFn } from '@reduxjs/toolkit/query';
import { parseRetryAfter } from '../../shared-types/retryAfter';
import type { AppDispatch, AppExtra } from '../app/store';
import { acquireToken } from '../features/auth/acquireToken';
import { checkSession } from '../features/session/checkSession';
import { fetchError, messageForStatus, readBody, type GraphError } from './apiError';

export interface GraphRequest {
  /** Path under the Graph base URL, e.g. `/me` (query string included). */
  url: string;
  /** `blob` for binary content such as photos; JSON otherwise. */
  responseType?: 'json' | 'blob';
}

export interface GraphQueryOptions {
  /** The delegated scopes the endpoint needs; defaults to User.Read. */
  scopes?: string[];
}

async function graphErrorFrom(response: Response): Promise<GraphError> {
  let code = `http_${response.status}`;
  let message = messageForStatus(response.status);
  try {
    // Graph: { error: { code, message } }
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.code === 'string') code = body.error.code;
    if (typeof body.error?.message === 'string' && body.error.message) message = body.error.message;
  } catch {
    // Not JSON: keep the status-based message.
  }
  const retryAfter = parseRetryAfter(response.headers.get('Retry-After')) ?? undefined;
  return { status: response.status, code, message, ...(retryAfter !== undefined && { retryAfter }) };
}

/**
 * The claims (JSON text) of a `WWW-Authenticate: Bearer … error="insufficient_claims", claims="<base64>"` challenge,
 * or undefined for any other 401 (expired token, no challenge, unreadable claims).
 */
export function claimsFromChallenge(header: string | null): string | undefined {
  if (!header || !/error\s*=\s*"insufficient_claims"/i.test(header)) return undefined;
  const b64 = /claims\s*=\s*"([^"]{1,8192})"/i.exec(header)?.[1];
  if (!b64) return undefined;
  try {
    const binary = atob(b64.replace(/-/g, '+').replace(/_/g, '/'));
    const json = new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' && !Array.isArray(value) ? json : undefined;
  } catch {
    return undefined;
  }
}

export const graphBaseQuery: BaseQueryFn<GraphRequest | string, unknown, GraphError, GraphQueryOptions> = async (
  args,
  api,
  extraOptions,
) => {
  const request = typeof args === 'string' ? { url: args } : args;
  const { bootstrap } = api.extra as AppExtra;
  const dispatch = api.dispatch as AppDispatch;
  // Ask for every scope the SPA holds, not just the endpoint's: one access token then serves all Graph calls, so the
  // SPA keeps one cache entry and renews it with one refresh-token request instead of one per scope.
  const endpointScopes = extraOptions?.scopes ?? ['User.Read'];
  const scopes = [
    ...bootstrap.scopes,
    ...endpointScopes.filter((s) => !bootstrap.scopes.some((b) => b.toLowerCase() === s.toLowerCase())),
  ];

  // The browser's token outlives the BFF session unless asked: confirm the session first (at most once per check
  // interval). A Graph call is user activity, so the check also extends the session.
  if ((await dispatch(checkSession({ slide: true }))).payload === 'ended') {
    return {
      error: {
        status: 'AUTH_ERROR',
        code: 'session_ended',
        message: 'Your session has ended. Sign in again to continue.',
      },
    };
  }

  let claims: string | undefined;
  for (let attempt = 0; ; attempt++) {
    const tokenResult = await dispatch(
      acquireToken({ scopes, forceRefresh: attempt > 0, ...(claims !== undefined && { claims }) }),
    );
    if (acquireToken.rejected.match(tokenResult)) {
      const info = tokenResult.payload;
      return {
        error: {
          status: 'AUTH_ERROR',
          code: info?.code ?? 'token_error',
          message: info?.message ?? 'Could not get a token for Microsoft Graph.',
        },
      };
    }
    let response: Response;
    try {
      response = await fetch(`${bootstrap.graphBaseUrl}${request.url}`, {
        headers: { Authorization: `Bearer ${tokenResult.payload.accessToken}` },
        signal: api.signal,
      });
    } catch (error) {
      return { error: fetchError(error, 'Microsoft Graph') };
    }
    // One retry with a refreshed token: the cached one may have been revoked or expired early. A CAE claims challenge
    // (sessions revoked, user disabled) needs a token with those claims: silent if Entra allows, else a redirect.
    if (response.status === 401 && attempt === 0) {
      claims = claimsFromChallenge(response.headers.get('WWW-Authenticate'));
      await response.body?.cancel();
      continue;
    }
    if (!response.ok) return { error: await graphErrorFrom(response) };
    return readBody(response, request.responseType ?? 'json', 'Microsoft Graph');
  }
};
