// Page chrome: skip link, header (app name, nav, user, sign in/out), the auth banner and the main region.
import { useEffect, useRef, type ReactNode } from 'react';
import { AuthBanner, SignInButton, SignOutButton } from '../features/auth/AuthControls';
import { selectServerAccount } from '../features/auth/authSlice';
import { SessionBanners } from '../features/session/SessionBanners';
import { useAppSelector } from './hooks';
import { Link, useRouter } from './router';

const NAV = [
  { to: '/', label: 'Home' },
  { to: '/profile', label: 'Profile' },
  { to: '/mail', label: 'Mail' },
  { to: '/mail/send', label: 'Send mail' },
  { to: '/secret', label: 'Secret' },
];

export function Layout({ children }: { children: ReactNode }) {
  const account = useAppSelector(selectServerAccount);
  const { pathname } = useRouter();
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  useEffect(() => {
    // Move focus to the new page so keyboard and screen-reader users land on it (not on the first render).
    if (firstRender.current) firstRender.current = false;
    else main.current?.focus();
  }, [pathname]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="header">
        <span className="header__brand">Hybrid SPA</span>
        <nav aria-label="Main">
          <ul className="nav">
            {NAV.map((item) => (
              <li key={item.to}>
                <Link to={item.to} data-testid={`nav-${item.label.toLowerCase().replace(/\s+/g, '-')}`}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="header__user">
          {account ? (
            <>
              <span data-testid="header-user" title={account.username}>
                {account.name || account.username}
              </span>
              <SignOutButton />
            </>
          ) : (
            <SignInButton />
          )}
        </div>
      </header>
      <AuthBanner />
      <SessionBanners />
      <main id="main" ref={main} tabIndex={-1} className="main">
        {children}
      </main>
    </>
  );
}
