// CORS for the browser-facing endpoints: MSAL's fetch is not credentialed, so a wildcard origin is what Entra sends.
import { header, type EmuRequest, type EmuResponse } from './types';

const EXPOSED = 'Retry-After, x-ms-request-id, client-request-id, request-id, WWW-Authenticate';

/** Adds the CORS response headers (errors included: without them browser MSAL sees only a network error). */
export function withCors(res: EmuResponse): EmuResponse {
  return {
    ...res,
    headers: { ...res.headers, 'access-control-allow-origin': '*', 'access-control-expose-headers': EXPOSED },
  };
}

/** Answers a preflight, allowing whatever headers the browser asked for (Graph callers send Authorization). */
export function preflight(req: EmuRequest, methods: string): EmuResponse {
  return {
    status: 204,
    headers: {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': methods,
      'access-control-allow-headers': header(req, 'access-control-request-headers') ?? 'Authorization, Content-Type',
      'access-control-max-age': '600',
    },
  };
}
