// Translates MSAL and network failures into the BFF's typed errors (never leaking tokens or raw library errors).
import { AuthError, InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { DeadlineExceededError, NetworkFailureError } from '../downstream/fetchWithDeadline';
import { AccountMismatchError, AppError, InternalError, LoginRequiredError, UpstreamError } from '../http/errors';
import { PartitionMismatchError } from '../tokenCache/partition';

/** True when Entra said the user must consent (AADSTS65001 / consent_required), as opposed to signing in again. */
export function isConsentRequired(err: unknown): boolean {
  if (!(err instanceof AuthError)) return false;
  const e = err as AuthError & { subError?: string; errorNo?: string };
  return (
    e.errorCode === 'consent_required' ||
    e.subError === 'consent_required' ||
    /AADSTS65001/.test(e.errorMessage ?? '') ||
    e.errorNo === '65001'
  );
}

export function isInteractionRequired(err: unknown): boolean {
  return err instanceof InteractionRequiredAuthError;
}

/**
 * Entra refused the refresh token (`invalid_grant`: revoked sessions AADSTS50173, disabled account AADSTS50057,
 * inactivity AADSTS700082…). msal-node reports that as a plain ServerError, yet only a new sign-in can fix it.
 */
export function isRefreshRefused(err: unknown): boolean {
  return err instanceof ServerError && err.errorCode === 'invalid_grant' && !isConsentRequired(err);
}

/** The account was disabled (AADSTS50057): signing in again will not help until an administrator enables it. */
export function isAccountDisabled(err: unknown): boolean {
  if (!(err instanceof AuthError)) return false;
  const e = err as AuthError & { errorNo?: string };
  return e.errorNo === '50057' || /AADSTS50057\b/.test(e.errorMessage ?? '');
}

function findCause<T>(err: unknown, type: new (...a: never[]) => T): T | null {
  let cur: unknown = err;
  for (let i = 0; i < 5 && cur; i++) {
    if (cur instanceof type) return cur;
    cur = (cur as { cause?: unknown }).cause;
  }
  return null;
}

/** Maps a failure from acquireTokenSilent/ByCode to an AppError. Interaction-required becomes 401 login_required. */
export function toAuthAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (findCause(err, DeadlineExceededError)) {
    return new UpstreamError(
      504,
      'identity_provider_timeout',
      'The sign-in service did not answer in time. Try again.',
      { cause: err, retryAfterSeconds: 2 },
    );
  }
  if (findCause(err, NetworkFailureError) || (err instanceof AuthError && err.errorCode === 'network_error')) {
    return new UpstreamError(
      503,
      'identity_provider_unavailable',
      'The sign-in service cannot be reached right now. Try again in a moment.',
      {
        cause: err,
        retryAfterSeconds: 5,
      },
    );
  }
  if (err instanceof PartitionMismatchError) {
    return new AccountMismatchError({ cause: err });
  }
  if (isAccountDisabled(err)) {
    return new LoginRequiredError('Your account has been disabled. Contact your administrator.', {
      cause: err,
      details: { reason: 'account_disabled' },
    });
  }
  if (err instanceof InteractionRequiredAuthError || isRefreshRefused(err)) {
    return new LoginRequiredError('Your sign-in has expired. Sign in again to continue.', { cause: err });
  }
  if (err instanceof AuthError) {
    const throttled = /throttl|429|temporarily_unavailable/i.test(`${err.errorCode} ${err.errorMessage}`);
    if (throttled) {
      return new UpstreamError(503, 'identity_provider_busy', 'The sign-in service is busy. Try again in a minute.', {
        cause: err,
        retryAfterSeconds: 60,
      });
    }
    return new UpstreamError(
      502,
      'identity_provider_error',
      'The sign-in service rejected the request. Try signing in again.',
      { cause: err },
    );
  }
  return new InternalError({ cause: err });
}
