// Classifies msal-browser errors into what the SPA does next, and turns them into readable, serializable errors.
import { AuthError, InteractionRequiredAuthError, ServerError } from '@azure/msal-browser';
import type { AuthErrorInfo } from './authTypes';

export function isInteractionRequired(error: unknown): boolean {
  return error instanceof InteractionRequiredAuthError;
}

/**
 * After acquireTokenSilent with a no-iframe CacheLookupPolicy: interaction is also the only way forward when Entra
 * refused the refresh token (revoked AADSTS50173, SPA lifetime over AADSTS700084…). MSAL reports that as a plain
 * ServerError `invalid_grant` (it would try a hidden iframe under the default policy), not as InteractionRequiredAuthError.
 */
export function isSilentInteractionRequired(error: unknown): boolean {
  return isInteractionRequired(error) || (error instanceof ServerError && error.errorCode === 'invalid_grant');
}

/**
 * A spa code Entra will not take: already redeemed (AADSTS54005), expired (AADSTS70008) or otherwise invalid.
 * MSAL reports these as a plain ServerError `invalid_grant`, not as InteractionRequiredAuthError, so without this
 * check a reload or a second tab would leave the user silently signed out.
 */
export function isUnusableCode(error: unknown): boolean {
  if (!(error instanceof ServerError)) return false;
  return error.errorCode === 'invalid_grant' || /AADSTS(54005|70008)\b/.test(error.errorMessage);
}

const FRIENDLY: Record<string, string> = {
  no_network_connectivity: 'Could not reach the sign-in service. Check your connection and try again.',
  network_error: 'Could not reach the sign-in service. Check your connection and try again.',
  user_cancelled: 'Sign-in was cancelled.',
  access_denied: 'Sign-in was declined.',
  interaction_in_progress: 'Another sign-in is already in progress in this tab. Wait for it to finish and try again.',
  temporarily_unavailable: 'The sign-in service is temporarily unavailable. Try again in a moment.',
};

/** Entra messages carry trace and correlation ids on later lines; the first line is the readable part. */
function firstLine(message: string): string {
  return message.split(/\r?\n/)[0]!.trim();
}

export function toAuthErrorInfo(error: unknown): AuthErrorInfo {
  if (error instanceof AuthError) {
    const code = error.errorCode || 'auth_error';
    const detail = firstLine(error.errorMessage || error.message || '');
    return { code, message: FRIENDLY[code] ?? (detail ? `Sign-in failed: ${detail}` : `Sign-in failed (${code}).`) };
  }
  if (error instanceof Error)
    return { code: 'unexpected_error', message: `Sign-in failed: ${firstLine(error.message)}` };
  return { code: 'unexpected_error', message: 'Sign-in failed for an unknown reason.' };
}

export const ACCOUNT_MISMATCH: AuthErrorInfo = {
  code: 'account_mismatch',
  message:
    'You are signed in to Microsoft as a different account than this app session. Sign out and sign in again with one account.',
};
