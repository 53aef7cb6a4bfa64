// Gives each request an id (echoed as X-Request-Id) and logs one line per request with a redacted URL.
import { randomUUID } from 'node:crypto';
import type { Next } from 'koa';
import type { AppContext } from './appState';
import type { Logger } from './logger';
import { redactUrl } from './logger';

export function createRequestContext(log: Logger) {
  return async function requestContext(ctx: AppContext, next: Next): Promise<void> {
    const started = performance.now();
    const incoming = ctx.get('X-Request-Id');
    const requestId = /^[\w-]{8,64}$/.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    try {
      await next();
    } finally {
      log.info(
        {
          requestId,
          method: ctx.method,
          url: redactUrl(ctx.originalUrl),
          status: ctx.status,
          ms: Math.round(performance.now() - started),
        },
        'request',
      );
    }
  };
}
