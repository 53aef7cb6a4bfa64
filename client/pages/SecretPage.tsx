// Secret: a Key Vault secret the BFF reads with its managed identity.
import { ApiErrorBanner } from '../app/ApiErrorBanner';
import { isApiError } from '../app/apiError';
import { formatDateTime } from '../app/formatDate';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { Spinner } from '../components/Spinner';
import { RequireSession } from '../features/auth/Guards';
import { useSecretQuery } from '../features/bff/bffApi';

function Secret() {
  const secret = useSecretQuery();
  const error = isApiError(secret.error) ? secret.error : undefined;
  if (secret.isLoading) return <Spinner label="Loading secret…" />;
  if (error) {
    return error.status === 401 ? null : <ApiErrorBanner error={error} service="the secret store" onRetry={() => void secret.refetch()} />;
  }
  if (!secret.data) return null;
  const { name, value, version, updated } = secret.data;
  return (
    <dl className="facts card">
      <dt>Name</dt>
      <dd data-testid="secret-name">{name}</dd>
      <dt>Value</dt>
      <dd>
        <code data-testid="secret-value">{value}</code>
      </dd>
      <dt>Version</dt>
      <dd data-testid="secret-version">{version}</dd>
      <dt>Updated</dt>
      <dd data-testid="secret-updated">{updated ? formatDateTime(updated) : 'Unknown'}</dd>
    </dl>
  );
}

export default function SecretPage() {
  useDocumentTitle('Secret');
  return (
    <section>
      <h1>Secret</h1>
      <p className="muted">Read by the server from Key Vault with its managed identity; the browser never gets a vault token.</p>
      <RequireSession what="the secret">
        <Secret />
      </RequireSession>
    </section>
  );
}
