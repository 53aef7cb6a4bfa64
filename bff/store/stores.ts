// The storage backends the BFF runs on, as one bundle: memory by default, Redis when several instances share state.
import type { LoginTransaction } from '../auth/loginTransactions';
import type { SpaCodeGrant } from '../bootstrap/buildBootstrap';
import type { ReadinessCheck } from '../http/healthRouter';
import type { SidIndexEntry } from '../session/sessionAccess';
import type { SessionStore } from '../session/sessionStore';
import type { TokenCacheStore } from '../tokenCache/tokenCacheStore';
import type { OneTimeStore } from './oneTimeStore';

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
