// Starts an authorization request (sign-in, incremental consent, fresh spa code) and finishes it on the callback.
import { randomBytes } from 'node:crypto';
import { AuthError, ResponseMode, ServerError, type AuthenticationResult } from '@azure/msal-node';
import type { Context } from 'koa';
import type { Config } from '../../config/types';
import { AUTH_NOTICE_PARAM, AUTH_NOTICE_SCOPES_PARAM, type AuthNoticeCode } from '../../shared-types/bootstrap';
import type { SpaCodeGrant } from '../bootstrap/buildBootstrap';
import {
  AccountMismatchError,
  type AppError,
  IdentityProviderError,
  LoginTransactionError,
  UpstreamError,
} from '../http/errors';
import type { AppContext } from '../http/appState';
import type { Logger } from '../http/logger';
import { redactText } from '../http/logger';
import { getUser, startUserSession, type SessionUser, type SidIndexEntry } from '../session/sessionAccess';
import type { OneTimeStore } from '../store/oneTimeStore';
import type { LoginTransactionKind, LoginTransactions } from './loginTransactions';
import type { MsalClientFactory } from './msalClientFactory';
import { toAuthAppError } from './msalErrors';

/** A spa code is an Entra authorization code: valid for minutes, redeemable once. */
export const SPA_CODE_TTL_MS = 5 * 60_000;
/** Authority answers to prompt=none that mean "the user must interact", not "something broke". */
const INTERACTION_ERRORS = new Set([
  'login_required',
  'interaction_required',
  'consent_required',
  'account_selection_required',
]);
const CONSUMERS_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';

export interface AuthorizeDeps {
  entra: Config['entra'];
  msalFactory: MsalClientFactory;
  loginTransactions: LoginTransactions;
  spaCodes: OneTimeStore<SpaCodeGrant>;
  /** Entra sid → BFF session, for front-channel logout. */
  sidIndex: OneTimeStore<SidIndexEntry>;
  absoluteSessionMs: number;
  log: Logger;
}

export interface AuthorizationRequest {
  kind: LoginTransactionKind;
  returnTo: string;
  scopes: string[];
  user: SessionUser | null;
  prompt?: 'none' | 'login' | 'select_account' | 'consent';
  /** A claims challenge (JSON) from a downstream API, passed through to the authority. */
  claims?: string;
}

/** Redirects the browser to the authority's /authorize with PKCE, state and nonce held server-side. */
export async function redirectToAuthority(ctx: Context, deps: AuthorizeDeps, req: AuthorizationRequest): Promise<void> {
  const { state, nonce, codeChallenge } = await deps.loginTransactions.begin(ctx, {
    kind: req.kind,
    returnTo: req.returnTo,
    scopes: req.scopes,
    homeAccountId: req.user?.homeAccountId ?? null,
    ...(req.claims ? { claimsChallenge: true } : {}),
  });
  const cca = await deps.msalFactory.create(req.user?.homeAccountId ?? null);
  let url: string;
  try {
    url = await cca.getAuthCodeUrl({
      scopes: req.scopes,
      redirectUri: deps.entra.redirectUri,
      // query, not form_post: the Lax transaction cookie then arrives on the top-level GET back from the authority.
      responseMode: ResponseMode.QUERY,
      state,
      nonce,
      codeChallenge,
      codeChallengeMethod: 'S256',
      ...(req.prompt ? { prompt: req.prompt } : {}),
      ...(req.user
        ? {
            loginHint: req.user.loginHint ?? req.user.username,
            domainHint: req.user.tenantId === CONSUMERS_TENANT ? 'consumers' : 'organizations',
          }
        : {}),
      ...(req.claims ? { claims: req.claims } : {}),
    });
  } catch (err) {
    throw toAuthAppError(err);
  }
  ctx.set('Cache-Control', 'no-store');
  ctx.redirect(url);
}

