// /auth routes: sign-in, callback, fresh spa code, incremental consent, sign-out.
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Config } from '../../config/types';
import type { AppState } from '../http/appState';
import { CsrfError, UpstreamError } from '../http/errors';
import { safeEqual } from '../http/safeEqual';
import { parseOrThrow } from '../http/validate';
import { clearSession, getSignOutToken, getUser } from '../session/sessionAccess';
import type { Services } from '../services';
import type { TokenCacheStore } from '../tokenCache/tokenCacheStore';
import type { SessionStore } from '../session/sessionStore';
import type { AuthorityMetadataSource } from './authorityMetadata';
import { completeAuthorization, redirectToAuthority, type AuthorizeDeps } from './authorize';
import { parseReturnTo } from './returnTo';
import { createRateLimit } from '../http/rateLimit';

export type AuthRouterServices = Pick<
  Services,
  'config' | 'log' | 'stores' | 'msalFactory' | 'loginTransactions' | 'authorityMetadata'
>;

interface AuthRouterDeps extends AuthorizeDeps {
  rateLimit: Config['rateLimit'];
  tokenCacheStore: TokenCacheStore;
  sessions: SessionStore;
  authorityMetadata: AuthorityMetadataSource;
  entra: Config['entra'];
}

const MAX_CLAIMS_LENGTH = 4096;

const promptParam = z
  .enum(['select_account', 'login'], { error: 'prompt may only be "select_account" or "login"' })
  .optional();

const returnToParam = z.unknown().transform((raw, c) => {
  if (raw === undefined) return '/';
  const path = parseReturnTo(raw);
  if (path === null)
    c.addIssue({ code: 'custom', message: 'returnTo must be a path inside this app, such as /profile' });
  return path ?? z.NEVER;
});

/** Requested scopes, each matched case-insensitively to its canonical spelling in `allowed`, at most 10. */
function consentScopesParam(allowed: readonly string[]) {
  const onlyThese = `Only these permissions can be requested here: ${allowed.join(', ')}`;
  return z
    .string({ error: `scopes is required, e.g. scopes=${allowed[0] ?? 'Mail.Send'}` })
    .refine((raw) => raw.trim() !== '', `scopes is required, e.g. scopes=${allowed[0] ?? 'Mail.Send'}`)
    .transform((raw, c) => {
      const requested = [...new Set(raw.split(/[\s,]+/).filter(Boolean))];
      const canonical = requested.map((s) => allowed.find((a) => a.toLowerCase() === s.toLowerCase()));
      if (requested.length > 10 || canonical.some((s) => s === undefined))
        c.addIssue({ code: 'custom', message: onlyThese });
      return canonical.filter((s) => s !== undefined);
    });
}

const claimsParam = z
  .string({ error: 'claims must be a JSON claims request' })
  .max(MAX_CLAIMS_LENGTH, 'claims must be a JSON claims request')
  .refine(isJsonObject, 'claims must be a JSON claims request')
  .optional()
  .transform((raw) => raw ?? null);

const sidParam = z.string({ error: 'sid is required' }).regex(/^[\w.:-]{1,256}$/, 'sid is required');

