// Builds the bootstrap payload from config and the session (account summary and the one-time spa code; never tokens).
import type { Config } from '../../config/types';
import type { BootstrapAccount, BootstrapPayload, BootstrapSession } from '../../shared-types/bootstrap';
import type { SessionUser } from '../session/sessionAccess';

/** What the one-time store holds for a session: a fresh spa code, or why none could be minted. */
export type SpaCodeGrant = { code: string } | { error: string };

export function toBootstrapAccount(user: SessionUser): BootstrapAccount {
  return {
    homeAccountId: user.homeAccountId,
    tenantId: user.tenantId,
    username: user.username,
    name: user.name,
    loginHint: user.loginHint,
    roles: [...(user.roles ?? [])],
  };
}

export function buildBootstrap(input: {
  entra: Config['entra'];
  routeRoles: Readonly<Record<string, string>>;
  graphBaseUrl: string;
  authorityMetadataJson: string | null;
  user: SessionUser | null;
  signOutToken: string | null;
  grant: SpaCodeGrant | null;
  /** Entra issues no spa code for this session's account: the SPA skips the fresh-code round trip. */
  spaCodeUnavailable?: boolean;
  /** How the SPA follows the session; the expiry fields are null when anonymous. */
  session: BootstrapSession;
}): BootstrapPayload {
  const { entra, user, grant } = input;
  return {
    msal: {
      clientId: entra.clientId,
      authority: entra.authority,
      knownAuthorities: [...entra.knownAuthorities],
      redirectUri: entra.spaRedirectUri,
      postLogoutRedirectUri: entra.postLogoutRedirectUri,
      ...(input.authorityMetadataJson ? { authorityMetadata: input.authorityMetadataJson } : {}),
      ...(entra.cloudDiscoveryMetadata ? { cloudDiscoveryMetadata: entra.cloudDiscoveryMetadata } : {}),
    },
    scopes: [...entra.spaScopes],
    graphBaseUrl: input.graphBaseUrl,
    account: user ? toBootstrapAccount(user) : null,
    spaCode: user && grant && 'code' in grant ? grant.code : null,
    spaCodeError: user && grant && 'error' in grant ? grant.error : null,
    spaCodeUnavailable: user !== null && input.spaCodeUnavailable === true,
    session: input.session,
    routes: {
      signIn: '/auth/signin',
      signOut: user && input.signOutToken ? `/auth/signout?token=${encodeURIComponent(input.signOutToken)}` : null,
      freshSpaCode: '/auth/spa-code',
    },
    requiredRoles: { ...input.routeRoles },
  };
}
