// Builds the BFF's services from config and storage backends (the wiring both main.ts and tests use).
import type { Config } from '../config/types';
import { createAuthorityMetadataSource, type AuthorityMetadataSource } from './auth/authorityMetadata';
import { createLoginTransactions, type LoginTransaction, type LoginTransactions } from './auth/loginTransactions';
import { createMsalClientFactory, type MsalClientFactory } from './auth/msalClientFactory';
import { MsalNetworkClient } from './auth/networkClient';
import { createTokenService, type TokenService } from './auth/tokenService';
import type { SpaCodeGrant } from './bootstrap/buildBootstrap';
import { createFetchWithDeadline, type FetchWithDeadline } from './downstream/fetchWithDeadline';
import type { ManagedIdentityTokenProvider } from './downstream/managedIdentity';
import type { ReadinessCheck } from './http/healthRouter';
import type { Logger } from './http/logger';
import { instrumentDownstream } from './observability/instrumentDownstream';
import { instrumentMsalFactory } from './observability/instrumentMsal';
import { NO_OBSERVABILITY, type Observability } from './observability/observability';
import type { SessionStore } from './session/sessionStore';
import type { OneTimeStore } from './store/oneTimeStore';
import type { TokenCacheStore } from './tokenCache/tokenCacheStore';
import type { SidIndexEntry } from './session/sessionAccess';

/** The storage backends: memory by default, Redis when several instances share state. */
export interface Stores {
  sessions: SessionStore;
  tokenCache: TokenCacheStore;
  loginTransactions: OneTimeStore<LoginTransaction>;
  spaCodes: OneTimeStore<SpaCodeGrant>;
  /** Entra session id (`sid`) → the BFF session and partition it signed in, for front-channel logout. */
  sidIndex: OneTimeStore<SidIndexEntry>;
  /** Readiness probes for /readyz (e.g. Redis PING). */
  readiness: Record<string, ReadinessCheck>;
  close(): Promise<void>;
}

export interface Services {
  config: Readonly<Config>;
  log: Logger;
  stores: Stores;
  fetchWithDeadline: FetchWithDeadline;
  authorityMetadata: AuthorityMetadataSource;
  msalFactory: MsalClientFactory;
  loginTransactions: LoginTransactions;
  tokenService: TokenService;
  /** Tracing and metrics hooks; both off unless configured. */
  observability: Observability;
  /** Overrides the managed-identity token provider /api/secret uses (tests); built from config when absent. */
  managedIdentity?: ManagedIdentityTokenProvider;
}

export function createServices(input: {
  config: Readonly<Config>;
  log: Logger;
  stores: Stores;
  fetchImpl?: typeof fetch;
  now?: () => number;
  observability?: Observability;
}): Services {
  const { config, log, stores } = input;
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
  const msalFactory = instrumentMsalFactory(
    createMsalClientFactory({
      entra: config.entra,
      tokenCacheStore: stores.tokenCache,
      networkClient: new MsalNetworkClient(fetchWithDeadline),
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
    msalFactory,
    loginTransactions,
    tokenService: createTokenService(msalFactory),
    observability,
  };
}
