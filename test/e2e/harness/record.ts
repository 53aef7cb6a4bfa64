// What a browser session records (requests, console lines), and the redaction applied before any of it is written out.

export interface RecordedRequest {
  /** ms since the session opened */
  t: number;
  /** Date.now() when the request started */
  at: number;
  method: string;
  url: string;
  resourceType: string;
  navigation: boolean;
  mainFrame: boolean;
  /** Page index inside the context (0 = first tab). */
  tab: number;
  /** Form fields of a urlencoded POST, with credential values redacted. */
  form?: Record<string, string>;
  status?: number;
  failure?: string;
}

export interface ConsoleLine {
  t: number;
  tab: number;
  type: string;
  text: string;
  url: string;
}

const SECRET_FIELDS = new Set([
  'code',
  'refresh_token',
  'code_verifier',
  'client_secret',
  'client_assertion',
  'access_token',
  'id_token',
  'client_info',
]);

export function redactForm(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(body)) out[k] = SECRET_FIELDS.has(k) ? '[redacted]' : v;
  return out;
}

export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    for (const k of [...url.searchParams.keys()]) if (SECRET_FIELDS.has(k)) url.searchParams.set(k, '[redacted]');
    if (url.hash.length > 1) url.hash = '#[redacted]';
    return url.toString();
  } catch {
    return raw;
  }
}

export const isCspViolation = (text: string) => /Content Security Policy|securitypolicyviolation/i.test(text);
