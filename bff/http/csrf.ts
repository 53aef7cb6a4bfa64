// CSRF defence for /api: a static custom header (cannot be sent cross-site without CORS, which the BFF never enables)
// plus Fetch-Metadata and Origin checks.
import type { Context, Next } from 'koa';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../../shared-types/api';
import { CsrfError } from './errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function createCsrfGuard(options: { publicOrigin: string }) {
  return async function csrfGuard(ctx: Context, next: Next): Promise<void> {
    ctx.vary('Origin');
    ctx.vary('Sec-Fetch-Site');
    if (ctx.get(CSRF_HEADER) !== CSRF_HEADER_VALUE) {
      throw new CsrfError(`API requests must carry the header ${CSRF_HEADER}: ${CSRF_HEADER_VALUE}.`);
    }
    if (ctx.get('Sec-Fetch-Site') === 'cross-site') throw new CsrfError('Cross-site API requests are not allowed.');
    const origin = ctx.get('Origin');
    if (origin && !SAFE_METHODS.has(ctx.method) && origin !== options.publicOrigin) {
      throw new CsrfError('Requests from other origins are not allowed.');
    }
    await next();
  };
}
