// Home: who is signed in, what they can do here (with links), and — folded away — how this sign-in worked.
import { useAppSelector } from '../app/hooks';
import { Link } from '../app/router';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { accountKind, accountKindLabel } from '../features/auth/accountKind';
import { STATUS_LABELS, TOKEN_SOURCE_LABELS } from '../features/auth/authLabels';
import { selectAuth, type AuthState } from '../features/auth/authSlice';

const ms = (v: number | null) => (v === null ? '—' : `${Math.round(v)} ms`);

const FEATURES = [
  { to: '/profile', title: 'Your profile', text: 'Your name, photo and contacts, read by this browser from Microsoft Graph with its own token.' },
  { to: '/mail', title: 'Mail', text: 'Your inbox, read by the server: the mail permission never reaches the browser.' },
  { to: '/mail/send', title: 'Send mail', text: 'Write a message; the app asks for the send permission the first time you need it.' },
  { to: '/secret', title: 'Secret', text: 'A Key Vault secret the server reads with its own identity.' },
] as const;

function AboutThisSignIn({ auth }: { auth: AuthState }) {
  return (
    <details className="about card" data-testid="about-sign-in">
      <summary>About this sign-in</summary>
      <p className="muted">
        The server signed you in and handed this page a one-time code; the browser redeemed it for its own token for
        Microsoft Graph, with only the scopes below. Mail and Key Vault tokens stay on the server.
      </p>
      <dl className="facts">
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
        <dt>Tenant</dt>
        <dd data-testid="home-tenant">{auth.serverAccount?.tenantId ?? '—'}</dd>
      </dl>
    </details>
  );
}

export default function HomePage() {
  useDocumentTitle('Home');
  const auth = useAppSelector(selectAuth);
  const who = auth.account ?? auth.serverAccount;
  const kind = who && accountKindLabel(accountKind(who));
  return (
    <section>
      <h1>{who ? `Hello, ${who.name.split(/\s+/)[0] || who.name}` : 'Welcome'}</h1>
      {who ? (
        <p className="lead">
          You are signed in as <strong data-testid="home-user">{`${who.name} (${who.username})`}</strong>
          {kind && (
            <>
              {' '}
              <span className="tag" data-testid="home-account-kind">
                {kind}
              </span>
            </>
          )}
          .{' '}
          <span className="muted">
            Status:{' '}
            <span data-testid="auth-status" data-status={auth.status}>
              {STATUS_LABELS[auth.status]}
            </span>
          </span>
        </p>
      ) : (
        <p className="lead">
          This app shows your Microsoft 365 profile, contacts and mail. Sign in with your work, school or personal
          Microsoft account to start.{' '}
          <span className="muted">
            Status:{' '}
            <span data-testid="auth-status" data-status={auth.status}>
              {STATUS_LABELS[auth.status]}
            </span>
          </span>
          <span hidden data-testid="home-user">
            Nobody
          </span>
        </p>
      )}

      <h2>What you can do</h2>
      <ul className="features" data-testid="home-features">
        {FEATURES.map((f) => (
          <li key={f.to} className="feature card">
            <Link to={f.to} className="feature__link" data-testid={`home-link-${f.to.slice(1).replace(/\//g, '-')}`}>
              {f.title}
            </Link>
            <p className="muted">{f.text}</p>
          </li>
        ))}
      </ul>

      {/* Always there (folded), so the diagnostics' test ids exist in every state for external suites. */}
      <AboutThisSignIn auth={auth} />
    </section>
  );
}
