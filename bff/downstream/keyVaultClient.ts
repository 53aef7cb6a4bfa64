// Key Vault "Get Secret" over REST with an app token from the managed identity; maps the vault's answers to AppErrors.
import { z } from 'zod';
import type { SecretResponse } from '../../shared-types/api';
import { ForbiddenError, NotFoundError, UpstreamError } from '../http/errors';
import { callDownstream, parseJsonBody, type DownstreamDeps } from './callDownstream';

const SERVICE = 'Key Vault';
const API_VERSION = '7.5';
/** The audience of Key Vault data-plane tokens (managed identity `resource`). */
export const KEY_VAULT_RESOURCE = 'https://vault.azure.net';

export interface KeyVaultClient {
  getSecret(token: string, name: string): Promise<SecretResponse>;
}

const secretBundle = z.object({
  value: z.string(),
  id: z.string(),
  attributes: z.object({ updated: z.number().optional() }).partial().optional(),
});

export function createKeyVaultClient(deps: DownstreamDeps & { vaultUrl: string }): KeyVaultClient {
  const base = deps.vaultUrl.replace(/\/+$/, '');
  return {
    async getSecret(token, name) {
      const url = `${base}/secrets/${encodeURIComponent(name)}?api-version=${API_VERSION}`;
      const res = await callDownstream(deps, { service: SERVICE, method: 'GET', url, token });
      if (res.status === 403) {
        throw new ForbiddenError(
          'vault_forbidden',
          `This app's managed identity may not read secrets in the vault. Grant it the "Key Vault Secrets User" role (or a Get secret access policy).`,
        );
      }
      if (res.status === 404)
        throw new NotFoundError(`The secret "${name}" does not exist in the vault.`, 'secret_not_found');
      if (res.status === 401) {
        throw new UpstreamError(
          502,
          'vault_unauthorized',
          "Key Vault did not accept the app's managed identity token. Check the identity and the vault's tenant.",
        );
      }
      if (res.status !== 200)
        throw new UpstreamError(502, 'upstream_error', `Key Vault rejected the request (HTTP ${res.status}).`);
      const parsed = secretBundle.safeParse(parseJsonBody(SERVICE, res));
      if (!parsed.success)
        throw new UpstreamError(502, 'upstream_bad_response', 'Key Vault sent a secret we could not read. Try again.');
      const { value, id, attributes } = parsed.data;
      return {
        name,
        value,
        version: versionFromId(id),
        updated: attributes?.updated !== undefined ? new Date(attributes.updated * 1000).toISOString() : null,
      };
    },
  };
}

/** `https://{vault}/secrets/{name}/{version}` → version ('' when the id has none). */
function versionFromId(id: string): string {
  try {
    const segments = new URL(id).pathname.split('/').filter(Boolean);
    return segments[0] === 'secrets' && segments.length >= 3 ? segments[2]! : '';
  } catch {
    return '';
  }
}
