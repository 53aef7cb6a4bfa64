// GET /api/secret[?name=]: an allow-listed Key Vault secret, read with the app's managed identity, for a signed-in user
// holding the route's app role (ROUTE_ROLES, default Secrets.Read).
import Router from '@koa/router';
import type { ApiErrorCode } from '../../shared-types/apiErrorCode';
import { z } from 'zod';
import type { Config } from '../../config/types';
import type { SecretResponse } from '../../shared-types/api';
import { KEY_VAULT_RESOURCE, type KeyVaultClient } from '../downstream/keyVaultClient';
import type { ManagedIdentityTokenProvider } from '../downstream/managedIdentity';
import type { AppState } from '../http/appState';
import { AppError } from '../http/errors';
import type { Logger } from '../http/logger';
import { parseOrThrow, single } from '../http/validate';
import type { Services } from '../services';
import { requireRole } from './requireRole';

export type SecretRouterServices = Pick<Services, 'config' | 'log' | 'keyVault' | 'managedIdentity'>;

interface SecretRouterDeps {
  keyVault: Config['keyVault'];
  /** Null when keyVault.url is not configured. */
  vault: KeyVaultClient | null;
  managedIdentity: ManagedIdentityTokenProvider;
  log: Logger;
}

export function createSecretRouter(services: SecretRouterServices): Router {
  const deps: SecretRouterDeps = {
    keyVault: services.config.keyVault,
    vault: services.keyVault,
    managedIdentity: services.managedIdentity,
    log: services.log,
  };
  const router = new Router<AppState>();
  const secretName = secretNameParam(deps.keyVault.secretNames);

  router.get('/api/secret', requireRole(services.config.authorization.routeRoles['/api/secret']), async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    if (!deps.vault || deps.keyVault.secretNames.length === 0) {
      throw new FeatureNotConfiguredError(
        'secret_not_configured',
        'The secret feature is not configured on this server. Set KEY_VAULT_URL (https://<vault>.vault.azure.net) and KEY_VAULT_SECRET_NAMES.',
      );
    }
    const name = parseOrThrow(secretName, single(ctx.query.name), 'invalid_secret_name');
    const token = await deps.managedIdentity.getToken(KEY_VAULT_RESOURCE);
    const secret = await deps.vault.getSecret(token, name);
    // Name and version only: the value is never logged.
    deps.log.info({ requestId: ctx.state.requestId, secret: name, version: secret.version }, 'secret read');
    const body: SecretResponse = secret;
    ctx.body = body;
  });

  return router;
}

/** 503 whose message is shown: it tells the operator what to set, and holds nothing secret. */
class FeatureNotConfiguredError extends AppError {
  constructor(code: ApiErrorCode, message: string) {
    super(503, code, message, { expose: true });
  }
}

/** The requested name if it is on the allow-list (Key Vault names are case-insensitive), else the first; anything else is 400. */
function secretNameParam(allowed: readonly string[]) {
  return z
    .string()
    .optional()
    .transform((raw, c) => {
      if (raw === undefined || raw === '') return allowed[0]!;
      const match = allowed.find((n) => n.toLowerCase() === raw.toLowerCase());
      if (!match)
        c.addIssue({
          code: 'custom',
          message: `name must be one of the secrets this app exposes: ${allowed.join(', ')}`,
        });
      return match ?? z.NEVER;
    });
}
