// /auth routes: sign-in, callback, fresh spa code, incremental consent, sign-out.
import Router from '@koa/router';
import type { Context } from 'koa';
import { timingSafeEqual } from 'node:crypto';
import type { Config } from '../../config/types';
import { BadRequestError, CsrfError } from '../http/errors';
import { clearSession, getSignOutToken, getUser } from '../session/sessionAccess';
import type { TokenCacheStore } from '../tokenCache/tokenCacheStore';
import type { AuthorityMetadataSource } from './authorityMetadata';
import { completeAuthorization, redirectToAuthority, type AuthorizeDeps } from './authorize';
import { parseReturnTo } from './returnTo';

export interface AuthRouterDeps extends AuthorizeDeps {
  tokenCacheStore: TokenCacheStore;
  authorityMetadata: AuthorityMetadataSource;
  entra: Config['entra'];
}

const MAX_CLAIMS_LENGTH = 4096;

export function createAuthRouter(deps: AuthRouterDeps): Router {
  const router = new Router({ prefix: '/auth' });

  router.get('/signin', async (ctx) => {
    const returnTo = returnToFrom(ctx);
    const prompt = ctx.query.prompt;
    if (prompt !== undefined && prompt !== 'select_account' && prompt !== 'login') {
      throw new BadRequestError('prompt may only be "select_account" or "login".', { code: 'invalid_prompt' });
    }
    await redirectToAuthority(ctx, deps, { kind: 'signin', returnTo, scopes: deps.entra.serverScopes, user: null, ...(prompt ? { prompt } : {}) });
  });

  router.get('/callback', (ctx) => completeAuthorization(ctx, deps));

  // A new tab has no spa code left: a top-level prompt=none round trip mints a fresh one (no iframe, no third-party cookies).
  router.get('/spa-code', async (ctx) => {
    const returnTo = returnToFrom(ctx);
    const user = getUser(ctx);
    if (!user) return redirectToSignIn(ctx, returnTo);
    await redirectToAuthority(ctx, deps, { kind: 'spa_code', returnTo, scopes: deps.entra.serverScopes, user, prompt: 'none' });
  });

  // Incremental consent: ask for a feature's extra permission (e.g. Mail.Send) only when the feature needs it.
  router.get('/consent', async (ctx) => {
    const returnTo = returnToFrom(ctx);
    // Sign-in scopes are allowed too: a claims challenge from Graph on Mail.Read comes back through here with claims=.
    const scopes = parseConsentScopes(ctx.query.scopes, [...deps.entra.consentScopes, ...deps.entra.serverScopes]);
    const claims = parseClaims(ctx.query.claims);
    const user = getUser(ctx);
    if (!user) return redirectToSignIn(ctx, returnTo);
    await redirectToAuthority(ctx, deps, { kind: 'consent', returnTo, scopes, user, ...(claims ? { claims } : {}) });
  });

  // Sign-out is a top-level GET carrying a session-bound token (like Duende's sid): a cross-site page cannot know it.
  router.get('/signout', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const user = getUser(ctx);
    if (!user) {
      ctx.redirect(deps.entra.postLogoutRedirectUri);
      return;
    }
    const expected = getSignOutToken(ctx);
    const given = typeof ctx.query.token === 'string' ? ctx.query.token : '';
    if (!expected || !safeEqual(given, expected)) {
      throw new CsrfError('This sign-out link does not belong to your session. Use the Sign out button in the app.');
    }
    await deps.tokenCacheStore.delete(user.homeAccountId);
    clearSession(ctx);
    ctx.redirect(await endSessionUrl(deps, user.loginHint));
  });

  return router;
}

function returnToFrom(ctx: Context): string {
  const raw = ctx.query.returnTo;
  if (raw === undefined) return '/';
  const path = parseReturnTo(raw);
  if (path === null) {
    throw new BadRequestError('returnTo must be a path inside this app, such as /profile.', { code: 'invalid_return_to' });
  }
  return path;
}

function redirectToSignIn(ctx: Context, returnTo: string): void {
  ctx.set('Cache-Control', 'no-store');
  ctx.redirect(`/auth/signin?returnTo=${encodeURIComponent(returnTo)}`);
}

function parseConsentScopes(raw: unknown, allowed: readonly string[]): string[] {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new BadRequestError(`scopes is required, e.g. scopes=${allowed[0] ?? 'Mail.Send'}.`, { code: 'invalid_scopes' });
  }
  const requested = [...new Set(raw.split(/[\s,]+/).filter(Boolean))];
  const canonical = requested.map((s) => allowed.find((a) => a.toLowerCase() === s.toLowerCase()));
  if (requested.length > 10 || canonical.some((s) => s === undefined)) {
    throw new BadRequestError(`Only these permissions can be requested here: ${allowed.join(', ')}.`, { code: 'invalid_scopes' });
  }
  return canonical as string[];
}

function parseClaims(raw: unknown): string | null {
  if (raw === undefined) return null;
  if (typeof raw !== 'string' || raw.length > MAX_CLAIMS_LENGTH) throw new BadRequestError('claims must be a JSON claims request.', { code: 'invalid_claims' });
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
  } catch {
    throw new BadRequestError('claims must be a JSON claims request.', { code: 'invalid_claims' });
  }
  return raw;
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

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