export function createAuthRouter(services: AuthRouterServices): Router {
  const { config, stores } = services;
  const deps: AuthRouterDeps = {
    entra: config.entra,
    msalFactory: services.msalFactory,
    loginTransactions: services.loginTransactions,
    spaCodes: stores.spaCodes,
    sidIndex: stores.sidIndex,
    absoluteSessionMs: config.session.absoluteTimeoutMs,
    sessions: stores.sessions,
    rateLimit: config.rateLimit,
    tokenCacheStore: stores.tokenCache,
    authorityMetadata: services.authorityMetadata,
    log: services.log,
  };
  const router = new Router<AppState>({ prefix: '/auth' });
  // Sign-in scopes are allowed too: a claims challenge from Graph on Mail.Read comes back through /consent with claims=.
  const consentScopes = consentScopesParam([...deps.entra.consentScopes, ...deps.entra.serverScopes]);
  const issParam = z
    .string({ error: "iss does not match this app's authority" })
    .refine((iss) => issuerMatches(iss, deps.entra.instance), "iss does not match this app's authority")
    .optional();
  const signInLimit = createRateLimit({ pointsPerMinute: deps.rateLimit.signInPerMinute, name: 'signin' });
  const callbackLimit = createRateLimit({ pointsPerMinute: deps.rateLimit.callbackPerMinute, name: 'callback' });
  // The iframe carries no cookie, so anyone can call it: cap guessing sids and the store work it costs, per client IP.
  const frontChannelLimit = createRateLimit({
    pointsPerMinute: deps.rateLimit.callbackPerMinute,
    name: 'frontchannel-logout',
    what: 'sign-out requests',
  });
  // Every new tab of a signed-in user takes this route: limit per user (and IP), so colleagues behind one NAT don't share it.
  const freshCodeLimit = createRateLimit({
    pointsPerMinute: deps.rateLimit.spaCodePerUserPerMinute,
    name: 'spa-code',
    key: (ctx) => `${ctx.ip}|${getUser(ctx)?.homeAccountId ?? ''}`,
  });

  router.get('/signin', signInLimit, async (ctx) => {
    const returnTo = returnToFrom(ctx);
    const prompt = parseOrThrow(promptParam, ctx.query.prompt, 'invalid_prompt');
    await ensureAuthorityReachable(ctx, deps);
    await redirectToAuthority(ctx, deps, {
      kind: 'signin',
      returnTo,
      scopes: deps.entra.serverScopes,
      user: null,
      ...(prompt ? { prompt } : {}),
    });
  });

  router.get('/callback', callbackLimit, (ctx) => completeAuthorization(ctx, deps));

  // A new tab has no spa code left: a top-level prompt=none round trip mints a fresh one (no iframe, no third-party cookies).
  router.get('/spa-code', freshCodeLimit, async (ctx) => {
    const returnTo = returnToFrom(ctx);
    const user = getUser(ctx);
    if (!user) return redirectToSignIn(ctx, returnTo);
    await ensureAuthorityReachable(ctx, deps);
    await redirectToAuthority(ctx, deps, {
      kind: 'spa_code',
      returnTo,
      scopes: deps.entra.serverScopes,
      user,
      prompt: 'none',
    });
  });

  // Incremental consent: ask for a feature's extra permission (e.g. Mail.Send) only when the feature needs it.
  router.get('/consent', signInLimit, async (ctx) => {
    const returnTo = returnToFrom(ctx);
    const scopes = parseOrThrow(consentScopes, ctx.query.scopes, 'invalid_scopes');
    const claims = parseOrThrow(claimsParam, ctx.query.claims, 'invalid_claims');
    const user = getUser(ctx);
    if (!user) return redirectToSignIn(ctx, returnTo);
    await ensureAuthorityReachable(ctx, deps);
    await redirectToAuthority(ctx, deps, { kind: 'consent', returnTo, scopes, user, ...(claims ? { claims } : {}) });
  });

  // Sign-out is a top-level GET carrying a session-bound token (like Duende's sid): a cross-site page cannot know it.
  router.get('/signout', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const returnTo = returnToFrom(ctx);
    const user = getUser(ctx);
    if (!user) {
      // Already signed out (a second click, an expired session): nothing to end, go back into the app.
      ctx.redirect(returnTo);
      return;
    }
    const expected = getSignOutToken(ctx);
    const given = typeof ctx.query.token === 'string' ? ctx.query.token : '';
    if (!expected || !safeEqual(given, expected)) {
      throw new CsrfError('This sign-out link does not belong to your session. Use the Sign out button in the app.');
    }
    await deps.tokenCacheStore.delete(user.homeAccountId);
    if (user.sid) await deps.sidIndex.take(user.sid);
    clearSession(ctx);
    // The local session is over whatever happens next; only the identity provider's own session may be left.
    await ensureAuthorityReachableForSignOut(deps);
    ctx.redirect(await endSessionUrl(deps, user.loginHint));
  });

  // Retry of the identity provider's sign-out after it was unreachable (the local session is already gone).
  router.get('/end-session', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    await ensureAuthorityReachableForSignOut(deps);
    ctx.redirect(await endSessionUrl(deps, null));
  });

  // Front-channel logout: the authority's sign-out page loads this in a hidden iframe with the Entra session id, so
  // signing out elsewhere (another app, the account portal) ends this BFF session and drops the user's server tokens.
  // The iframe is cross-site, so the session cookie is not sent; the sid index finds the session instead.
  router.get('/frontchannel-logout', frontChannelLimit, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.remove('X-Frame-Options');
    ctx.set('Content-Security-Policy', `default-src 'none'; frame-ancestors ${new URL(deps.entra.authority).origin}`);
    const sid = parseOrThrow(sidParam, ctx.query.sid, 'invalid_sid');
    parseOrThrow(issParam, ctx.query.iss, 'invalid_issuer');
    const entry = await deps.sidIndex.take(sid);
    if (entry) {
      await deps.sessions.destroy(entry.sessionKey);
      await deps.tokenCacheStore.delete(entry.homeAccountId);
    }
    ctx.type = 'html';
    ctx.body = '<!doctype html><title>Signed out</title>';
  });

  return router;
}