/** Handles the authority's redirect back: checks the transaction first, then redeems the code for tokens + spa code. */
export async function completeAuthorization(ctx: AppContext, deps: AuthorizeDeps): Promise<void> {
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Referrer-Policy', 'no-referrer');
  const query = ctx.query;
  // The transaction is checked (and consumed) before anything else, including IdP errors and the code.
  const tx = await deps.loginTransactions.complete(ctx, query.state);
  const sessionUser = getUser(ctx);
  if (tx.kind !== 'signin' && sessionUser?.homeAccountId !== tx.homeAccountId) {
    throw new LoginTransactionError(
      'Your session changed while you were away (signed out or switched account). Start again.',
    );
  }

  if (typeof query.error === 'string') {
    if (tx.kind === 'spa_code' && INTERACTION_ERRORS.has(query.error)) {
      // The SPA reads this once from the bootstrap and falls back to an interactive redirect.
      await putGrant(ctx, deps, sessionUser!, { error: query.error });
      ctx.redirect(tx.returnTo);
      return;
    }
    if (query.error === 'access_denied' && tx.kind === 'consent') {
      // Declining a permission is an answer, not a failure: back to the page that asked (the SPA keeps the draft).
      deps.log.info({ requestId: ctx.state.requestId, kind: tx.kind }, 'consent declined');
      ctx.redirect(
        withNotice(
          tx.returnTo,
          'consent_declined',
          tx.scopes.filter((s) => !OIDC_SCOPES.has(s.toLowerCase())),
        ),
      );
      return;
    }
    if (query.error === 'access_denied' && tx.kind === 'signin') {
      deps.log.info({ requestId: ctx.state.requestId, kind: tx.kind }, 'sign-in cancelled');
      ctx.redirect(withNotice('/', 'signin_cancelled', []));
      return;
    }
    throw identityProviderError(query.error, query.error_description);
  }
  if (typeof query.code !== 'string' || query.code.length === 0 || query.code.length > 4096) {
    throw new LoginTransactionError('The sign-in response has no authorization code. Start the sign-in again.');
  }

  const cca = await deps.msalFactory.create(tx.kind === 'signin' ? null : tx.homeAccountId);
  let result: AuthenticationResult;
  try {
    result = await cca.acquireTokenByCode({
      code: query.code,
      scopes: tx.scopes,
      redirectUri: deps.entra.redirectUri,
      codeVerifier: tx.codeVerifier,
      // msal-node 7 rejects an id_token nonce it was not told to expect (nonce_mismatch), so pass ours back.
      nonce: tx.nonce,
      enableSpaAuthorizationCode: true,
    });
  } catch (err) {
    throw toRedemptionError(err);
  }
  if (!result.account)
    throw new UpstreamError(502, 'identity_provider_error', 'The sign-in service returned no account. Try again.');

  const user = toSessionUser(result, tx.claimsChallenge === true);
  if (tx.kind !== 'signin' && user.homeAccountId !== tx.homeAccountId) {
    throw new AccountMismatchError();
  }
  const grant: SpaCodeGrant | null = result.code ? { code: result.code } : null;
  const spaCodeRef = grant ? await storeGrant(deps, grant) : null;
  // No spa code (Entra gives none to personal accounts): remembered for the session, so the SPA of every tab goes
  // straight to its own redirect instead of a prompt=none fresh-code round trip that cannot succeed either.
  await startUserSession(ctx, user, {
    spaCodeRef,
    continuing: tx.kind !== 'signin',
    spaCodeUnavailable: grant === null,
    ...sessionOptions(deps),
  });
  deps.log.info({ requestId: ctx.state.requestId, kind: tx.kind, hybrid: grant !== null }, 'authorization completed');
  ctx.redirect(tx.returnTo);
}

const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

