// Page chrome: skip link, header (app name, nav, account, the one sign in/out button), the auth banner and the main region.
import { useEffect, useRef, type ReactNode } from 'react';
import { AuthBanner, SignInButton, SignOutButton } from '../features/auth/AuthControls';
import { selectServerAccount, selectSessionExpired } from '../features/auth/authSlice';
import { SessionBanners } from '../features/session/SessionBanners';
import { Header } from './Header';
import { useAppSelector } from './hooks';
import { Link, useRouter } from './router';
import { navTestId, ROUTES } from './routes';

export function Layout({ children }: { children: ReactNode }) {
  const account = useAppSelector(selectServerAccount);
  const expired = useAppSelector(selectSessionExpired);
  const { pathname } = useRouter();
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  useEffect(() => {
    // Move focus to the new page so keyboard and screen-reader users land on it (not on the first render).
    if (firstRender.current) firstRender.current = false;
    else main.current?.focus();
  }, [pathname]);

  // One sign-in/out button per screen: the header's, except when the expired-session banner offers "Sign in again".
  const action = account ? <SignOutButton /> : expired ? null : <SignInButton />;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header
        account={account}
        action={action}
        nav={ROUTES.map((route) => (
          <li key={route.path}>
            <Link to={route.path} data-testid={navTestId(route)}>
              {route.label}
            </Link>
          </li>
        ))}
      />
      <AuthBanner />
      <SessionBanners />
      <main id="main" ref={main} tabIndex={-1} className="main">
        {children}
      </main>
    </>
  );
}
