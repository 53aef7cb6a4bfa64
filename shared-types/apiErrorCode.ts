// The stable machine codes of BFF error responses (`{ error: code, message }`): the contract the SPA branches on.

export const API_ERROR_CODES = [
  // The request itself (4xx): the message says what to send instead.
  'bad_request',
  'invalid_json',
  'invalid_request',
  'invalid_query',
  'invalid_prompt',
  'invalid_return_to',
  'invalid_scopes',
  'invalid_claims',
  'invalid_sid',
  'invalid_issuer',
  'invalid_secret_name',
  'invalid_slide',
  'invalid_telemetry',
  'payload_too_large',
  'json_too_deep',
  'unsupported_content_encoding',
  'unsupported_media_type',
  'not_found',
  'method_not_allowed',
  'rate_limited',
  'csrf_rejected',
  // Signing in and the session.
  'invalid_login_transaction',
  'identity_provider_error',
  'identity_provider_unavailable',
  'identity_provider_timeout',
  'identity_provider_busy',
  'account_mismatch',
  'login_required',
  'consent_required',
  // Authorization: the route's app role is missing (ROUTE_ROLES).
  'forbidden',
  // Downstream APIs (Graph, Key Vault, managed identity).
  'graph_access_denied',
  'mailbox_not_found',
  'vault_forbidden',
  'vault_unauthorized',
  'secret_not_found',
  'secret_not_configured',
  'managed_identity_unavailable',
  'upstream_error',
  'upstream_bad_response',
  'upstream_timeout',
  'upstream_unavailable',
  'downstream_throttled',
  // Graph keeps sending a claims challenge right after the user re-authenticated for it (CAE).
  'claims_challenge_unresolved',
  // This server.
  'store_unavailable',
  'spa_not_built',
  'server_error',
] as const;

export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

const KNOWN: ReadonlySet<string> = new Set(API_ERROR_CODES);

export function isApiErrorCode(value: unknown): value is ApiErrorCode {
  return typeof value === 'string' && KNOWN.has(value);
}
