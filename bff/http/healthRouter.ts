// /healthz: the process is up. /readyz: its dependencies (session/token stores) answer, so it can take traffic.
import Router from '@koa/router';
import type { Services } from '../services';
import type { AppState } from './appState';

export type ReadinessCheck = () => Promise<void>;

export function createHealthRouter(services: Pick<Services, 'stores'>): Router {
  const checks = services.stores.readiness;
  const router = new Router<AppState>();
  router.get('/healthz', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await check();
          return [name, 'ok'] as const;
        } catch {
          return [name, 'unavailable'] as const;
        }
      }),
    );
    const ready = results.every(([, s]) => s === 'ok');
    ctx.status = ready ? 200 : 503;
    if (!ready) ctx.set('Retry-After', '5');
    ctx.body = { status: ready ? 'ready' : 'unavailable', checks: Object.fromEntries(results) };
  });
  return router;
}
