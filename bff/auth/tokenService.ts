// Server-side token acquisition for the session user: silent from the user's partition, one in-flight request per
// user+scopes within this instance (concurrent API calls share a single refresh).
//
// Across instances (STORE=redis) there is deliberately no distributed lock: two instances may refresh the same
// partition at the same moment, so a user sees at most one token request per instance. That race is harmless with
// Entra ID: redeeming a refresh token does not revoke the previous one (confidential-client refresh tokens stay valid
// until they expire or are revoked), so whichever instance writes the partition last leaves a valid refresh token and
// access token behind, and the other instance's tokens keep working for the request that obtained them. A lock would
// add a Redis round trip and a failure mode (lock holder dies) to every refresh to save one token request. If an
// identity provider with strict refresh-token rotation (reuse detection) were used instead, this would need a per-
// partition lock (SET NX PX) or versioned writes.
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
      const key = [
        user.homeAccountId,
        [...scopes]
          .map((s) => s.toLowerCase())
          .sort()
          .join(' '),
        options.forceRefresh ? 'force' : '',
        options.claims ?? '',
      ].join('|');
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
