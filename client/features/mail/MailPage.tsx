// Mail: the inbox, paged, fetched by the BFF with its server-side token.
import { useState } from 'react';
import { ApiErrorBanner } from '../../components/ApiErrorBanner';
import { isApiError } from '../../api/apiError';
import { formatDateTime } from '../../components/formatDate';
import { Link } from '../../app/router';
import { EmptyState } from '../../components/EmptyState';
import { Spinner } from '../../components/Spinner';
import { RequireSession } from '../auth/Guards';
import { useMailQuery } from './mailApi';

const PAGE_SIZE = 10;

function Inbox() {
  const [skip, setSkip] = useState(0);
  const mail = useMailQuery({ top: PAGE_SIZE, skip });
  const error = isApiError(mail.error) ? mail.error : undefined;
  const page = Math.floor(skip / PAGE_SIZE) + 1;
  // The previous page stays on screen while the next one loads: say so, and dim it.
  const switching = mail.isFetching && !mail.isLoading;
  const messages = mail.data?.messages ?? [];
  const hasPages = !error && messages.length > 0 && (skip > 0 || mail.data?.nextSkip != null);
  return (
    <>
      {mail.isLoading && <Spinner label="Loading mail…" />}
      {error && error.status !== 401 && (
        <ApiErrorBanner error={error} service="your mailbox" onRetry={() => void mail.refetch()} />
      )}
      {!error && mail.data && messages.length === 0 && <EmptyState message="No messages here." testId="mail-empty" />}
      {!error && messages.length > 0 && (
        <ul className={`list${switching ? ' list--stale' : ''}`} data-testid="mail-list" aria-busy={mail.isFetching}>
          {messages.map((m) => (
            <li
              key={m.id}
              className={`list__item${m.isRead ? '' : ' list__item--unread'}`}
              data-testid="mail-item"
              data-unread={!m.isRead}
            >
              <div className="mail__head">
                <strong data-testid="mail-subject">{m.subject || '(no subject)'}</strong>
                {!m.isRead && (
                  <span className="tag tag--unread" data-testid="mail-unread">
                    Unread
                  </span>
                )}
                <time dateTime={m.receivedDateTime} className="muted mail__date">
                  {formatDateTime(m.receivedDateTime)}
                </time>
              </div>
              <div className="muted mail__from">{m.from ? `${m.from.name} <${m.from.address}>` : 'Unknown sender'}</div>
              <p className="mail__preview">{m.bodyPreview}</p>
            </li>
          ))}
        </ul>
      )}
      {hasPages && (
        <nav className="pager" aria-label="Mail pages" data-testid="mail-pager">
          <button
            type="button"
            onClick={() => setSkip(Math.max(0, skip - PAGE_SIZE))}
            disabled={skip === 0 || mail.isFetching}
            data-testid="mail-prev"
          >
            Previous
          </button>
          <span className="muted" data-testid="mail-page" aria-live="polite">
            {switching && <span className="spinner__dot" aria-hidden="true" />}
            {switching ? `Loading page ${page}…` : `Page ${page}`}
          </span>
          <button
            type="button"
            onClick={() => mail.data?.nextSkip != null && setSkip(mail.data.nextSkip)}
            disabled={mail.data?.nextSkip == null || mail.isFetching}
            data-testid="mail-next"
          >
            Next
          </button>
        </nav>
      )}
    </>
  );
}

export default function MailPage() {
  return (
    <section>
      <div className="section__head">
        <h1>Mail</h1>
        <Link to="/mail/send" className="button-link" data-testid="mail-write">
          Write a message
        </Link>
      </div>
      <RequireSession what="your mail">
        <Inbox />
      </RequireSession>
    </section>
  );
}