/** 503 with a Retry link instead of a redirect the browser could only answer with "site can't be reached". */
async function ensureAuthorityReachable(ctx: Context, deps: AuthRouterDeps): Promise<void> {
  await ensureReachableOr503(
    deps,
    'The sign-in service cannot be reached right now, so you cannot sign in at the moment. Try again in a moment.',
    { retryUrl: ctx.originalUrl },
  );
}

async function ensureAuthorityReachableForSignOut(deps: AuthRouterDeps): Promise<void> {
  await ensureReachableOr503(
    deps,
    'You are signed out of this app. The sign-in service cannot be reached right now, so your Microsoft account may still be signed in on this browser: retry to sign out there too.',
    { retryUrl: '/auth/end-session', signedOut: true },
  );
}

async function ensureReachableOr503(
  deps: AuthRouterDeps,
  message: string,
  details: Record<string, unknown>,
): Promise<void> {
  try {
    await deps.authorityMetadata.ensureReachable();
  } catch (err) {
    throw new UpstreamError(503, 'identity_provider_unavailable', message, {
      cause: err,
      retryAfterSeconds: 5,
      details,
    });
  }
}

function returnToFrom(ctx: Context): string {
  return parseOrThrow(returnToParam, ctx.query.returnTo, 'invalid_return_to');
}

function redirectToSignIn(ctx: Context, returnTo: string): void {
  ctx.set('Cache-Control', 'no-store');
  ctx.redirect(`/auth/signin?returnTo=${encodeURIComponent(returnTo)}`);
}

function isJsonObject(raw: string): boolean {
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

async function endSessionUrl(deps: AuthRouterDeps, loginHint: string | null): Promise<string> {
  const metadata = await deps.authorityMetadata.get().catch(() => null);
  if (!metadata?.endSessionEndpoint) return deps.entra.postLogoutRedirectUri;
  const url = new URL(metadata.endSessionEndpoint);
  url.searchParams.set('post_logout_redirect_uri', deps.entra.postLogoutRedirectUri);
  url.searchParams.set('client_id', deps.entra.clientId);
  if (loginHint) url.searchParams.set('logout_hint', loginHint);
  return url.toString();
}

/** The issuer must be on this app's authority host (Entra sends its v2 issuer, e.g. https://login…/<tid>/v2.0). */
function issuerMatches(iss: string, instance: string): boolean {
  try {
    return new URL(iss).origin === new URL(instance).origin;
  } catch {
    return false;
  }
}
