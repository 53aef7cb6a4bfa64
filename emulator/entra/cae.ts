// Continuous Access Evaluation: which clients are CAE-capable (`xms_cc: cp1`), and the revocation state the admin hooks
// set ("revoke sessions", "disable user") that Graph enforces with claims challenges and /token with invalid_grant.
import type { JWTPayload } from 'jose';
import type { EmulatorContext } from '../context';
import type { EntraErrorSpec } from './errors';

/** Per-user access state the admin hooks change. */
export interface AccessState {
  /** userKey → epoch ms of the last "revoke sessions": tokens and sessions from before it are no longer honoured. */
  revokedAt: Map<string, number>;
  disabled: Set<string>;
}

export const createAccessState = (): AccessState => ({ revokedAt: new Map(), disabled: new Set() });

/** Entra's default CAE token lifetime is 24–28 h; the emulator uses 24 h unless the test chose a lifetime. */
export const DEFAULT_CAE_LIFETIME_SECONDS = 86_399;

/**
 * True when a token request's `claims` declares `xms_cc` with `cp1` (MSAL sends
 * `{"access_token":{"xms_cc":{"values":["cp1"]}}}`, merged with any challenge claims, when clientCapabilities has cp1).
 */
export function isCaeCapable(claims: string | null): boolean {
  if (!claims || claims.length > 16_384) return false;
  try {
    const parsed = JSON.parse(claims) as { access_token?: { xms_cc?: { values?: unknown } } };
    const values = parsed?.access_token?.xms_cc?.values;
    return Array.isArray(values) && values.includes('cp1');
  } catch {
    return false;
  }
}

/** Claims a CAE-capable access token carries. */
export const CAE_TOKEN_CLAIMS = { xms_cc: ['cp1'] } as const;

/** Why a user's refresh tokens or new codes must be refused, as Entra answers it; undefined when they may proceed. */
export function refusedGrant(ctx: EmulatorContext, userKey: string, issuedAt: number): EntraErrorSpec | undefined {
  if (ctx.store.access.disabled.has(userKey)) {
    return { error: 'invalid_grant', code: 50057, message: 'The user account is disabled.' };
  }
  const revokedAt = ctx.store.access.revokedAt.get(userKey);
  if (revokedAt !== undefined && issuedAt < revokedAt) {
    return {
      error: 'invalid_grant',
      code: 50173,
      message:
        'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on ' +
        `'${new Date(issuedAt).toISOString()}' and the TokensValidFrom date (before which tokens are not valid) for this user is '${new Date(revokedAt).toISOString()}'.`,
    };
  }
  return undefined;
}

/**
 * For a CAE-capable token (xms_cc cp1) of a revoked or disabled user: Graph's claims challenge (401, `insufficient_claims`,
 * base64 `claims` asking for a token issued after the revocation). Tokens without cp1 stay valid until they expire,
 * as with Entra: that is why CAE exists.
 */
export function caeChallenge(
  ctx: EmulatorContext,
  userKey: string,
  claims: JWTPayload & { xms_cc?: unknown },
): { claims: string; reason: string } | undefined {
  if (!(Array.isArray(claims.xms_cc) && claims.xms_cc.includes('cp1'))) return undefined;
  const revokedAt = ctx.store.access.revokedAt.get(userKey);
  // Whole seconds (JWT iat): a token minted in the same second as the revocation counts as after it, so a sign-in
  // right after a revocation is never challenged again.
  const revokedSecond = revokedAt === undefined ? undefined : Math.floor(revokedAt / 1000);
  const disabled = ctx.store.access.disabled.has(userKey);
  if (!disabled && (revokedSecond === undefined || (claims.iat ?? 0) >= revokedSecond)) return undefined;
  const nbf = revokedSecond ?? ctx.clock.nowSeconds();
  const request = JSON.stringify({ access_token: { nbf: { essential: true, value: String(nbf) } } });
  return {
    claims: Buffer.from(request).toString('base64'),
    reason: disabled ? 'UserDisabled' : 'TokenIssuedBeforeRevocationTimestamp',
  };
}
