// Send mail through the BFF; on consent_required, keep the draft and send the user to grant Mail.Send.
import { useState, type FormEvent } from 'react';
import { ApiErrorBanner } from '../../components/ApiErrorBanner';
import { isApiError } from '../../api/apiError';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { RequireSession } from '../auth/Guards';
import { useSendMailMutation } from './mailApi';
import { ConsentDeclinedNotice } from './ConsentDeclinedNotice';
import { authNoticeDismissed } from '../session/sessionActions';
import { selectAuthNotice } from '../session/sessionSlice';
import {
  clearSavedDraft,
  grantConsent,
  loadSavedDraft,
  MAX_RECIPIENTS,
  toSendMailRequest,
  type DraftField,
  type MailDraft,
} from './mailDraft';

const EMPTY: MailDraft = { to: '', subject: '', body: '' };

function SendMailForm() {
  const dispatch = useAppDispatch();
  const [restored] = useState(() => dispatch(loadSavedDraft()));
  const [draft, setDraft] = useState<MailDraft>(() => restored ?? EMPTY);
  const [problem, setProblem] = useState<{ message: string; field: DraftField } | null>(null);
  const [sentTo, setSentTo] = useState<string[] | null>(null);
  const [sendMail, { isLoading, error, reset }] = useSendMailMutation();
  const apiError = isApiError(error) ? error : undefined;
  const consentDeclined = useAppSelector(selectAuthNotice)?.code === 'consent_declined';

  const update = (field: keyof MailDraft) => (event: { target: { value: string } }) => {
    setDraft((d) => ({ ...d, [field]: event.target.value }));
    setSentTo(null);
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = toSendMailRequest(draft);
    if ('problem' in checked) {
      setProblem({ message: checked.problem, field: checked.field });
      document.getElementById(`mail-${checked.field}`)?.focus();
      return;
    }
    setProblem(null);
    dispatch(authNoticeDismissed());
    const result = await sendMail(checked.request);
    if ('data' in result) {
      setSentTo(checked.request.to);
      setDraft(EMPTY);
      dispatch(clearSavedDraft());
      reset();
    }
  };

  return (
    <form className="form card" onSubmit={(e) => void onSubmit(e)} noValidate>
      {restored && !sentTo && !consentDeclined && (
        // The draft is only saved on the way to the consent screen: back with it and no "declined" notice means granted.
        <p className="banner banner--success" role="status" data-testid="draft-restored">
          Permission granted — press Send to send your message.
        </p>
      )}
      <ConsentDeclinedNotice draft={draft} fallbackScopes={['Mail.Send']} />
      {apiError?.code === 'consent_required' && apiError.consentUrl && (
        <div className="banner banner--warning" role="alert" data-testid="consent-banner">
          <div>
            <strong>Permission needed</strong>
            <p>
              Sending mail needs your consent{apiError.scopes?.length ? ` for ${apiError.scopes.join(', ')}` : ''}. Your
              draft is kept while you grant it.
            </p>
          </div>
          <div className="banner__actions">
            <button
              type="button"
              className="button--primary"
              data-testid="grant-consent-button"
              onClick={() => dispatch(grantConsent(apiError.consentUrl!, draft))}
            >
              Grant permission
            </button>
          </div>
        </div>
      )}
      {apiError && apiError.code !== 'consent_required' && apiError.status !== 401 && (
        <ApiErrorBanner title="Not sent" error={apiError} service="the mail service" />
      )}
      {problem && (
        <p className="field-error" role="alert" id="send-problem" data-testid="send-problem">
          {problem.message}
        </p>
      )}
      {sentTo && (
        <p className="banner banner--success" role="status" data-testid="send-status">
          Sent to {sentTo.join(', ')}.
        </p>
      )}

      <label htmlFor="mail-to">To</label>
      <input
        id="mail-to"
        name="to"
        type="text"
        inputMode="email"
        autoComplete="off"
        value={draft.to}
        onChange={update('to')}
        aria-describedby={problem?.field === 'to' ? 'mail-to-hint send-problem' : 'mail-to-hint'}
        aria-invalid={problem?.field === 'to' || undefined}
        data-testid="send-to"
      />
      <small id="mail-to-hint" className="muted">
        Comma-separated, up to {MAX_RECIPIENTS} addresses.
      </small>

      <label htmlFor="mail-subject">Subject</label>
      <input
        id="mail-subject"
        name="subject"
        type="text"
        value={draft.subject}
        onChange={update('subject')}
        {...invalidProps(problem, 'subject')}
        data-testid="send-subject"
      />

      <label htmlFor="mail-body">Message</label>
      <textarea
        id="mail-body"
        name="body"
        rows={8}
        value={draft.body}
        onChange={update('body')}
        {...invalidProps(problem, 'body')}
        data-testid="send-body"
      />

      <div>
        <button type="submit" className="button--primary" disabled={isLoading} data-testid="send-button">
          {isLoading ? 'Sending…' : 'Send'}
        </button>
      </div>
    </form>
  );
}

/** Ties the problem line to the field it is about, for screen readers. */
function invalidProps(problem: { field: DraftField } | null, field: DraftField) {
  return problem?.field === field ? { 'aria-invalid': true, 'aria-describedby': 'send-problem' } : {};
}

export default function SendMailPage() {
  return (
    <section>
      <h1>Send mail</h1>
      <RequireSession what="the mail form">
        <SendMailForm />
      </RequireSession>
    </section>
  );
}
