// JSON shapes of the BFF's /api routes, shared by the BFF and the SPA.
import type { ApiErrorCode } from './apiErrorCode';
import type { BootstrapAccount } from './bootstrap';

/** Every /api request must carry this header (CSRF defence; no CORS on the BFF). */
export const CSRF_HEADER = 'X-CSRF';
export const CSRF_HEADER_VALUE = '1';

/** The body of every error response: a stable machine code, a human message, optional extras. */
export interface ApiErrorBody {
  error: ApiErrorCode;
  message: string;
  /** For consent_required: the scopes still to grant. */
  scopes?: string[];
  /** For consent_required: where to send the browser (top-level navigation) to grant them. */
  consentUrl?: string;
  /** For login_required: where to send the browser to sign in again. */
  signInUrl?: string;
  /** Seconds, mirrored from the Retry-After header on 429/503. */
  retryAfter?: number;
  /** For forbidden: the app role the route needs. */
  role?: string;
  /** For login_required: why (`claims_challenge`: Graph asked for a new sign-in; `account_disabled`). */
  reason?: 'claims_challenge' | 'account_disabled';
}

/**
 * GET /api/session: the server session as every open tab must follow it. Reading it never extends the session;
 * `?slide=true` does (the "Stay signed in" button). Never carries tokens.
 */
export interface SessionResponse {
  signedIn: boolean;
  /** The session's homeAccountId (what MSAL accounts are matched by); null when signed out. */
  accountId: string | null;
  /** Seconds until the session ends for inactivity (renewals by other requests push it back); null when signed out. */
  idleExpiresInSeconds: number | null;
  /** Seconds until the session ends whatever the activity; null when signed out. */
  absoluteExpiresInSeconds: number | null;
  /** Top-level navigation that signs out (session-bound token); null when signed out. */
  signOutUrl: string | null;
}

export interface MeResponse {
  account: BootstrapAccount;
}

export interface MailAddress {
  name: string;
  address: string;
}

export interface MailMessage {
  id: string;
  subject: string;
  from: MailAddress | null;
  receivedDateTime: string;
  bodyPreview: string;
  isRead: boolean;
}

export interface MailListResponse {
  messages: MailMessage[];
  top: number;
  skip: number;
  /** The skip value of the next page, or null on the last page. */
  nextSkip: number | null;
}

export interface SendMailRequest {
  to: string[];
  subject: string;
  body: string;
}

export interface SendMailResponse {
  status: 'sent';
}

export interface SecretResponse {
  name: string;
  value: string;
  version: string;
  updated: string | null;
}
