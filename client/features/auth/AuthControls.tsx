// Sign-in / sign-out buttons and the app-wide auth banner (errors, pending navigations, expired session).
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { ErrorBanner } from '../../components/ErrorBanner';
import { INTERACTION_LABELS } from './authLabels';
import { selectAuth } from './authSlice';
import { initializeAuth } from './initializeAuth';
import { signIn, signOut } from './signOut';

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

export function AuthBanner() {
  const dispatch = useAppDispatch();
  const auth = useAppSelector(selectAuth);
  if (auth.sessionExpired) {
    return (
      <ErrorBanner title="Your session has ended" message="Sign in again to continue." testId="session-expired-banner">
        <SignInButton label="Sign in again" />
      </ErrorBanner>
    );
  }
  if (auth.status === 'error' && auth.error) {
    return (
      <ErrorBanner title="Sign-in problem" message={auth.error.message} onRetry={() => void dispatch(initializeAuth())}>
        {auth.serverAccount && <SignOutButton />}
      </ErrorBanner>
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
