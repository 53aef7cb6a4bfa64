// Profile: /me, the photo and contacts, each fetched by the browser from Graph with its own token.
import { ApiErrorBanner } from '../../components/ApiErrorBanner';
import { describeApiError, isApiError } from '../../api/apiError';
import { EmptyState } from '../../components/EmptyState';
import { Spinner } from '../../components/Spinner';
import { RequireSpaToken } from '../auth/Guards';
import { useContactsQuery, useMeQuery, usePhotoQuery } from './profileApi';

function Profile() {
  const me = useMeQuery();
  const photo = usePhotoQuery();
  const contacts = useContactsQuery();
  return (
    <>
      <div className="card profile">
        {photo.data ? (
          <img className="avatar" src={photo.data} alt="Your profile photo" data-testid="profile-photo" />
        ) : (
          <div className="avatar avatar--empty" aria-hidden="true" data-testid="profile-no-photo" />
        )}
        <div className="profile__text">
          {me.isLoading && <Spinner label="Loading profile…" />}
          {isApiError(me.error) && (
            <ApiErrorBanner error={me.error} service="Microsoft Graph" onRetry={() => void me.refetch()} />
          )}
          {me.data && (
            <>
              <h2 data-testid="profile-name">{me.data.displayName ?? me.data.userPrincipalName}</h2>
              <p className="profile__email" data-testid="profile-email">
                {me.data.mail ?? me.data.userPrincipalName}
              </p>
              {me.data.jobTitle && <p className="muted">{me.data.jobTitle}</p>}
            </>
          )}
        </div>
      </div>
      {isApiError(photo.error) && (
        <p className="muted">Your photo could not be loaded. {describeApiError(photo.error, 'Microsoft Graph')}</p>
      )}

      <h2>Contacts</h2>
      {contacts.isLoading && <Spinner label="Loading contacts…" />}
      {isApiError(contacts.error) && (
        <ApiErrorBanner error={contacts.error} service="Microsoft Graph" onRetry={() => void contacts.refetch()} />
      )}
      {contacts.data && contacts.data.length === 0 && (
        <EmptyState message="You have no contacts yet." testId="contacts-empty" />
      )}
      {contacts.data && contacts.data.length > 0 && (
        <ul className="list" data-testid="contact-list">
          {contacts.data.map((c) => (
            <li key={c.id} className="list__item" data-testid="contact-item">
              <strong>{c.displayName ?? '(no name)'}</strong>
              {c.companyName && <span className="muted"> · {c.companyName}</span>}
              {c.emailAddresses[0]?.address && <div className="muted">{c.emailAddresses[0].address}</div>}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export default function ProfilePage() {
  return (
    <section>
      <h1>Profile</h1>
      <RequireSpaToken what="your profile">
        <Profile />
      </RequireSpaToken>
    </section>
  );
}
