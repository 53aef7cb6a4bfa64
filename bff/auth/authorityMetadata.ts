// Fetches the authority's openid-configuration once and shares it, so per-request MSAL clients make no metadata calls.
import { UpstreamError } from '../http/errors';
import type { FetchWithDeadline } from '../downstream/fetchWithDeadline';

export interface AuthorityMetadata {
  /** The raw JSON document, as MSAL's `authorityMetadata` option wants it. */
  json: string;
  endSessionEndpoint: string | null;
}

export interface AuthorityMetadataSource {
  get(): Promise<AuthorityMetadata>;
  /**
   * Resolves when the authority answered within the last `reachableForMs` (refetching the metadata otherwise), and
   * rejects with 503 identity_provider_unavailable when it cannot be reached: called before sending the browser there,
   * so an outage shows the app's error page instead of the browser's "site can't be reached". A no-op when the
   * metadata is configured (no network wanted).
   */
  ensureReachable(): Promise<void>;
}

/**
 * `configured`: ENTRA_AUTHORITY_METADATA when set (no network at all). Otherwise the document at
 * `${authority}/v2.0/.well-known/openid-configuration`, cached for `ttlMs`; a failed fetch is not cached.
 */
export function createAuthorityMetadataSource(options: {
  authority: string;
  configured: string | null;
  fetchWithDeadline: FetchWithDeadline;
  ttlMs?: number;
  /** How long a successful fetch counts as proof that the authority is reachable (default 30 s). */
  reachableForMs?: number;
  now?: () => number;
}): AuthorityMetadataSource {
  const ttlMs = options.ttlMs ?? 24 * 3_600_000;
  const reachableForMs = options.reachableForMs ?? 30_000;
  const now = options.now ?? Date.now;
  let cached: { value: AuthorityMetadata; at: number } | null = null;
  let inFlight: Promise<AuthorityMetadata> | null = null;

  const parse = (json: string): AuthorityMetadata => {
    const doc = JSON.parse(json) as Record<string, unknown>;
    for (const field of ['authorization_endpoint', 'token_endpoint', 'issuer', 'jwks_uri']) {
      if (typeof doc[field] !== 'string') throw new Error(`openid-configuration lacks ${field}`);
    }
    return { json, endSessionEndpoint: typeof doc.end_session_endpoint === 'string' ? doc.end_session_endpoint : null };
  };

  if (options.configured) {
    const value = parse(options.configured);
    return { get: async () => value, ensureReachable: async () => undefined };
  }

  const load = async (): Promise<AuthorityMetadata> => {
    const url = `${options.authority}/v2.0/.well-known/openid-configuration`;
    try {
      const res = await options.fetchWithDeadline(url, { method: 'GET' });
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      return parse(res.text);
    } catch (cause) {
      throw new UpstreamError(
        503,
        'identity_provider_unavailable',
        'The sign-in service cannot be reached right now. Try again in a moment.',
        {
          cause,
          retryAfterSeconds: 5,
        },
      );
    }
  };

  const refresh = (): Promise<AuthorityMetadata> => {
    inFlight ??= load()
      .then((value) => {
        cached = { value, at: now() };
        return value;
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };

  return {
    async get() {
      if (cached && now() - cached.at < ttlMs) return cached.value;
      return refresh();
    },
    async ensureReachable() {
      if (cached && now() - cached.at < reachableForMs) return;
      await refresh();
    },
  };
}
