// The JSON API routers under /api (CSRF guard and JSON body parsing are applied in app.ts).
import type Router from '@koa/router';
import { MsalNetworkClient } from '../auth/networkClient';
import { createGraphClient } from '../downstream/graphClient';
import { createKeyVaultClient } from '../downstream/keyVaultClient';
import { createManagedIdentityTokenProvider } from '../downstream/managedIdentity';
import type { Services } from '../services';
import { createMailRouter } from './mailRouter';
import { createMeRouter } from './meRouter';
import { createSecretRouter } from './secretRouter';
import { createSessionRouter } from './sessionRouter';

export function createApiRouters(services: Services): Router[] {
  const { config, log, fetchWithDeadline } = services;
  const downstream = { fetchWithDeadline, log };
  const managedIdentity =
    services.managedIdentity ??
    createManagedIdentityTokenProvider({
      clientId: config.keyVault.managedIdentityClientId,
      networkClient: new MsalNetworkClient(fetchWithDeadline),
      timeoutMs: config.http.timeoutMs,
      log,
    });
  return [
    createMeRouter(),
    createSessionRouter({ session: config.session }),
    createMailRouter({
      tokenService: services.tokenService,
      graph: createGraphClient({ ...downstream, baseUrl: config.graph.baseUrl }),
      entra: config.entra,
      log,
    }),
    createSecretRouter({
      keyVault: config.keyVault,
      vault: config.keyVault.url ? createKeyVaultClient({ ...downstream, vaultUrl: config.keyVault.url }) : null,
      managedIdentity,
      log,
    }),
  ];
}
