// Entra's error shapes: the JSON body of /token and metadata errors, and the redirect parameters of /authorize errors.
import { randomUUID } from 'node:crypto';
import { json, type EmuResponse } from '../http/types';
import { withCors } from '../http/cors';

export interface EntraErrorSpec {
  /** OAuth error ("invalid_grant"). */
  error: string;
  /** AADSTS number. */
  code: number;
  message: string;
  status?: number;
  suberror?: string;
  claims?: string;
  correlationId?: string;
}

/** "2025-11-20 09:00:00Z", Entra's timestamp format. */
export function entraTimestamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
}

export function entraErrorBody(spec: EntraErrorSpec, now: number, errorBase: string): Record<string, unknown> {
  const traceId = randomUUID();
  const correlationId = spec.correlationId ?? randomUUID();
  const timestamp = entraTimestamp(now);
  return {
    error: spec.error,
    error_description: `AADSTS${spec.code}: ${spec.message} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [spec.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `${errorBase}/error?code=${spec.code}`,
    ...(spec.suberror ? { suberror: spec.suberror } : {}),
    ...(spec.claims ? { claims: spec.claims } : {}),
  };
}

/** A JSON error response with Entra's no-store and CORS headers. */
export function entraErrorResponse(spec: EntraErrorSpec, now: number, errorBase: string): EmuResponse {
  return withCors(json(spec.status ?? 400, entraErrorBody(spec, now, errorBase), NO_STORE));
}

export const NO_STORE = { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' } as const;

/** Shorthand for the common token-endpoint failures. */
export const E = {
  unknownClient: (clientId: string): EntraErrorSpec => ({
    error: 'unauthorized_client',
    code: 700016,
    message: `Application with identifier '${clientId}' was not found in the directory 'Emulator'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
  }),
  missingParam: (name: string): EntraErrorSpec => ({
    error: 'invalid_request',
    code: 900144,
    message: `The request body must contain the following parameter: '${name}'.`,
  }),
  badSecret: (clientId: string): EntraErrorSpec => ({
    error: 'invalid_client',
    code: 7000215,
    status: 401,
    message: `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
  }),
  credentialRequired: (): EntraErrorSpec => ({
    error: 'invalid_client',
    code: 7000218,
    status: 401,
    message: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  }),
  publicClientWithSecret: (): EntraErrorSpec => ({
    error: 'invalid_client',
    code: 700025,
    status: 401,
    message: "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
  }),
  originRequired: (): EntraErrorSpec => ({
    error: 'invalid_request',
    code: 9002327,
    message:
      "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.",
  }),
  originForbidden: (origin: string): EntraErrorSpec => ({
    error: 'invalid_request',
    code: 9002326,
    message: `Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type. Request origin: '${origin}'.`,
  }),
  /** Emulator's code for an Origin outside the SPA platform's redirect URIs (Entra's exact code is not documented). */
  originNotRegistered: (origin: string, clientId: string): EntraErrorSpec => ({
    error: 'invalid_request',
    code: 90023,
    message: `Cross-origin token redemption from origin '${origin}' is not allowed: it matches none of the Single-page application redirect URIs registered for the application '${clientId}'.`,
  }),
  redirectUriNotRegistered: (redirectUri: string, clientId: string): EntraErrorSpec => ({
    error: 'invalid_request',
    code: 50011,
    message: `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.`,
  }),
  redirectUriMismatch: (redirectUri: string, bound: string): EntraErrorSpec => ({
    error: 'invalid_grant',
    code: 500112,
    message: `The reply address '${redirectUri}' does not match the reply address '${bound}' provided when requesting Authorization code.`,
  }),
  codeRedeemed: (): EntraErrorSpec => ({
    error: 'invalid_grant',
    code: 54005,
    message:
      'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
  }),
  codeExpired: (): EntraErrorSpec => ({
    error: 'invalid_grant',
    code: 70008,
    message:
      'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
  }),
  badGrant: (what: string): EntraErrorSpec => ({
    error: 'invalid_grant',
    code: 9002313,
    message: `Invalid request. Request is malformed or invalid. (${what})`,
  }),
  consentRequired: (clientId: string, scopes: string[]): EntraErrorSpec => ({
    error: 'invalid_grant',
    code: 65001,
    suberror: 'consent_required',
    message: `The user or administrator has not consented to use the application with ID '${clientId}'. Send an interactive authorization request for this user and resource. Missing: ${scopes.join(' ')}.`,
  }),
} as const;
