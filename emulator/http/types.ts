// The request/response values every emulator handler works with: plain data, so faults and logging can wrap handlers.
import type { IncomingHttpHeaders } from 'node:http';

export interface EmuRequest {
  method: string;
  /** Full URL as the client addressed it (scheme, Host header, path, query). */
  url: URL;
  headers: IncomingHttpHeaders;
  /** Raw body (empty for GET). */
  body: Buffer;
  /** `scheme://host:port` the client used, when that host is loopback; otherwise the canonical `localhost` base. */
  base: string;
}

export interface EmuResponse {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  /** Milliseconds to wait before answering (fault injection). */
  delayMs?: number;
}

export type Handler = (req: EmuRequest) => Promise<EmuResponse>;

/** Single header value (first one when repeated). */
export function header(req: EmuRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** Parses an application/x-www-form-urlencoded body (what MSAL and HTML forms send). */
export function formBody(req: EmuRequest): URLSearchParams {
  const type = header(req, 'content-type') ?? '';
  if (req.body.length === 0 || !type.toLowerCase().startsWith('application/x-www-form-urlencoded'))
    return new URLSearchParams();
  return new URLSearchParams(req.body.toString('utf8'));
}

/** Parses a JSON body; undefined when absent or malformed. */
export function jsonBody(req: EmuRequest): unknown {
  if (req.body.length === 0) return undefined;
  try {
    return JSON.parse(req.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

export function cookies(req: EmuRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header(req, 'cookie') ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

export function json(status: number, body: unknown, headers: Record<string, string | string[]> = {}): EmuResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

export function html(status: number, body: string, headers: Record<string, string | string[]> = {}): EmuResponse {
  return {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'x-frame-options': 'DENY',
      ...headers,
    },
    body,
  };
}

export function redirect(location: string, headers: Record<string, string | string[]> = {}): EmuResponse {
  return { status: 302, headers: { location, 'cache-control': 'no-store', ...headers } };
}
