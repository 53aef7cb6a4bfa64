// A bounded log of the requests the emulator saw, with credentials, codes and tokens redacted (names kept).
import { header, formBody, type EmuRequest } from './http/types';

export interface RequestLogEntry {
  seq: number;
  /** ISO time on the emulator clock. */
  time: string;
  service: 'entra' | 'graph' | 'keyvault' | 'msi';
  method: string;
  path: string;
  query: Record<string, string>;
  headers: {
    origin?: string;
    'content-type'?: string;
    'user-agent'?: string;
    authorization?: string;
    'x-identity-header'?: string;
  };
  /** Form fields of a urlencoded body; secret values replaced by "[redacted]". */
  form?: Record<string, string>;
  flags: {
    hasOrigin: boolean;
    hasRedirectUri: boolean;
    hasCodeVerifier: boolean;
    hasClientSecret: boolean;
    hasClientAssertion: boolean;
    hasAuthorization: boolean;
  };
  status?: number;
  /** Set when the response came from an injected fault. */
  faultId?: string;
}

const SECRET = new Set([
  'code',
  'spa_code',
  'refresh_token',
  'client_secret',
  'client_assertion',
  'code_verifier',
  'password',
  'passwd',
  'id_token_hint',
  'access_token',
  'id_token',
  'assertion',
  'ctx',
]);
const MAX_ENTRIES = 2000;

export interface RequestLog {
  record(service: RequestLogEntry['service'], req: EmuRequest, now: number): RequestLogEntry;
  entries(filter?: { service?: string; pathIncludes?: string }): RequestLogEntry[];
  clear(): void;
}

export function createRequestLog(): RequestLog {
  let entries: RequestLogEntry[] = [];
  let seq = 0;
  return {
    record(service, req, now) {
      const form = req.method === 'POST' ? redact(formBody(req)) : undefined;
      const query = redact(req.url.searchParams);
      const has = (name: string) => form?.[name] !== undefined || query[name] !== undefined;
      const auth = header(req, 'authorization');
      const entry: RequestLogEntry = {
        seq: ++seq,
        time: new Date(now).toISOString(),
        service,
        method: req.method,
        path: req.url.pathname,
        query,
        headers: {
          ...(header(req, 'origin') !== undefined ? { origin: header(req, 'origin') } : {}),
          ...(header(req, 'content-type') ? { 'content-type': header(req, 'content-type') } : {}),
          ...(header(req, 'user-agent') ? { 'user-agent': header(req, 'user-agent') } : {}),
          ...(auth ? { authorization: `${auth.split(' ')[0]} [redacted]` } : {}),
          ...(header(req, 'x-identity-header') ? { 'x-identity-header': '[redacted]' } : {}),
        },
        ...(form && Object.keys(form).length ? { form } : {}),
        flags: {
          hasOrigin: header(req, 'origin') !== undefined,
          hasRedirectUri: has('redirect_uri'),
          hasCodeVerifier: has('code_verifier'),
          hasClientSecret: has('client_secret'),
          hasClientAssertion: has('client_assertion'),
          hasAuthorization: auth !== undefined,
        },
      };
      entries.push(entry);
      if (entries.length > MAX_ENTRIES) entries = entries.slice(-MAX_ENTRIES);
      return entry;
    },
    entries(filter = {}) {
      return entries
        .filter((e) => !filter.service || e.service === filter.service)
        .filter((e) => !filter.pathIncludes || e.path.includes(filter.pathIncludes))
        .map((e) => structuredClone(e));
    },
    clear() {
      entries = [];
    },
  };
}

function redact(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of params) out[k] = SECRET.has(k.toLowerCase()) ? '[redacted]' : v;
  return out;
}
