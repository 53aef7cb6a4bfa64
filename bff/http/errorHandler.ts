// One middleware renders every error: JSON for /api and /auth XHRs, a small HTML page for navigations. Never a stack trace.
import type { Context, Next } from 'koa';
import type { AppContext } from './appState';
import { AppError, InternalError, NotFoundError } from './errors';
import { renderErrorPage } from './errorPage';
import type { Logger } from './logger';
import { redactText, redactUrl } from './logger';

export function createErrorHandler(log: Logger) {
  return async function errorHandler(ctx: AppContext, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new NotFoundError('There is nothing at this address.');
      if (ctx.status === 405 && ctx.body === undefined)
        throw new AppError(405, 'method_not_allowed', `${ctx.method} is not allowed here.`, { expose: true });
    } catch (raw) {
      const err = toAppError(raw);
      const logFields = {
        requestId: ctx.state.requestId,
        method: ctx.method,
        url: redactUrl(ctx.originalUrl),
        status: err.status,
        code: err.code,
        err: describeCause(raw),
      };
      if (err.status >= 500) log.error(logFields, 'request failed');
      else log.info(logFields, 'request rejected');

      ctx.status = err.status;
      for (const [k, v] of Object.entries(err.headers)) ctx.set(k, v);
      ctx.set('Cache-Control', 'no-store');
      const message = err.expose
        ? err.message
        : 'Something went wrong on our side. Try again; if it keeps happening, contact support.';
      const code = err.expose ? err.code : 'server_error';
      if (wantsJson(ctx)) {
        ctx.body = { error: code, message, ...(err.expose ? err.details : {}) };
      } else {
        ctx.type = 'html';
        ctx.body = renderErrorPage({ status: err.status, code, message, details: err.expose ? err.details : {} });
      }
    }
  };
}

function wantsJson(ctx: Context): boolean {
  if (ctx.path.startsWith('/api/') || ctx.path === '/api') return true;
  const accept = ctx.get('Accept');
  return accept.includes('application/json') && !accept.includes('text/html');
}

/** Maps anything thrown (AppError, http-errors from Koa/body parser, plain errors) to an AppError. */
export function toAppError(raw: unknown): AppError {
  if (raw instanceof AppError) return raw;
  const e = raw as { status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown; type?: unknown };
  const status = typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : 500;
  if (status === 400 && raw instanceof SyntaxError && /prototype property/.test(raw.message)) {
    return new AppError(
      400,
      'invalid_request',
      'The JSON body contains a forbidden key (__proto__ or constructor.prototype).',
      { cause: raw, expose: true },
    );
  }
  if (status === 400 && raw instanceof SyntaxError) {
    return new AppError(
      400,
      'invalid_json',
      'The request body is not valid JSON. Send a JSON object with Content-Type: application/json.',
      { cause: raw, expose: true },
    );
  }
  if (status >= 400 && status < 500) {
    const code =
      e.type === 'entity.too.large'
        ? 'payload_too_large'
        : e.type === 'entity.parse.failed'
          ? 'invalid_json'
          : status === 415
            ? 'unsupported_media_type'
            : 'bad_request';
    const message =
      e.expose === true && typeof e.message === 'string' ? e.message : 'The request could not be processed.';
    // Only an error that says it may be shown (http-errors' expose) keeps its message.
    return new AppError(status, code, message, { cause: raw, expose: true });
  }
  return new InternalError({ cause: raw });
}

function describeCause(raw: unknown): Record<string, unknown> {
  if (!(raw instanceof Error)) return { value: redactText(String(raw)) };
  const cause = (raw as { cause?: unknown }).cause;
  return {
    type: raw.name,
    message: redactText(raw.message),
    ...(raw instanceof AppError ? {} : { stack: redactText(raw.stack ?? '') }),
    ...(cause instanceof Error
      ? {
          cause: {
            type: cause.name,
            message: redactText(cause.message),
            code: (cause as { errorCode?: string }).errorCode,
          },
        }
      : {}),
  };
}
