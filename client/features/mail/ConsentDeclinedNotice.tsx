// After Cancel on a consent screen: say what was not granted and offer to ask again (the draft is kept).
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { grantConsent, type MailDraft } from './mailDraft';
import { authNoticeDismissed } from '../session/sessionActions';
import { selectAuthNotice } from '../session/sessionSlice';

/** The BFF's consent route for `scopes` (it appends the return path itself via grantConsent). */
function consentUrlFor(scopes: string[]): string {
  return `/auth/consent?scopes=${encodeURIComponent(scopes.join(' '))}`;
}

export function ConsentDeclinedNotice({ draft, fallbackScopes }: { draft: MailDraft; fallbackScopes: string[] }) {
  const dispatch = useAppDispatch();
  const notice = useAppSelector(selectAuthNotice);
  if (notice?.code !== 'consent_declined') return null;
  const scopes = notice.scopes.length > 0 ? notice.scopes : fallbackScopes;
  const askAgain = () => {
    dispatch(authNoticeDismissed());
    dispatch(grantConsent(consentUrlFor(scopes), draft));
  };
  return (
    <div className="banner banner--warning" role="alert" data-testid="consent-declined">
      <div>
        <strong>Not sent</strong>
        <p>{scopes.join(', ')} was not granted, so the message was not sent.</p>
      </div>
      <div className="banner__actions">
        <button type="button" className="button--primary" onClick={askAgain} data-testid="consent-ask-again">
          Ask again
        </button>
      </div>
    </div>
  );
}
