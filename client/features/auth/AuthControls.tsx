// Sign-in / sign-out buttons and the app-wide auth banner (errors, pending navigations, expired session).
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { ErrorBanner } from '../../components/ErrorBanner';
import { INTERACTION_LABELS } from './authLabels';
import { selectAuth } from './authSlice';
import { initializeAuth } from './initializeAuth';
import { signIn, signOut } from './signOut';

const END_MESSAGES = {
  signed_out: 'You signed out in another tab. Sign in again to continue.',
  idle_timeout: 'You were signed out because the app was not used for a while. Sign in again to continue.',
  ended: 'Sign in again to continue.',
} as const;

export function SignInButton({ label = 'Sign in' }: { label?: string }) {
  const dispatch = useAppDispatch();
  return (
    <button type="button" className="button--primary" onClick={() => dispatch(signIn())} data-testid="sign-in-button">
      {label}
    </button>
  );
}

export function SignOutButton() {
  const dispatch = useAppDispatch();
  const signingOut = useAppSelector((s) => s.auth.signingOut);
  return (
    <button type="button" onClick={() => void dispatch(signOut())} disabled={signingOut} data-testid="sign-out-button">
      {signingOut ? 'Signing out…' : 'Sign out'}
    </button>
  );
}

/** Banners carry no Sign out (the header has the one); the expired-session banner has the screen's only Sign in. */
export function AuthBanner() {
  const dispatch = useAppDispatch();
  const auth = useAppSelector(selectAuth);
  const endReason = useAppSelector((s) => s.session.endReason);
  if (auth.sessionExpired && auth.sessionEndReason === 'account_disabled') {
    return (
      <ErrorBanner
        title="You have been signed out"
        message={auth.sessionEndMessage ?? 'Your account has been disabled.'}
        testId="account-disabled-banner"
      >
        <SignInButton label="Sign in with another account" />
      </ErrorBanner>
    );
  }
  if (auth.sessionExpired) {
    return (
      <ErrorBanner
        title="Your session has ended"
        message={END_MESSAGES[endReason ?? 'ended']}
        testId="session-expired-banner"
      >
        <SignInButton label="Sign in again" />
      </ErrorBanner>
    );
  }
  if (auth.status === 'error' && auth.error) {
    return (
      <ErrorBanner
        title="Sign-in problem"
        message={auth.error.message}
        onRetry={() => void dispatch(initializeAuth())}
      />
    );
  }
  if (auth.status === 'interaction_required' && auth.pendingInteraction) {
    return (
      <p className="banner banner--info" role="status" data-testid="auth-pending">
        {INTERACTION_LABELS[auth.pendingInteraction]}
      </p>
    );
  }
  return null;
}
