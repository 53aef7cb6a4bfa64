// koa-session over an external store (the cookie holds only a random id), plus a server-side absolute lifetime.
import { randomBytes } from 'node:crypto';
import type Koa from 'koa';
import type { Context, Next } from 'koa';
import type { AppContext } from '../http/appState';
import session from 'koa-session';
import type { Config } from '../../config/types';
import { clearSession, getSessionCreatedAt } from './sessionAccess';
import type { SessionStore } from './sessionStore';

export function createSessionMiddleware(
  app: Koa,
  config: Config['session'],
  store: SessionStore,
  now: () => number = Date.now,
) {
  const koaSession = session(
    {
      key: config.cookieName,
      // Idle lifetime: activity slides the expiry. `renew` re-saves the session (store write + Set-Cookie) only once less
      // than half of it is left, instead of on every request (`rolling`): an idle session ends after between half and
      // all of SESSION_IDLE_MINUTES, and a busy page costs one store read, not a read and a write. The absolute limit
      // is enforced below.
      maxAge: config.idleTimeoutMs,
      renew: true,
      httpOnly: true,
      signed: true,
      secure: config.secureCookies,
      // Lax, not Strict: the first request after sign-in arrives at the end of a redirect chain that began at the
      // identity provider (cross-site), and a Strict cookie would not be sent on it, so the bootstrap page would look
      // signed out. Lax still withholds the cookie from cross-site subresource requests and POSTs; /api also demands
      // the X-CSRF header.
      sameSite: 'lax',
      overwrite: true,
      store,
      // The new id is also kept on ctx.state: koa-session's Session object keeps reporting the pre-regenerate key.
      genid: (ctx: AppContext) => {
        const id = randomBytes(32).toString('base64url');
        ctx.state.sessionKey = id;
        return id;
      },
    },
    app,
  );
  return async function sessionWithAbsoluteLifetime(ctx: Context, next: Next): Promise<void> {
    await koaSession(ctx, async () => {
      const createdAt = getSessionCreatedAt(ctx);
      if (createdAt !== null && now() - createdAt > config.absoluteTimeoutMs) clearSession(ctx);
      await next();
    });
  };
}
