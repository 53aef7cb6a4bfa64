// Builds the BFF's services from config and storage backends: every client, built once (the wiring main.ts and tests use).
import type { Config } from '../config/types';
import { createAuthorityMetadataSource, type AuthorityMetadataSource } from './auth/authorityMetadata';
import { createClientCredentialSource, type ClientCredentialSource } from './auth/clientCredential';
import { createLoginTransactions, type LoginTransactions } from './auth/loginTransactions';
import { createMsalClientFactory, type MsalClientFactory } from './auth/msalClientFactory';
import { MsalNetworkClient } from './auth/networkClient';
import { createTokenService, type TokenService } from './auth/tokenService';
import { createIndexTemplateSource, type IndexTemplateSource } from './bootstrap/indexTemplate';
import { createFetchWithDeadline, type FetchWithDeadline } from './downstream/fetchWithDeadline';
import { createGraphClient, type GraphClient } from './downstream/graphClient';
import { createKeyVaultClient, type KeyVaultClient } from './downstream/keyVaultClient';
import { createManagedIdentityTokenProvider, type ManagedIdentityTokenProvider } from './downstream/managedIdentity';
import type { Logger } from './http/logger';
import type { Stores } from './store/stores';
import { instrumentDownstream } from './observability/instrumentDownstream';
import { instrumentMsalFactory } from './observability/instrumentMsal';
import { NO_OBSERVABILITY, type Observability } from './observability/observability';

export type { Stores } from './store/stores';

export interface Services {
  config: Readonly<Config>;
  log: Logger;
  stores: Stores;
  fetchWithDeadline: FetchWithDeadline;
  authorityMetadata: AuthorityMetadataSource;
  /** The app's client credential (secret, PEM, PFX or a Key Vault certificate re-read on a schedule). */
  clientCredential: ClientCredentialSource;
  msalFactory: MsalClientFactory;
  loginTransactions: LoginTransactions;
  tokenService: TokenService;
  /** Microsoft Graph with the user's server-side token (mail). */
  graph: GraphClient;
  /** Key Vault; null when keyVault.url is not configured. */
  keyVault: KeyVaultClient | null;
  /** The app's managed identity (app-level tokens for Key Vault). */
  managedIdentity: ManagedIdentityTokenProvider;
  /** The built SPA's index.html (null until `npm run build`). */
  indexTemplate: IndexTemplateSource;
  /** Tracing and metrics hooks; both off unless configured. */
  observability: Observability;
}

/**
 * How the app itself talks to Entra: the HTTP client, the authority metadata, its managed identity and its client
 * credential. Built before the stores, because Redis with REDIS_AUTH=entra authenticates with the same identity (one
 * source of truth: a Key Vault certificate rotated for sign-in is the one Redis tokens are requested with, too).
 */
export interface AppIdentity {
  fetchWithDeadline: FetchWithDeadline;
  networkClient: MsalNetworkClient;
  authorityMetadata: AuthorityMetadataSource;
  managedIdentity: ManagedIdentityTokenProvider;
  clientCredential: ClientCredentialSource;
}

export function createAppIdentity(input: {
  config: Readonly<Config>;
  log: Logger;
  fetchImpl?: typeof fetch;
  observability?: Observability;
}): AppIdentity {
  const { config, log } = input;
  const observability = input.observability ?? NO_OBSERVABILITY;
  const fetchWithDeadline = instrumentDownstream(
    createFetchWithDeadline(config.http.timeoutMs, input.fetchImpl),
    observability,
    {
      entra: new URL(config.entra.instance).origin,
      graph: new URL(config.graph.baseUrl).origin,
      keyVault: config.keyVault.url ? new URL(config.keyVault.url).origin : null,
    },
  );
  const authorityMetadata = createAuthorityMetadataSource({
    authority: config.entra.authority,
    configured: config.entra.authorityMetadata,
    fetchWithDeadline,
  });
  const networkClient = new MsalNetworkClient(fetchWithDeadline);
  const managedIdentity = createManagedIdentityTokenProvider({
    clientId: config.keyVault.managedIdentityClientId,
    networkClient,
    timeoutMs: config.http.timeoutMs,
    log,
  });
  const clientCredential = createClientCredentialSource({
    credential: config.entra.credential,
    // Only a Key Vault certificate credential uses it here.
    managedIdentity: () => managedIdentity,
    downstream: { fetchWithDeadline, log },
    log,
  });
  return { fetchWithDeadline, networkClient, authorityMetadata, managedIdentity, clientCredential };
}

export function createServices(input: {
  config: Readonly<Config>;
  log: Logger;
  stores: Stores;
  /** The identity the stores were built with (Redis Entra auth); created here when absent. */
  identity?: AppIdentity;
  fetchImpl?: typeof fetch;
  now?: () => number;
  observability?: Observability;
}): Services {
  const { config, log, stores } = input;
  const observability = input.observability ?? NO_OBSERVABILITY;
  const identity =
    input.identity ??
    createAppIdentity({
      config,
      log,
      observability,
      ...(input.fetchImpl ? { fetchImpl: input.fetchImpl } : {}),
    });
  const { fetchWithDeadline, networkClient, authorityMetadata, managedIdentity, clientCredential } = identity;
  const downstream = { fetchWithDeadline, log };
  const msalFactory = instrumentMsalFactory(
    createMsalClientFactory({
      entra: config.entra,
      credential: clientCredential,
      tokenCacheStore: stores.tokenCache,
      networkClient,
      authorityMetadata,
      log,
    }),
    observability,
  );
  const loginTransactions = createLoginTransactions({
    store: stores.loginTransactions,
    cookieName: config.session.transactionCookieName,
    secureCookies: config.session.secureCookies,
    ...(input.now ? { now: input.now } : {}),
  });
  return {
    config,
    log,
    stores,
    fetchWithDeadline,
    authorityMetadata,
    clientCredential,
    msalFactory,
    loginTransactions,
    tokenService: createTokenService(msalFactory),
    graph: createGraphClient({ ...downstream, baseUrl: config.graph.baseUrl }),
    keyVault: config.keyVault.url ? createKeyVaultClient({ ...downstream, vaultUrl: config.keyVault.url }) : null,
    managedIdentity,
    indexTemplate: createIndexTemplateSource(config.server.clientDistDir),
    observability,
  };
}
