// Server-side token acquisition for the session user: silent from the user's partition, one in-flight request per
// user+scopes within this instance (concurrent API calls share a single refresh).
import type { AccountInfo, AuthenticationResult } from '@azure/msal-node';
import type { SessionUser } from '../session/sessionAccess';
import type { MsalClientFactory } from './msalClientFactory';

export interface AcquireOptions {
  forceRefresh?: boolean;
  /** A claims challenge from a downstream API (JSON string). */
  claims?: string;
}

export interface TokenService {
  /** Rejects with MSAL's errors (InteractionRequiredAuthError when the user must sign in or consent). */
  acquire(user: SessionUser, scopes: string[], options?: AcquireOptions): Promise<AuthenticationResult>;
  /** Number of acquisitions currently in flight (for tests and metrics). */
  readonly inFlight: number;
}

export function createTokenService(msalFactory: MsalClientFactory): TokenService {
  const pending = new Map<string, Promise<AuthenticationResult>>();
  return {
    acquire(user, scopes, options = {}) {
      const key = [user.homeAccountId, [...scopes].map((s) => s.toLowerCase()).sort().join(' '), options.forceRefresh ? 'force' : '', options.claims ?? ''].join('|');
      const existing = pending.get(key);
      if (existing) return existing;
      const run = (async () => {
        const cca = await msalFactory.create(user.homeAccountId);
        // Built from the session, so MSAL reads the partition once (inside acquireTokenSilent) instead of twice.
        const account: AccountInfo = {
          homeAccountId: user.homeAccountId,
          localAccountId: user.localAccountId,
          environment: user.environment,
          tenantId: user.tenantId,
          username: user.username,
          name: user.name,
        };
        const result = await cca.acquireTokenSilent({
          account,
          scopes,
          ...(options.forceRefresh ? { forceRefresh: true } : {}),
          ...(options.claims ? { claims: options.claims } : {}),
        });
        if (!result) throw new Error('MSAL returned no token');
        return result;
      })().finally(() => pending.delete(key));
      pending.set(key, run);
      return run;
    },
    get inFlight() {
      return pending.size;
    },
  };
}
