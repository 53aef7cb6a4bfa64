// The AppError hierarchy: one class per kind, each with an HTTP status, a stable machine code and a user-facing message.

export interface AppErrorOptions {
  cause?: unknown;
  /** Extra JSON fields for the error body (e.g. scopes, consentUrl). Never secrets. */
  details?: Record<string, unknown>;
  /** Extra response headers (e.g. Retry-After). */
  headers?: Record<string, string>;
}

export class AppError extends Error {
  /** Whether `message` may be shown to the user (true below 500). */
  readonly expose: boolean;
  readonly details: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.expose = status < 500;
    this.details = options.details ?? {};
    this.headers = options.headers ?? {};
  }
}

export class BadRequestError extends AppError {
  constructor(message: string, options?: AppErrorOptions & { code?: string }) {
    super(400, options?.code ?? 'bad_request', message, options);
  }
}

/** The login transaction (state, nonce, PKCE) was missing, mismatched, expired or replayed. */
export class LoginTransactionError extends AppError {
  constructor(message: string, options?: AppErrorOptions) {
    super(400, 'invalid_login_transaction', message, options);
  }
}

/** The identity provider answered the authorization request with an error (error=… on the callback). */
export class IdentityProviderError extends AppError {
  constructor(
    readonly idpError: string,
    message: string,
    options?: AppErrorOptions,
  ) {
    super(idpError === 'access_denied' ? 403 : 400, 'identity_provider_error', message, options);
  }
}

/** No signed-in session, or the server can no longer get tokens for it without the user. */
export class LoginRequiredError extends AppError {
  constructor(message = 'You are not signed in, or your session has ended. Sign in again.', options?: AppErrorOptions) {
    super(401, 'login_required', message, {
      ...options,
      details: { signInUrl: '/auth/signin', ...options?.details },
    });
  }
}

/** The user has not granted a permission the feature needs; the body carries the consent URL. */
export class ConsentRequiredError extends AppError {
  constructor(scopes: string[], consentUrl: string, options?: AppErrorOptions) {
    super(403, 'consent_required', `This needs your permission for ${scopes.join(', ')}. Grant it and try again.`, {
      ...options,
      details: { scopes, consentUrl, ...options?.details },
    });
  }
}

export class CsrfError extends AppError {
  constructor(message: string) {
    super(403, 'csrf_rejected', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(code: string, message: string, options?: AppErrorOptions) {
    super(403, code, message, options);
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Not found.', code = 'not_found', options?: AppErrorOptions) {
    super(404, code, message, options);
  }
}

/** A downstream dependency (session store, Redis) is unavailable; retry later. */
export class StoreUnavailableError extends AppError {
  constructor(message = 'The session store is unavailable. Try again in a moment.', options?: AppErrorOptions & { retryAfterSeconds?: number }) {
    const retryAfter = String(options?.retryAfterSeconds ?? 2);
    super(503, 'store_unavailable', message, { ...options, headers: { 'Retry-After': retryAfter, ...options?.headers } });
  }
  override readonly expose = true;
}

/** A downstream service (Entra, Graph, Key Vault, managed identity) failed, timed out or throttled us. */
export class UpstreamError extends AppError {
  constructor(
    status: 502 | 503 | 504 | 429,
    code: string,
    message: string,
    options?: AppErrorOptions & { retryAfterSeconds?: number },
  ) {
    const headers = { ...options?.headers };
    if (options?.retryAfterSeconds !== undefined) headers['Retry-After'] = String(options.retryAfterSeconds);
    super(status, code, message, {
      ...options,
      headers,
      details: options?.retryAfterSeconds !== undefined ? { retryAfter: options.retryAfterSeconds, ...options?.details } : options?.details,
    });
  }
  // Upstream failures are explained to the user ("Graph is busy, retry in 5 s"); the cause stays in the logs.
  override readonly expose = true;
}
