// createApp(services): the Koa app's middleware order and routers; no I/O at import time.
import Koa, { type Middleware } from 'koa';
import compose from 'koa-compose';
import { createApiRouters } from './api/apiRouters';
import { createAuthRouter } from './auth/authRouter';
import { createBootstrapRouter } from './bootstrap/bootstrapRouter';
import { CookieSigner } from './http/cookieSigner';
import type { AppContext, AppState } from './http/appState';
import { createCsrfGuard } from './http/csrf';
import { createErrorHandler } from './http/errorHandler';
import { createHealthRouter } from './http/healthRouter';
import { createJsonBody } from './http/jsonBody';
import { createBeaconRouter } from './observability/beaconRouter';
import { createErrorCodeCapture, createHttpTelemetry } from './observability/httpTelemetry';
import { createRequestContext } from './http/requestContext';
import { createSecurityHeaders } from './http/securityHeaders';
import { createStaticFiles } from './http/staticFiles';
import type { Services } from './services';
import { createSessionMiddleware } from './session/createSessionMiddleware';

export function createApp(services: Services): Koa {
  const { config, log, stores } = services;
  // maxIpsCount: read the client IP from the right of X-Forwarded-For (the leftmost entry is the client's to forge).
  const app = new Koa<AppState>({ proxy: config.server.trustProxy, maxIpsCount: config.server.proxyHops });
  // koa's typings say string[]; cookies also accepts any object with Keygrip's sign/verify/index.
  app.keys = new CookieSigner(config.session.keys) as unknown as string[];
  app.silent = true; // errors are logged by errorHandler, with secrets redacted

  const csrfGuard = createCsrfGuard({ publicOrigin: new URL(config.server.publicUrl).origin });
  const jsonBody = createJsonBody({ limit: '100kb' });

  const routers = [
    createAuthRouter(services),
    ...createApiRouters(services),
    createBeaconRouter({ metrics: services.observability.metrics }),
    // Last: it answers every remaining HTML navigation with the SPA.
    createBootstrapRouter(services),
  ];

  const { observability } = services;
  const telemetry = observability.tracer !== null || observability.metrics !== null;
  // First, so the request span is the parent of everything else and the duration covers the whole request.
  if (telemetry) app.use(createHttpTelemetry(observability));
  app.use(createRequestContext(log));
  // Outside the error handler, so error pages get the headers too.
  app.use(createSecurityHeaders({ hsts: config.server.publicUrl.startsWith('https://') }));
  app.use(createErrorHandler(log));
  if (telemetry) app.use(createErrorCodeCapture());
  if (config.session.secureCookies) app.use(secureCookiesBehindTls);
  app.use(createStaticFiles(config.server.clientDistDir));
  app.use(createHealthRouter(services).routes());
  app.use(createSessionMiddleware(app, config.session, stores.sessions));
  app.use(onPath(/^\/api(\/|$)/, compose<AppContext>([csrfGuard, jsonBody])));
  for (const r of routers) app.use(r.routes()).use(r.allowedMethods());
  return app;
}

/**
 * PUBLIC_URL is https: TLS ends at the user-facing proxy, so Secure cookies are right even when this hop is plain
 * http (koa-cookies would otherwise refuse to set them unless TRUST_PROXY and X-Forwarded-Proto say https).
 */
const secureCookiesBehindTls: Middleware = async (ctx, next) => {
  ctx.cookies.secure = true;
  await next();
};

/** Runs `middleware` only for request paths matching `pattern`. */
function onPath(pattern: RegExp, middleware: Middleware): Middleware {
  return (ctx, next) => (pattern.test(ctx.path) ? middleware(ctx, next) : next());
}
