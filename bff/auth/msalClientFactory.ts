// Builds a fresh ConfidentialClientApplication per request, bound to one user's cache partition (never shared across users).
import { ConfidentialClientApplication, DistributedCachePlugin, LogLevel, type Configuration } from '@azure/msal-node';
import type { Config } from '../../config/types';
import type { Logger } from '../http/logger';
import { SessionPartitionManager, StoreCacheClient } from '../tokenCache/partition';
import type { TokenCacheStore } from '../tokenCache/tokenCacheStore';
import type { AuthorityMetadata, AuthorityMetadataSource } from './authorityMetadata';
import type { ClientCredentialSource, MsalClientCredential } from './clientCredential';
import type { MsalNetworkClient } from './networkClient';

export interface MsalClientFactory {
  /**
   * A client whose cache reads and writes only `partitionKey` (the session user's homeAccountId); null before sign-in,
   * when the cache starts empty and the partition is taken from the account MSAL creates.
   */
  create(partitionKey: string | null): Promise<ConfidentialClientApplication>;
}

/**
 * `cp1`: this app handles Continuous Access Evaluation claims challenges (graphAsUser), so Entra may issue it long-lived
 * CAE tokens that Graph revokes in near real time (user disabled, sessions revoked, password reset).
 */
export const CLIENT_CAPABILITIES = ['cp1'];

/**
 * The app registration as msal-node's `auth` options: client id, authority with its prefetched metadata (no discovery
 * calls) and the current client credential. Shared by every ConfidentialClientApplication the BFF builds.
 */
export function appAuthOptions(
  entra: Config['entra'],
  metadata: AuthorityMetadata,
  credential: MsalClientCredential,
): NonNullable<Configuration['auth']> {
  return {
    clientId: entra.clientId,
    authority: entra.authority,
    knownAuthorities: [...entra.knownAuthorities],
    authorityMetadata: metadata.json,
    ...(entra.cloudDiscoveryMetadata ? { cloudDiscoveryMetadata: entra.cloudDiscoveryMetadata } : {}),
    ...credential,
  };
}

export function createMsalClientFactory(deps: {
  entra: Config['entra'];
  credential: ClientCredentialSource;
  tokenCacheStore: TokenCacheStore;
  networkClient: MsalNetworkClient;
  authorityMetadata: AuthorityMetadataSource;
  log: Logger;
}): MsalClientFactory {
  const { entra } = deps;
  const msalLog = deps.log.child({ component: 'msal' });
  const cacheLog = deps.log.child({ component: 'token-cache' });
  const system: Configuration['system'] = {
    networkClient: deps.networkClient,
    loggerOptions: {
      piiLoggingEnabled: false,
      logLevel: LogLevel.Warning,
      loggerCallback: (level, message) => {
        if (level <= LogLevel.Error) msalLog.error(message);
        else msalLog.warn(message);
      },
    },
  };

  return {
    async create(partitionKey) {
      const [metadata, credential] = await Promise.all([deps.authorityMetadata.get(), deps.credential.get()]);
      // One cache client per acquisition: it remembers the partition generation this acquisition started from.
      const cacheClient = new StoreCacheClient(deps.tokenCacheStore, {
        signIn: partitionKey === null,
        onRefused: () =>
          cacheLog.info(
            'token cache write refused: the user signed out (or signed in anew) while this token request ran; the tokens were used for this request only',
          ),
      });
      return new ConfidentialClientApplication({
        auth: {
          ...appAuthOptions(entra, metadata, credential),
          clientCapabilities: CLIENT_CAPABILITIES,
        },
        cache: { cachePlugin: new DistributedCachePlugin(cacheClient, new SessionPartitionManager(partitionKey)) },
        system,
      });
    },
  };
}
