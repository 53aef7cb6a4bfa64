// What the first paint shows while the app chunk (store, MSAL) loads: the real header and a "Signing you in…" line.
import type { BootstrapAccount } from '../../shared-types/bootstrap';
import { Spinner } from '../components/Spinner';
import { Header } from './Header';
import { navTestId, ROUTES } from './routes';

export function Shell({ account }: { account: BootstrapAccount | null }) {
  const here = window.location.pathname;
  return (
    <>
      <Header
        account={account}
        action={null}
        nav={ROUTES.map((route) => (
          <li key={route.path}>
            <a href={route.path} aria-current={here === route.path ? 'page' : undefined} data-testid={navTestId(route)}>
              {route.label}
            </a>
          </li>
        ))}
      />
      <main id="main" className="main" data-testid="app-shell">
        <Spinner label={account ? 'Signing you in…' : 'Loading…'} />
      </main>
    </>
  );
}

export function StartupError({ message }: { message: string }) {
  return (
    <main className="main">
      <div className="banner banner--error" role="alert" data-testid="error-banner">
        <div>
          <strong>The app could not start</strong>
          <p>{message}</p>
        </div>
        <div className="banner__actions">
          <button type="button" onClick={() => window.location.reload()}>
            Reload
          </button>
        </div>
      </div>
    </main>
  );
}