/** `path` (a checked local returnTo) with the notice the SPA shows once and removes from the address bar. */
export function withNotice(path: string, code: AuthNoticeCode, scopes: string[]): string {
  const url = new URL(path, 'http://app.invalid');
  url.searchParams.set(AUTH_NOTICE_PARAM, code);
  if (scopes.length > 0) url.searchParams.set(AUTH_NOTICE_SCOPES_PARAM, scopes.join(','));
  else url.searchParams.delete(AUTH_NOTICE_SCOPES_PARAM);
  return `${url.pathname}${url.search}${url.hash}`;
}

function sessionOptions(deps: AuthorizeDeps) {
  return { sidIndex: deps.sidIndex, absoluteTimeoutMs: deps.absoluteSessionMs };
}

function toSessionUser(result: AuthenticationResult, claimsChallenge: boolean): SessionUser {
  const account = result.account!;
  const claims = (result.idTokenClaims ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : null);
  return {
    homeAccountId: account.homeAccountId,
    localAccountId: account.localAccountId,
    environment: account.environment,
    tenantId: account.tenantId,
    username: account.username,
    name: account.name ?? account.username,
    loginHint: str(account.loginHint) ?? str(claims.login_hint),
    sid: str(claims.sid),
    roles: rolesOf(claims.roles),
    ...(claimsChallenge ? { claimsReauthAt: Date.now() } : {}),
  };
}

/** Entra's `roles` claim: an array of role values; absent when the user has none. Anything else counts as none. */
export function rolesOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return [...new Set(value.filter((r): r is string => typeof r === 'string' && r.length > 0 && r.length <= 120))].slice(
    0,
    200,
  );
}

async function storeGrant(deps: AuthorizeDeps, grant: SpaCodeGrant): Promise<string> {
  const ref = randomBytes(24).toString('base64url');
  await deps.spaCodes.put(ref, grant, SPA_CODE_TTL_MS);
  return ref;
}

async function putGrant(ctx: Context, deps: AuthorizeDeps, user: SessionUser, grant: SpaCodeGrant): Promise<void> {
  await startUserSession(ctx, user, {
    spaCodeRef: await storeGrant(deps, grant),
    continuing: true,
    ...sessionOptions(deps),
  });
}

function toRedemptionError(err: unknown): AppError {
  // The id_token answers another sign-in (nonce) or the code was issued for another verifier (PKCE): never a session.
  if (err instanceof AuthError && (err.errorCode === 'nonce_mismatch' || err.errorCode === 'state_mismatch')) {
    return new LoginTransactionError('The sign-in response does not belong to this sign-in. Start the sign-in again.', {
      cause: err,
    });
  }
  // A code is single-use and short-lived; Entra says invalid_grant (AADSTS54005 / 70008) and never retrying is right.
  if (err instanceof ServerError && err.errorCode === 'invalid_grant') {
    return new LoginTransactionError('This sign-in code was already used or has expired. Start the sign-in again.', {
      cause: err,
    });
  }
  return toAuthAppError(err);
}

const IDP_MESSAGES: Record<string, string> = {
  access_denied: 'The sign-in was cancelled or a permission was declined. You can try again.',
  consent_required: 'This app needs permissions that have not been granted yet.',
  login_required: 'You need to sign in again.',
  invalid_request: 'The sign-in service rejected the request.',
  unauthorized_client: 'This app is not registered correctly with the sign-in service.',
  temporarily_unavailable: 'The sign-in service is temporarily unavailable. Try again in a moment.',
  server_error: 'The sign-in service had a problem. Try again in a moment.',
};

function identityProviderError(error: string, description: unknown): IdentityProviderError {
  const code = /^[a-z_]{1,64}$/.test(error) ? error : 'invalid_request';
  const text = typeof description === 'string' ? redactText(description.split(/\r?\n/)[0]!.slice(0, 500)) : '';
  const message = Object.hasOwn(IDP_MESSAGES, code) ? IDP_MESSAGES[code]! : 'The sign-in service returned an error.';
  return new IdentityProviderError(code, message, {
    details: text ? { idpDescription: text } : {},
  });
}
