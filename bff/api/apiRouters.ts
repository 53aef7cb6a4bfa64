// The JSON API routers under /api (CSRF guard and JSON body parsing are applied in app.ts).
import type Router from '@koa/router';
import type { Services } from '../services';
import { createMailRouter } from './mailRouter';
import { createMeRouter } from './meRouter';
import { createSecretRouter } from './secretRouter';
import { createSessionRouter } from './sessionRouter';

export function createApiRouters(services: Services): Router[] {
  return [
    createMeRouter(services),
    createSessionRouter(services),
    createMailRouter(services),
    createSecretRouter(services),
  ];
}
