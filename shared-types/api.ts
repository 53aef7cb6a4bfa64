// JSON shapes of the BFF's /api routes, shared by the BFF and the SPA.
import type { BootstrapAccount } from './bootstrap';

/** Every /api request must carry this header (CSRF defence; no CORS on the BFF). */
export const CSRF_HEADER = 'X-CSRF';
export const CSRF_HEADER_VALUE = '1';

/** The body of every error response: a stable machine code, a human message, optional extras. */
export interface ApiErrorBody {
  error: string;
  message: string;
  /** For consent_required: the scopes still to grant. */
  scopes?: string[];
  /** For consent_required: where to send the browser (top-level navigation) to grant them. */
  consentUrl?: string;
  /** For login_required: where to send the browser to sign in again. */
  signInUrl?: string;
  /** Seconds, mirrored from the Retry-After header on 429/503. */
  retryAfter?: number;
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
