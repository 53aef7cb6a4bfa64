// Home: who is signed in, what they can do here (with links), and — folded away — how this sign-in worked.
import { useAppSelector } from '../../app/hooks';
import { Link } from '../../app/router';
import { ROUTES } from '../../app/routes';
import { accountKind, accountKindLabel } from '../auth/accountKind';
import { STATUS_LABELS, TOKEN_SOURCE_LABELS } from '../auth/authLabels';
import { selectAuth, type AuthState } from '../auth/authSlice';

const ms = (v: number | null) => (v === null ? '—' : `${Math.round(v)} ms`);

/** `home-link-mail-send` for /mail/send. */
const linkTestId = (path: string) => `home-link-${path.slice(1).replace(/\//g, '-')}`;

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

function AuthStatus({ status }: { status: AuthState['status'] }) {
  return (
    <span className="muted">
      Status:{' '}
      <span data-testid="auth-status" data-status={status}>
        {STATUS_LABELS[status]}
      </span>
    </span>
  );
}

export default function HomePage() {
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
          . <AuthStatus status={auth.status} />
        </p>
      ) : (
        <p className="lead">
          This app shows your Microsoft 365 profile, contacts and mail. Sign in with your work, school or personal
          Microsoft account to start. <AuthStatus status={auth.status} />
          <span hidden data-testid="home-user">
            Nobody
          </span>
        </p>
      )}

      <h2>What you can do</h2>
      <ul className="features" data-testid="home-features">
        {ROUTES.map(
          ({ path, card }) =>
            card && (
              <li key={path} className="feature card">
                <Link to={path} className="feature__link" data-testid={linkTestId(path)}>
                  {card.title}
                </Link>
                <p className="muted">{card.text}</p>
              </li>
            ),
        )}
      </ul>

      {/* Always there (folded), so the diagnostics' test ids exist in every state for external suites. */}
      <AboutThisSignIn auth={auth} />
    </section>
  );
}
