// GET /api/me: the signed-in account as the server knows it (never tokens).
import Router from '@koa/router';
import type { MeResponse } from '../../shared-types/api';
import type { AppState } from '../http/appState';
import { toBootstrapAccount } from '../bootstrap/buildBootstrap';
import type { Services } from '../services';
import { requireRole } from './requireRole';
import { requireUser } from './requireUser';

export function createMeRouter(services: Pick<Services, 'config'>): Router {
  const router = new Router<AppState>();
  router.get('/api/me', requireRole(services.config.authorization.routeRoles['/api/me']), (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const body: MeResponse = { account: toBootstrapAccount(requireUser(ctx)) };
    ctx.body = body;
  });
  return router;
}
