// Koa middleware: one SERVER span per request (continuing a W3C traceparent), request count/duration by route template
// and status, and the sign-in funnel. Labels use the matched route template, never the raw path or query.
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Context, Next } from 'koa';
import { toAppError } from '../http/errorHandler';
import { boundedLabel, type Observability } from './observability';

/** The route template @koa/router matched, or a fixed name for what no router handled. */
function routeOf(ctx: Context): string {
  const matched = (ctx as Context & { _matchedRoute?: string | RegExp })._matchedRoute;
  if (typeof matched === 'string') return matched;
  if (matched instanceof RegExp) return '/* (SPA page)';
  if (ctx.status < 400 && ctx.method === 'GET') return '/* (static file)';
  return 'unmatched';
}

const ERROR_CODE_KEY = 'telemetryErrorCode';

/**
 * Sits just inside the error handler: remembers the stable code of a thrown error (e.g. invalid_login_transaction)
 * for the sign-in failure reason, then lets the error handler render it as before.
 */
export function createErrorCodeCapture() {
  return async function captureErrorCode(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
    } catch (err) {
      ctx.state[ERROR_CODE_KEY] = toAppError(err).code;
      throw err;
    }
  };
}

export function createHttpTelemetry(obs: Observability) {
  const { tracer, metrics } = obs;
  // IdP error codes reach us from the callback's query string: keep that label's values bounded.
  const reasonLabel = boundedLabel(40);
  return async function httpTelemetry(ctx: Context, next: Next): Promise<void> {
    const started = performance.now();
    const span = tracer
      ? tracer.startSpan(
          `${ctx.method}`,
          { kind: SpanKind.SERVER, attributes: { 'http.request.method': ctx.method, 'url.scheme': ctx.protocol } },
          propagation.extract(context.active(), ctx.headers),
        )
      : null;
    try {
      if (span) await context.with(trace.setSpan(context.active(), span), next);
      else await next();
    } finally {
      const route = routeOf(ctx);
      const status = String(ctx.status);
      if (span) {
        span.updateName(`${ctx.method} ${route}`);
        span.setAttributes({ 'http.route': route, 'http.response.status_code': ctx.status });
        if (typeof ctx.state.requestId === 'string') span.setAttribute('hsb.request_id', ctx.state.requestId);
        if (ctx.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      }
      if (metrics) {
        const labels = { method: ctx.method, route, status };
        metrics.httpRequests.inc(labels);
        metrics.httpDuration.observe(labels, (performance.now() - started) / 1000);
        if (ctx.path === '/auth/signin' && ctx.status === 302) metrics.signIns.inc({ event: 'started', reason: '' });
        if (ctx.path === '/auth/callback') {
          const code = ctx.state[ERROR_CODE_KEY] as string | undefined;
          if (ctx.status < 400 && !code) metrics.signIns.inc({ event: 'completed', reason: '' });
          else metrics.signIns.inc({ event: 'failed', reason: reasonLabel(code ?? `http_${status}`) });
        }
      }
    }
  };
}
