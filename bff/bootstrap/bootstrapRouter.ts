// Serves index.html with the bootstrap payload for SPA navigations, and the same payload as JSON at /api/bootstrap.
import Router from '@koa/router';
import type { Context } from 'koa';
import { randomBytes } from 'node:crypto';
import type { Config } from '../../config/types';
import type { AuthorityMetadataSource } from '../auth/authorityMetadata';
import type { AppState } from '../http/appState';
import { AppError } from '../http/errors';
import { contentSecurityPolicy } from '../http/securityHeaders';
import { getSignOutToken, getUser, isSpaCodeUnavailable, takeSpaCodeRef } from '../session/sessionAccess';
import { getSessionExpiry, renewsOnThisRequest, secondsUntil } from '../session/sessionExpiry';
import type { OneTimeStore } from '../store/oneTimeStore';
import { buildBootstrap, type SpaCodeGrant } from './buildBootstrap';
import type { Services } from '../services';
import type { IndexTemplateSource } from './indexTemplate';
import { renderBootstrapElement } from './serializeBootstrap';

export type BootstrapRouterServices = Pick<Services, 'config' | 'stores' | 'authorityMetadata' | 'indexTemplate'>;

interface BootstrapDeps {
  entra: Config['entra'];
  routeRoles: Readonly<Record<string, string>>;
  graphBaseUrl: string;
  spaCodes: OneTimeStore<SpaCodeGrant>;
  authorityMetadata: AuthorityMetadataSource;
  indexTemplate: IndexTemplateSource;
  session: Pick<Config['session'], 'idleTimeoutMs' | 'absoluteTimeoutMs' | 'spa'>;
  now?: () => number;
}

/**
 * Builds the payload. `deliverSpaCode` consumes this session's pending spa code (so it is delivered exactly once);
 * requests that are not the SPA loading (HEAD, prefetches, stray fetches) must not use it up.
 */
async function payloadFor(ctx: Context, deps: BootstrapDeps, deliverSpaCode: boolean) {
  const user = getUser(ctx);
  const ref = deliverSpaCode ? takeSpaCodeRef(ctx) : null;
  const grant = ref ? await deps.spaCodes.take(ref) : null;
  const metadata = await deps.authorityMetadata.get().catch(() => null);
  const now = (deps.now ?? Date.now)();
  // A page load is activity: koa-session renews the session once less than half the idle time is left.
  const expiry = getSessionExpiry(ctx, {
    ...deps.session,
    now,
    extending: renewsOnThisRequest(ctx, deps.session.idleTimeoutMs, now),
  });
  return buildBootstrap({
    entra: deps.entra,
    routeRoles: deps.routeRoles,
    graphBaseUrl: deps.graphBaseUrl,
    authorityMetadataJson: metadata?.json ?? null,
    user,
    signOutToken: getSignOutToken(ctx),
    grant,
    spaCodeUnavailable: isSpaCodeUnavailable(ctx),
    session: {
      ...deps.session.spa,
      idleExpiresInSeconds: expiry ? secondsUntil(expiry.idleExpiresAt, now) : null,
      absoluteExpiresInSeconds: expiry ? secondsUntil(expiry.absoluteExpiresAt, now) : null,
    },
  });
}

const NONCE_BYTES = 18;

/**
 * A fresh CSP nonce (18 random bytes, base64) per page. The bytes come from a per-router pool refilled from the CSPRNG
 * 4.5 KiB at a time, each byte used once: one randomBytes() call per 256 pages instead of one per page (randomBytes
 * showed as ~3 % of the bootstrap page's CPU in `npm run bench -- --profile`).
 */
function createNonceSource(): () => string {
  let pool = Buffer.alloc(0);
  let offset = 0;
  return function cspNonce() {
    if (offset + NONCE_BYTES > pool.length) {
      pool = randomBytes(NONCE_BYTES * 256);
      offset = 0;
    }
    const nonce = pool.toString('base64', offset, offset + NONCE_BYTES);
    offset += NONCE_BYTES;
    return nonce;
  };
}

/** Paths that are SPA routes: no file extension, not the BFF's own endpoints. */
function isSpaRoute(path: string): boolean {
  return !/^\/(api|auth)(\/|$)/.test(path) && !/\.[A-Za-z0-9]{1,8}$/.test(path) && path.length <= 512;
}

/** A real page load: GET, asking for HTML, and (when the browser says) a top-level document, not a prefetch. */
function isDocumentLoad(ctx: Context): boolean {
  const dest = ctx.get('Sec-Fetch-Dest');
  const purpose = ctx.get('Sec-Purpose') || ctx.get('Purpose');
  return (
    ctx.method === 'GET' &&
    ctx.get('Accept').includes('text/html') &&
    (dest === '' || dest === 'document') &&
    !/prefetch/i.test(purpose)
  );
}

export function createBootstrapRouter(services: BootstrapRouterServices): Router {
  const deps: BootstrapDeps = {
    entra: services.config.entra,
    routeRoles: services.config.authorization.routeRoles,
    graphBaseUrl: services.config.graph.baseUrl,
    spaCodes: services.stores.spaCodes,
    authorityMetadata: services.authorityMetadata,
    indexTemplate: services.indexTemplate,
    session: services.config.session,
  };
  const router = new Router<AppState>();
  const cspNonce = createNonceSource();

  router.get('/api/bootstrap', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await payloadFor(ctx, deps, true);
  });

  router.get(/^\/.*/, async (ctx, next) => {
    if (!isSpaRoute(ctx.path) || !ctx.accepts('html')) return next();
    const template = await deps.indexTemplate.get();
    if (!template) {
      throw new AppError(
        503,
        'spa_not_built',
        'The web app has not been built yet. Run `npm run build` (npm start does this for you) and reload.',
        {
          // Shown: it tells the operator the one command to run, and holds nothing internal.
          expose: true,
        },
      );
    }
    const payload = await payloadFor(ctx, deps, isDocumentLoad(ctx));
    const nonce = cspNonce();
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Security-Policy', contentSecurityPolicy(nonce, [deps.entra.authority, deps.graphBaseUrl]));
    ctx.type = 'html';
    ctx.body = template.render(renderBootstrapElement(payload), nonce);
  });

  return router;
}
