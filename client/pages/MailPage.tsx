// Mail: the inbox, paged, fetched by the BFF with its server-side token.
import { useState } from 'react';
import { describeApiError, isApiError } from '../app/apiError';
import { Link } from '../app/router';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { Spinner } from '../components/Spinner';
import { RequireSession } from '../features/auth/Guards';
import { useMailQuery } from '../features/bff/bffApi';

const PAGE_SIZE = 10;

function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

function Inbox() {
  const [skip, setSkip] = useState(0);
  const mail = useMailQuery({ top: PAGE_SIZE, skip });
  const error = isApiError(mail.error) ? mail.error : undefined;
  return (
    <>
      {mail.isLoading && <Spinner label="Loading mail…" />}
      {error && error.status !== 401 && <ErrorBanner message={describeApiError(error)} onRetry={() => void mail.refetch()} />}
      {mail.data && mail.data.messages.length === 0 && <EmptyState message="No messages here." testId="mail-empty" />}
      {mail.data && mail.data.messages.length > 0 && (
        <ul className="list" data-testid="mail-list" aria-busy={mail.isFetching}>
          {mail.data.messages.map((m) => (
            <li key={m.id} className={`list__item${m.isRead ? '' : ' list__item--unread'}`} data-testid="mail-item">
              <div className="mail__head">
                <strong data-testid="mail-subject">{m.subject || '(no subject)'}</strong>
                <time dateTime={m.receivedDateTime} className="muted">
                  {formatDate(m.receivedDateTime)}
                </time>
              </div>
              <div className="muted">{m.from ? `${m.from.name} <${m.from.address}>` : 'Unknown sender'}</div>
              <p className="mail__preview">{m.bodyPreview}</p>
            </li>
          ))}
        </ul>
      )}
      <div className="pager">
        <button
          type="button"
          onClick={() => setSkip(Math.max(0, skip - PAGE_SIZE))}
          disabled={skip === 0 || mail.isFetching}
          data-testid="mail-prev"
        >
          Previous
        </button>
        <span className="muted" data-testid="mail-page">
          Page {Math.floor(skip / PAGE_SIZE) + 1}
        </span>
        <button
          type="button"
          onClick={() => mail.data?.nextSkip != null && setSkip(mail.data.nextSkip)}
          disabled={mail.data?.nextSkip == null || mail.isFetching}
          data-testid="mail-next"
        >
          Next
        </button>
      </div>
    </>
  );
}

export default function MailPage() {
  return (
    <section>
      <div className="section__head">
        <h1>Mail</h1>
        <Link to="/mail/send" className="button-link">
          Write a message
        </Link>
      </div>
      <RequireSession what="your mail">
        <Inbox />
      </RequireSession>
    </section>
  );
}
