// App-level tokens from the host's managed identity (msal-node ManagedIdentityApplication), with an overall deadline
// and one clear error when the identity endpoint is missing, misconfigured or down.
import {
  AuthError,
  ManagedIdentityApplication,
  ManagedIdentitySourceNames,
  type INetworkModule,
} from '@azure/msal-node';
import { UpstreamError } from '../http/errors';
import type { Logger } from '../http/logger';

export interface ManagedIdentityTokenProvider {
  /** An access token for `resource` (e.g. https://vault.azure.net); msal-node caches it process-wide until near expiry. */
  getToken(resource: string): Promise<string>;
}

export interface ManagedIdentityOptions {
  /** Client id of a user-assigned identity; null for the system-assigned one. */
  clientId: string | null;
  /** The BFF's deadline-bound network module (msal-node's default client has no timeout). */
  networkClient: INetworkModule;
  /** Upper bound for one acquisition, msal-node's own retries (3 × ≥ 1 s on 5xx/429/404) included. */
  timeoutMs: number;
  log: Logger;
  /** Turns off msal-node's internal retries (tests; msal-node keeps the first setting for the whole process). */
  disableInternalRetries?: boolean;
}

const RETRY_AFTER_SECONDS = 5;

/**
 * One ManagedIdentityApplication for the app (it is app-level, not per user), created on first use. msal-node reads
 * IDENTITY_ENDPOINT/IDENTITY_HEADER (App Service, Container Apps, the emulator) or falls back to IMDS on its own.
 */
export function createManagedIdentityTokenProvider(options: ManagedIdentityOptions): ManagedIdentityTokenProvider {
  let app: ManagedIdentityApplication | null = null;
  const getApp = () =>
    (app ??= new ManagedIdentityApplication({
      ...(options.clientId ? { managedIdentityIdParams: { userAssignedClientId: options.clientId } } : {}),
      system: {
        networkClient: options.networkClient,
        ...(options.disableInternalRetries ? { disableInternalRetries: true } : {}),
      },
    }));

  return {
    async getToken(resource) {
      const mi = getApp();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new MiDeadlineError()), options.timeoutMs);
      });
      try {
        const result = await Promise.race([mi.acquireToken({ resource }), deadline]);
        return result.accessToken;
      } catch (err) {
        const source = sourceNameOf(mi);
        options.log.warn({ source, err: describe(err) }, 'managed identity token failed');
        throw toManagedIdentityError(err, source, options.clientId);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

class MiDeadlineError extends Error {
  override readonly name = 'MiDeadlineError';
}

function sourceNameOf(mi: ManagedIdentityApplication): string {
  try {
    return mi.getManagedIdentitySource();
  } catch {
    return 'unknown';
  }
}

const HOW_TO_CONFIGURE =
  'Run the BFF on Azure with a managed identity, or set IDENTITY_ENDPOINT and IDENTITY_HEADER (App Service / Container Apps style, e.g. the local emulator) before it starts.';

/** Every managed-identity failure is the same thing to the user: 503 managed_identity_unavailable, with what to check. */
export function toManagedIdentityError(err: unknown, source: string, clientId: string | null): UpstreamError {
  const opts = { cause: err, retryAfterSeconds: RETRY_AFTER_SECONDS };
  const via =
    source === ManagedIdentitySourceNames.DEFAULT_TO_IMDS
      ? 'the Azure instance metadata service (IMDS)'
      : `the ${source} identity endpoint`;
  if (err instanceof MiDeadlineError) {
    return new UpstreamError(
      503,
      'managed_identity_unavailable',
      `The managed identity (${via}) did not answer in time. ${HOW_TO_CONFIGURE}`,
      opts,
    );
  }
  if (err instanceof AuthError && err.name === 'ManagedIdentityError') {
    return new UpstreamError(
      503,
      'managed_identity_unavailable',
      `No usable managed identity is configured (${err.errorCode}). ${HOW_TO_CONFIGURE}`,
      opts,
    );
  }
  if (err instanceof AuthError && err.errorCode === 'network_error') {
    return new UpstreamError(
      503,
      'managed_identity_unavailable',
      `The managed identity (${via}) cannot be reached. ${HOW_TO_CONFIGURE}`,
      opts,
    );
  }
  const which = clientId ? `the user-assigned identity ${clientId}` : 'the system-assigned identity';
  return new UpstreamError(
    503,
    'managed_identity_unavailable',
    `The managed identity (${via}) refused to issue a token for ${which}. Check that the identity exists and is assigned to this app (and IDENTITY_HEADER, if set).`,
    opts,
  );
}

function describe(err: unknown): Record<string, unknown> {
  if (err instanceof AuthError) return { type: err.name, code: err.errorCode };
  return { type: (err as Error)?.name ?? typeof err };
}
