// What every emulator handler shares: the clock, the seed directory, mutable state, signing keys, faults and the log.
import type { Clock } from './clock';
import type { Faults } from './faults';
import type { RequestLog } from './requestLog';
import type { Signer } from './signing';
import type { Directory } from './state/directory';
import type { Store } from './state/store';

export interface EmulatorContext {
  clock: Clock;
  directory: Directory;
  /** Replaced wholesale by reset(); always read through the context. */
  store: Store;
  signer: Signer;
  faults: Faults;
  requestLog: RequestLog;
  /** Canonical Entra base (`https://localhost:<port>`) for values minted outside an Entra request (challenges, MI). */
  entraBase: () => string;
  /** Access-token lifetime in seconds (Entra's default is about an hour). */
  accessTokenLifetimeSeconds: number;
  /** Lifetime of access tokens for CAE-capable clients (`xms_cc: cp1`): longer, since Graph can revoke them. */
  caeAccessTokenLifetimeSeconds: number;
  /** The App Service identity header value the MI endpoint expects. */
  identityHeader: string;
  /** Whether the /_emulator admin API and faults are enabled. */
  testHooks: boolean;
  log: (line: string) => void;
  /** Tells persistence (--state-dir) that the store may have changed; a no-op when state is in memory only. */
  stateChanged: () => void;
}
