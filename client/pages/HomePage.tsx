// Home: who is signed in, how the SPA got its token and how long it took.
import { useAppSelector } from '../app/hooks';
import { SignInButton } from '../features/auth/AuthControls';
import { STATUS_LABELS, TOKEN_SOURCE_LABELS } from '../features/auth/authLabels';
import { selectAuth } from '../features/auth/authSlice';

const ms = (v: number | null) => (v === null ? '—' : `${Math.round(v)} ms`);

export default function HomePage() {
  const auth = useAppSelector(selectAuth);
  const who = auth.account ?? auth.serverAccount;
  return (
    <section>
      <h1>Home</h1>
      <dl className="facts">
        <dt>Status</dt>
        <dd data-testid="auth-status" data-status={auth.status}>
          {STATUS_LABELS[auth.status]}
        </dd>
        <dt>Signed in as</dt>
        <dd data-testid="home-user">{who ? `${who.name} (${who.username})` : 'Nobody'}</dd>
        <dt>SPA token from</dt>
        <dd data-testid="token-source" data-source={auth.tokenSource ?? ''}>
          {auth.tokenSource ? TOKEN_SOURCE_LABELS[auth.tokenSource] : '—'}
        </dd>
        <dt>Time to token</dt>
        <dd data-testid="token-duration">{ms(auth.timings.durationMs)}</dd>
        <dt>Since page load</dt>
        <dd data-testid="token-since-load">{ms(auth.timings.authenticatedAt)}</dd>
        <dt>Granted scopes</dt>
        <dd data-testid="granted-scopes">{auth.grantedScopes.length ? auth.grantedScopes.join(', ') : '—'}</dd>
      </dl>
      {!auth.serverAccount && (
        <div className="card">
          <p>This demo signs you in on the server and hands the browser a one-time code for its own token.</p>
          <SignInButton />
        </div>
      )}
    </section>
  );
}
