// Runs a Graph call with the session user's server-side token and turns token/Graph failures into the API's errors:
// consent_required with a consent URL, login_required (with claims when Graph sent a challenge), one forced refresh on 401.
import type { Config } from '../../config/types';
import type { TokenService } from '../auth/tokenService';
import {
  isAccountDisabled,
  isConsentRequired,
  isInteractionRequired,
  isRefreshRefused,
  toAuthAppError,
} from '../auth/msalErrors';
import { GraphError } from '../downstream/graphClient';
import {
  AppError,
  ConsentRequiredError,
  ForbiddenError,
  LoginRequiredError,
  NotFoundError,
  UpstreamError,
} from '../http/errors';
import type { Logger } from '../http/logger';
import type { SessionUser } from '../session/sessionAccess';

export interface GraphAsUserDeps {
  tokenService: TokenService;
  entra: Pick<Config['entra'], 'consentScopes'>;
  log: Logger;
  now?: () => number;
}

/**
 * A claims challenge this soon after the user re-authenticated for one is not sent back to sign-in again: a policy
 * the sign-in cannot satisfy would otherwise bounce the browser between the app and Entra.
 */
export const CLAIMS_REAUTH_GRACE_MS = 2 * 60_000;

export interface GraphAsUserRequest {
  user: SessionUser;
  scopes: string[];
  /** The SPA page to come back to after a consent or sign-in round trip. */
  returnTo: string;
  requestId?: string;
}

/**
 * Gets a token for `scopes` and runs `call`. On a Graph 401 it gets a new token once (forceRefresh, or with the
 * challenge's claims: Continuous Access Evaluation) and runs `call` once more: a 401 means Graph did not act on the
 * request, so even a POST is safe. When the claims need the user, the answer is 401 login_required whose signInUrl
 * re-authenticates with those claims (/auth/consent). A second challenge in a row ends in claims_challenge_unresolved.
 */
export async function graphAsUser<T>(
  deps: GraphAsUserDeps,
  req: GraphAsUserRequest,
  call: (token: string) => Promise<T>,
): Promise<T> {
  const first = await acquire(deps, req, {});
  try {
    return await call(first);
  } catch (err) {
    if (!(err instanceof GraphError) || err.status !== 401) throw toApiError(err);
    const claims = err.claimsChallenge;
    deps.log.info(
      { requestId: req.requestId, code: err.code, claimsChallenge: claims !== null },
      'graph rejected the token; acquiring a new one',
    );
    const second = await acquire(deps, req, claims ? { claims } : { forceRefresh: true });
    try {
      return await call(second);
    } catch (retryErr) {
      if (retryErr instanceof GraphError && retryErr.status === 401) {
        if (claims || retryErr.claimsChallenge) {
          deps.log.warn({ requestId: req.requestId }, 'graph sent a second claims challenge in a row');
          throw unresolvedChallenge(retryErr);
        }
        throw signInAgain(deps, req, null, retryErr);
      }
      throw toApiError(retryErr);
    }
  }
}

async function acquire(
  deps: GraphAsUserDeps,
  req: GraphAsUserRequest,
  options: { forceRefresh?: boolean; claims?: string },
): Promise<string> {
  try {
    const result = await deps.tokenService.acquire(req.user, req.scopes, options);
    return result.accessToken;
  } catch (err) {
    throw toTokenError(deps, req, err, options.claims ?? null);
  }
}

/** Why the token could not be had silently, as the response the SPA can act on. */
function toTokenError(deps: GraphAsUserDeps, req: GraphAsUserRequest, err: unknown, claims: string | null): AppError {
  if (err instanceof AppError) return err;
  const serverClaims = claimsOf(err);
  if (isAccountDisabled(err)) return toAuthAppError(err);
  // After a claims challenge, a refused refresh token (sessions revoked: AADSTS50173) also means "sign in with these claims".
  if ((isInteractionRequired(err) || isRefreshRefused(err)) && (claims || serverClaims))
    return signInAgain(deps, req, serverClaims ?? claims, err);
  if (isConsentRequired(err)) {
    deps.log.info({ requestId: req.requestId, scopes: req.scopes }, 'consent required');
    return new ConsentRequiredError(req.scopes, consentUrl(req.scopes, req.returnTo), { cause: err });
  }
  if (isInteractionRequired(err) && req.scopes.every((s) => isConsentScope(deps, s))) {
    // For a feature scope (e.g. Mail.Send) an interactive request for that scope settles sign-in and consent in one trip.
    return new LoginRequiredError('Your sign-in has expired. Sign in again to continue.', {
      cause: err,
      details: { signInUrl: consentUrl(req.scopes, req.returnTo) },
    });
  }
  return toAuthAppError(err);
}

function signInAgain(deps: GraphAsUserDeps, req: GraphAsUserRequest, claims: string | null, cause: unknown): AppError {
  if (!claims)
    return new LoginRequiredError('Microsoft Graph no longer accepts your sign-in. Sign in again to continue.', {
      cause,
    });
  const reauthAt = req.user.claimsReauthAt;
  if (reauthAt !== undefined && (deps.now ?? Date.now)() - reauthAt < CLAIMS_REAUTH_GRACE_MS) {
    deps.log.warn(
      { requestId: req.requestId },
      'claims challenge right after a claims re-authentication; not redirecting again',
    );
    return unresolvedChallenge(cause);
  }
  return new LoginRequiredError('Your organization requires you to sign in again before continuing.', {
    cause,
    details: { signInUrl: consentUrl(req.scopes, req.returnTo, claims), reason: 'claims_challenge' },
  });
}

/** Graph keeps challenging although the token was just renewed with its claims: an error to show, never a redirect. */
function unresolvedChallenge(cause: unknown): UpstreamError {
  return new UpstreamError(
    502,
    'claims_challenge_unresolved',
    'Microsoft Graph still asks for a new sign-in although you just signed in again. Sign out and sign in again; if it keeps happening, ask your administrator to check your account and its access policies.',
    { cause },
  );
}

function claimsOf(err: unknown): string | null {
  const claims = (err as { claims?: unknown } | null)?.claims;
  return typeof claims === 'string' && claims.length > 0 ? claims : null;
}

function isConsentScope(deps: GraphAsUserDeps, scope: string): boolean {
  return deps.entra.consentScopes.some((s) => s.toLowerCase() === scope.toLowerCase());
}

/** `/auth/consent?scopes=…[&claims=…]&returnTo=…` (the route checks scopes, claims and returnTo itself). */
export function consentUrl(scopes: string[], returnTo: string, claims?: string | null): string {
  const enc = (v: string) => encodeURIComponent(v).replace(/%2F/gi, '/');
  return `/auth/consent?scopes=${enc(scopes.join(' '))}${claims ? `&claims=${encodeURIComponent(claims)}` : ''}&returnTo=${enc(returnTo)}`;
}

/** Graph answers other than 401, as API errors (Graph's own messages are not passed to the user). */
function toApiError(err: unknown): unknown {
  if (!(err instanceof GraphError)) return err;
  if (err.status === 403) {
    return new ForbiddenError('graph_access_denied', 'Microsoft Graph denied access to your mailbox for this app.', {
      cause: err,
      details: { graphCode: err.code },
    });
  }
  if (err.status === 404) {
    return new NotFoundError('Microsoft Graph found no mailbox for your account.', 'mailbox_not_found', {
      cause: err,
      details: { graphCode: err.code },
    });
  }
  return new UpstreamError(502, 'upstream_error', `Microsoft Graph rejected the request (HTTP ${err.status}).`, {
    cause: err,
    details: { graphCode: err.code },
  });
}
