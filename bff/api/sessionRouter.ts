// GET /api/session: the session state every open tab follows (signed in, expiry, sign-out URL); never tokens.
import Router from '@koa/router';
import { z } from 'zod';
import type { SessionResponse } from '../../shared-types/api';
import type { AppState } from '../http/appState';
import { parseOrThrow } from '../http/validate';
import type { Services } from '../services';
import { getSignOutToken, getUser } from '../session/sessionAccess';
import { extendSession, getSessionExpiry, holdSessionExpiry, secondsUntil } from '../session/sessionExpiry';

export type SessionRouterServices = Pick<Services, 'config'>;

/** `slide` defaults to false: reading the session must never keep it alive (a polling tab would otherwise). */
const slideParam = z
  .enum(['true', 'false'], {
    error: 'slide must be "true" (extend the session) or "false" (the default: only read it)',
  })
  .optional()
  .transform((v) => v === 'true');

export function signOutUrl(token: string | null): string | null {
  return token ? `/auth/signout?token=${encodeURIComponent(token)}` : null;
}

export function createSessionRouter(services: SessionRouterServices, options: { now?: () => number } = {}): Router {
  const deps = { session: services.config.session };
  const router = new Router<AppState>();
  const now = options.now ?? Date.now;
  router.get('/api/session', (ctx) => {
    const slide = parseOrThrow(slideParam, ctx.query.slide, 'invalid_slide');
    ctx.set('Cache-Control', 'no-store');
    const user = getUser(ctx);
    if (slide) extendSession(ctx);
    else holdSessionExpiry(ctx);
    const at = now();
    const expiry = getSessionExpiry(ctx, { ...deps.session, now: at, extending: slide });
    const body: SessionResponse =
      user && expiry
        ? {
            signedIn: true,
            accountId: user.homeAccountId,
            idleExpiresInSeconds: secondsUntil(expiry.idleExpiresAt, at),
            absoluteExpiresInSeconds: secondsUntil(expiry.absoluteExpiresAt, at),
            signOutUrl: signOutUrl(getSignOutToken(ctx)),
          }
        : {
            signedIn: false,
            accountId: null,
            idleExpiresInSeconds: null,
            absoluteExpiresInSeconds: null,
            signOutUrl: null,
          };
    ctx.body = body;
  });
  return router;
}
