// Page guards: what to show instead of a page that needs a server session or an SPA token.
import type { ReactNode } from 'react';
import { useAppSelector } from '../../app/hooks';
import { Spinner } from '../../components/Spinner';
import { STATUS_LABELS } from './authLabels';
import { selectAuth } from './authSlice';

/** Says what signing in unlocks; the button is the header's (one Sign in per screen). */
function SignInPrompt({ what }: { what: string }) {
  return (
    <div className="card" data-testid="sign-in-prompt">
      <p>Sign in to see {what}.</p>
    </div>
  );
}

/** For pages served by the BFF (/api): only the server session matters. */
export function RequireSession({ what, children }: { what: string; children: ReactNode }) {
  const account = useAppSelector((s) => s.auth.serverAccount);
  return account ? children : <SignInPrompt what={what} />;
}

/** For pages that call Graph from the browser: they need the SPA's own token. */
export function RequireSpaToken({ what, children }: { what: string; children: ReactNode }) {
  const auth = useAppSelector(selectAuth);
  if (!auth.serverAccount) return <SignInPrompt what={what} />;
  if (auth.status === 'authenticated') return children;
  if (auth.status === 'idle' || auth.status === 'redeeming') return <Spinner label={STATUS_LABELS[auth.status]} />;
  // error / interaction_required: the banner above the page says what is happening.
  return (
    <p className="muted" data-testid="token-unavailable">
      {what.charAt(0).toUpperCase() + what.slice(1)} will appear once sign-in completes.
    </p>
  );
}
