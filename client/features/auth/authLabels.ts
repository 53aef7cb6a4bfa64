// Human labels for auth state values.
import type { AuthStatus } from './authSlice';
import type { PendingInteraction, TokenSource } from './authTypes';

export const TOKEN_SOURCE_LABELS: Record<TokenSource, string> = {
  hybrid_code: 'Hybrid spa code from the server sign-in',
  silent: 'Silent (MSAL cache / refresh token)',
  redirect: 'Redirect to Microsoft sign-in',
  fresh_code: 'Fresh spa code (prompt=none round trip)',
};

export const STATUS_LABELS: Record<AuthStatus, string> = {
  idle: 'Starting…',
  redeeming: 'Signing in…',
  authenticated: 'Signed in',
  interaction_required: 'Redirecting to sign in…',
  signed_out: 'Signed out',
  error: 'Sign-in failed',
};

export const INTERACTION_LABELS: Record<PendingInteraction, string> = {
  redirect: 'Taking you to Microsoft sign-in…',
  fresh_code: 'Refreshing your sign-in…',
  sign_in: 'Taking you to sign in…',
};
