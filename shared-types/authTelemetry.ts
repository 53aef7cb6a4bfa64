// The SPA → BFF auth-timing beacon (POST /api/telemetry/auth): msal-browser performance events, reduced to an operation
// name, a duration, an outcome and MSAL's error code. Nothing else is accepted (no account, correlation id, URL or token).

export const AUTH_TELEMETRY_PATH = '/api/telemetry/auth';

/** msal-browser performance event names the BFF turns into metrics; others are not sent. */
export const AUTH_TELEMETRY_OPERATIONS = [
  'acquireTokenByCode',
  'acquireTokenSilent',
  'acquireTokenRedirect',
  'acquireTokenPreRedirect',
  'handleRedirectPromise',
  'ssoSilent',
  'acquireTokenPopup',
] as const;

export type AuthTelemetryOperation = (typeof AUTH_TELEMETRY_OPERATIONS)[number];

/** At most this many events per beacon. */
export const AUTH_TELEMETRY_MAX_EVENTS = 20;

export interface AuthTelemetryEvent {
  operation: AuthTelemetryOperation;
  durationMs: number;
  success: boolean;
  /** MSAL's error code (e.g. interaction_required) when success is false. */
  errorCode?: string;
}

export interface AuthTelemetryBody {
  events: AuthTelemetryEvent[];
}
