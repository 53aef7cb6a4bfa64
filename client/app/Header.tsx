// The page header's markup, shared by the shell (painted before the app chunk has loaded) and the app's Layout, so
// the page does not shift when the app takes over.
import type { ReactNode } from 'react';
import type { BootstrapAccount } from '../../shared-types/bootstrap';
import { accountKind, accountKindLabel } from '../features/auth/accountKind';

export function Header({
  nav,
  account,
  action,
}: {
  nav: ReactNode;
  account: Pick<BootstrapAccount, 'homeAccountId' | 'tenantId' | 'name' | 'username'> | null;
  action: ReactNode;
}) {
  const kind = account && accountKindLabel(accountKind(account));
  return (
    <header className="header">
      <span className="header__brand">
        <img src="/favicon.svg" alt="" width="20" height="20" />
        Hybrid SPA
      </span>
      <div className="header__user">
        {account && (
          <span className="header__account">
            <span data-testid="header-user" className="header__name">
              {account.name || account.username}
            </span>
            <span className="header__username muted" data-testid="header-account">
              {account.username}
              {kind && (
                <>
                  {' '}
                  <span className="tag" data-testid="header-guest">
                    {kind}
                  </span>
                </>
              )}
            </span>
          </span>
        )}
        {action}
      </div>
      <nav aria-label="Main" className="header__nav">
        <ul className="nav">{nav}</ul>
      </nav>
    </header>
  );
}
