// The JSON API routers under /api (CSRF guard and JSON body parsing are applied in app.ts).
import type Router from '@koa/router';
import type { Services } from '../services';
import { createMeRouter } from './meRouter';

export function createApiRouters(_services: Services): Router[] {
  return [createMeRouter()];
}
