// Tokens for Azure Managed Redis / Azure Cache for Redis (https://redis.azure.com/.default), with the app's own identity:
// its managed identity, or the same client credential it signs users in with (secret, PEM, PFX or Key Vault certificate).
import { ConfidentialClientApplication } from '@azure/msal-node';
import { decodeJwt } from 'jose';
import type { Config } from '../../config/types';
import type { AuthorityMetadataSource } from '../auth/authorityMetadata';
import { appAuthOptions } from '../auth/msalClientFactory';
import type { ClientCredentialSource, MsalClientCredential } from '../auth/clientCredential';
import type { MsalNetworkClient } from '../auth/networkClient';
import type { RedisToken, RedisTokenSource } from '../store/redisEntraAuth';
import type { ManagedIdentityTokenProvider } from './managedIdentity';

export const REDIS_RESOURCE = 'https://redis.azure.com';

/**
 * The token source REDIS_AUTH=entra uses. Everything is injected from the app's identity (services.createAppIdentity):
 * the client credential is the app's one source, so a PFX or a Key Vault certificate works here as it does for sign-in,
 * and a rotated Key Vault certificate is picked up for the next Redis token without a restart.
 */
export function createRedisTokenSource(deps: {
  config: Readonly<Config>;
  managedIdentity: ManagedIdentityTokenProvider;
  clientCredential: ClientCredentialSource;
  authorityMetadata: AuthorityMetadataSource;
  networkClient: MsalNetworkClient;
}): RedisTokenSource {
  const { config } = deps;
  if (config.store.kind !== 'redis' || config.store.auth.kind !== 'entra')
    throw new TypeError('REDIS_AUTH is not entra');
  if (config.store.auth.credential === 'managed-identity') {
    // msal-node caches the token and fetches a new one after half its lifetime, before RedisEntraAuth asks again.
    return async () => withExpiry(await deps.managedIdentity.getToken(REDIS_RESOURCE));
  }
  const { entra } = config;
  // One MSAL client per credential version: it caches the token; a new certificate (Key Vault rotation) gets a new one.
  let client: { id: string; app: ConfidentialClientApplication } | null = null;
  return async () => {
    const [credential, metadata] = await Promise.all([deps.clientCredential.get(), deps.authorityMetadata.get()]);
    const id = credentialId(credential);
    if (client?.id !== id) {
      client = {
        id,
        app: new ConfidentialClientApplication({
          auth: appAuthOptions(entra, metadata, credential),
          system: { networkClient: deps.networkClient },
        }),
      };
    }
    const result = await client.app.acquireTokenByClientCredential({ scopes: [`${REDIS_RESOURCE}/.default`] });
    if (!result?.accessToken) throw new Error('no token for Redis from the client credential');
    return {
      token: result.accessToken,
      expiresOnMs: result.expiresOn?.getTime() ?? withExpiry(result.accessToken).expiresOnMs,
    };
  };
}

/** Which credential this is: another secret or certificate thumbprint means a new MSAL client (it stays in memory only). */
function credentialId(credential: MsalClientCredential): string {
  return 'clientSecret' in credential
    ? `secret:${credential.clientSecret}`
    : `certificate:${credential.clientCertificate.thumbprintSha256}`;
}

/** The token's own `exp` (it is a JWT); one hour when it cannot be read, the shortest lifetime Entra issues. */
function withExpiry(token: string): RedisToken {
  try {
    const { exp } = decodeJwt(token);
    if (typeof exp === 'number') return { token, expiresOnMs: exp * 1000 };
  } catch {
    // not a JWT: fall through
  }
  return { token, expiresOnMs: Date.now() + 3_600_000 };
}
