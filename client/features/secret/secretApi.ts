// The secret endpoint of the BFF api: a Key Vault secret the BFF reads with its managed identity.
import { bffApi } from '../../api/bffApi';
import type { SecretResponse } from '../../../shared-types/api';

/** The BFF route as the bootstrap's `requiredRoles` names it (the endpoint's path under /api). */
export const SECRET_API_ROUTE = '/api/secret';

export const secretApi = bffApi.injectEndpoints({
  endpoints: (build) => ({
    secret: build.query<SecretResponse, void>({
      query: () => '/secret',
    }),
  }),
});

export const { useSecretQuery } = secretApi;
