// Tokens for Azure Managed Redis / Azure Cache for Redis (https://redis.azure.com/.default): managed identity or client credential.
import { ConfidentialClientApplication } from '@azure/msal-node';
import { decodeJwt } from 'jose';
import type { Config } from '../../config/types';
import { createAuthorityMetadataSource } from '../auth/authorityMetadata';
import { MsalNetworkClient } from '../auth/networkClient';
import type { Logger } from '../http/logger';
import type { RedisToken, RedisTokenSource } from '../store/redisEntraAuth';
import { createFetchWithDeadline } from './fetchWithDeadline';
import { createManagedIdentityTokenProvider } from './managedIdentity';

export const REDIS_RESOURCE = 'https://redis.azure.com';

/** The token source REDIS_AUTH=entra uses: the app's managed identity (default) or its own client credential. */
export function createRedisTokenSource(config: Readonly<Config>, log: Logger): RedisTokenSource {
  if (config.store.kind !== 'redis' || config.store.auth.kind !== 'entra') throw new TypeError('REDIS_AUTH is not entra');
  const fetchWithDeadline = createFetchWithDeadline(config.http.timeoutMs);
  const networkClient = new MsalNetworkClient(fetchWithDeadline);
  if (config.store.auth.credential === 'managed-identity') {
    const provider = createManagedIdentityTokenProvider({
      clientId: config.keyVault.managedIdentityClientId,
      networkClient,
      timeoutMs: config.http.timeoutMs,
      log,
    });
    // msal-node caches the token and fetches a new one after half its lifetime, before RedisEntraAuth asks again.
    return async () => withExpiry(await provider.getToken(REDIS_RESOURCE));
  }
  const { entra } = config;
  const { credential } = entra;
  if (credential.kind !== 'secret' && credential.kind !== 'certificate') {
    // PFX and Key Vault certificates are loaded by the app's credential source after the stores exist.
    throw new Error('REDIS_ENTRA_CREDENTIAL=client-credential needs ENTRA_CLIENT_SECRET or a PEM certificate; use managed-identity otherwise.');
  }
  const metadata = createAuthorityMetadataSource({ authority: entra.authority, configured: entra.authorityMetadata, fetchWithDeadline });
  let app: ConfidentialClientApplication | null = null;
  return async () => {
    app ??= new ConfidentialClientApplication({
      auth: {
        clientId: entra.clientId,
        authority: entra.authority,
        knownAuthorities: [...entra.knownAuthorities],
        authorityMetadata: (await metadata.get()).json,
        ...(credential.kind === 'secret'
          ? { clientSecret: credential.secret }
          : {
              clientCertificate: {
                thumbprintSha256: credential.thumbprintSha256,
                privateKey: credential.privateKeyPem,
                x5c: credential.certificatePem,
              },
            }),
      },
      system: { networkClient },
    });
    const result = await app.acquireTokenByClientCredential({ scopes: [`${REDIS_RESOURCE}/.default`] });
    if (!result?.accessToken) throw new Error('no token for Redis from the client credential');
    return { token: result.accessToken, expiresOnMs: result.expiresOn?.getTime() ?? withExpiry(result.accessToken).expiresOnMs };
  };
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
