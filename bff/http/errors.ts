// The AppError hierarchy: one class per kind, each with an HTTP status, a stable machine code and a user-facing message.
import type { ApiErrorCode } from '../../shared-types/apiErrorCode';

export interface AppErrorOptions {
  cause?: unknown;
  /** Extra JSON fields for the error body (e.g. scopes, consentUrl). Never secrets. */
  details?: Record<string, unknown>;
  /** Extra response headers (e.g. Retry-After). */
  headers?: Record<string, string>;
}

export class AppError extends Error {
  /**
   * Whether `message`, `code` and `details` may be shown to the user. Each error decides: a message that helps
   * (what to fix, when to retry) and holds nothing internal is exposed whatever the status; otherwise the user sees
   * `server_error` and a generic message, and the details stay in the logs.
   */
  readonly expose: boolean;
  readonly details: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    options: AppErrorOptions & { expose: boolean },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.expose = options.expose;
    this.details = options.details ?? {};
    this.headers = options.headers ?? {};
  }
}

export class BadRequestError extends AppError {
  constructor(message: string, options?: AppErrorOptions & { code?: ApiErrorCode }) {
    super(400, options?.code ?? 'bad_request', message, { ...options, expose: true });
  }
}

/** The login transaction (state, nonce, PKCE) was missing, mismatched, expired or replayed. */
export class LoginTransactionError extends AppError {
  constructor(message: string, options?: AppErrorOptions) {
    super(400, 'invalid_login_transaction', message, { ...options, expose: true });
  }
}

/** The account that signed in is not the one this session (or its token cache partition) belongs to. */
export class AccountMismatchError extends AppError {
  constructor(options?: AppErrorOptions) {
    super(
      400,
      'account_mismatch',
      'You signed in with a different account than this session belongs to. Sign out first to switch accounts.',
      {
        ...options,
        expose: true,
      },
    );
  }
}

/** The identity provider answered the authorization request with an error (error=… on the callback). */
export class IdentityProviderError extends AppError {
  constructor(
    readonly idpError: string,
    message: string,
    options?: AppErrorOptions,
  ) {
    super(idpError === 'access_denied' ? 403 : 400, 'identity_provider_error', message, { ...options, expose: true });
  }
}

/** No signed-in session, or the server can no longer get tokens for it without the user. */
export class LoginRequiredError extends AppError {
  constructor(message = 'You are not signed in, or your session has ended. Sign in again.', options?: AppErrorOptions) {
    super(401, 'login_required', message, {
      ...options,
      details: { signInUrl: '/auth/signin', ...options?.details },
      expose: true,
    });
  }
}

/** The user has not granted a permission the feature needs; the body carries the consent URL. */
export class ConsentRequiredError extends AppError {
  constructor(scopes: string[], consentUrl: string, options?: AppErrorOptions) {
    super(403, 'consent_required', `This needs your permission for ${scopes.join(', ')}. Grant it and try again.`, {
      ...options,
      details: { scopes, consentUrl, ...options?.details },
      expose: true,
    });
  }
}

export class CsrfError extends AppError {
  constructor(message: string) {
    super(403, 'csrf_rejected', message, { expose: true });
  }
}

export class ForbiddenError extends AppError {
  constructor(code: ApiErrorCode, message: string, options?: AppErrorOptions) {
    super(403, code, message, { ...options, expose: true });
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Not found.', code: ApiErrorCode = 'not_found', options?: AppErrorOptions) {
    super(404, code, message, { ...options, expose: true });
  }
}

/** A downstream dependency (session store, Redis) is unavailable; retry later. */
export class StoreUnavailableError extends AppError {
  constructor(
    message = 'The session store is unavailable. Try again in a moment.',
    options?: AppErrorOptions & { retryAfterSeconds?: number },
  ) {
    const retryAfter = String(options?.retryAfterSeconds ?? 2);
    // Shown: it says to retry and names nothing internal.
    super(503, 'store_unavailable', message, {
      ...options,
      headers: { 'Retry-After': retryAfter, ...options?.headers },
      expose: true,
    });
  }
}

/** A downstream service (Entra, Graph, Key Vault, managed identity) failed, timed out or throttled us. */
export class UpstreamError extends AppError {
  constructor(
    status: 502 | 503 | 504 | 429,
    code: ApiErrorCode,
    message: string,
    options?: AppErrorOptions & { retryAfterSeconds?: number },
  ) {
    const headers = { ...options?.headers };
    if (options?.retryAfterSeconds !== undefined) headers['Retry-After'] = String(options.retryAfterSeconds);
    super(status, code, message, {
      ...options,
      headers,
      details:
        options?.retryAfterSeconds !== undefined
          ? { retryAfter: options.retryAfterSeconds, ...options?.details }
          : options?.details,
      // Upstream failures are explained to the user ("Graph is busy, retry in 5 s"); the cause stays in the logs.
      expose: true,
    });
  }
}

/** A bug or an unexpected failure: the user sees only that something went wrong; the cause goes to the logs. */
export class InternalError extends AppError {
  constructor(options?: AppErrorOptions) {
    super(500, 'server_error', 'Internal error', { ...options, expose: false });
  }
}
