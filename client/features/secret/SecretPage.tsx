// Secret: a Key Vault secret the BFF reads with its managed identity, for users holding the route's app role.
import { ApiErrorBanner } from '../../components/ApiErrorBanner';
import { isApiError } from '../../api/apiError';
import { formatDateTime } from '../../components/formatDate';
import { useAppSelector } from '../../app/hooks';
import { Spinner } from '../../components/Spinner';
import { RequireSession } from '../auth/Guards';
import { missingRole } from '../auth/authSlice';
import { SECRET_API_ROUTE, useSecretQuery } from './secretApi';

/** Why the user cannot see the secret: a missing app role is explained, not shown as an error. */
function RoleMissing({ role }: { role: string }) {
  return (
    <div className="banner banner--info" role="status" data-testid="secret-role-missing">
      <div>
        <strong>You can't view the secret</strong>
        <p>
          Your account lacks the <code>{role}</code> role. Ask an administrator to assign it to you (or to a group you
          are in) for this app, then sign out and sign in again.
        </p>
      </div>
    </div>
  );
}

function Secret() {
  const secret = useSecretQuery();
  const error = isApiError(secret.error) ? secret.error : undefined;
  if (secret.isLoading) return <Spinner label="Loading secret…" />;
  if (error) {
    if (error.status === 403 && error.code === 'forbidden') return <RoleMissing role={error.role ?? 'required'} />;
    return error.status === 401 ? null : (
      <ApiErrorBanner error={error} service="the secret store" onRetry={() => void secret.refetch()} />
    );
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

/** The bootstrap's roles decide whether to ask at all (a hint only: the BFF still checks and answers 403). */
function SecretOrExplanation() {
  const role = useAppSelector((s) => missingRole(s.auth, SECRET_API_ROUTE));
  return role ? <RoleMissing role={role} /> : <Secret />;
}

export default function SecretPage() {
  return (
    <section>
      <h1>Secret</h1>
      <p className="muted">
        Read by the server from Key Vault with its managed identity; the browser never gets a vault token.
      </p>
      <RequireSession what="the secret">
        <SecretOrExplanation />
      </RequireSession>
    </section>
  );
}
