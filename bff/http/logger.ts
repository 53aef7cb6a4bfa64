// Structured logging (pino) that never writes tokens, codes, spa codes, cookies or secrets.
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Query parameters whose values are credentials, one-time codes or personal data (Entra's error_description names
 * the user; an attacker can plant token-shaped text in it). Matched case-insensitively.
 */
const SECRET_QUERY_PARAMS = new Set([
  'code',
  'state',
  'session_state',
  'spa_code',
  'id_token',
  'access_token',
  'refresh_token',
  'client_secret',
  'sid',
  'code_verifier',
  'nonce',
  'client_info',
  'token',
  'claims',
  'login_hint',
  'logout_hint',
  'error_description',
  'error_uri',
]);

const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.access_token',
  '*.refresh_token',
  '*.id_token',
  '*.spa_code',
  '*.spaCode',
  '*.code',
  '*.client_secret',
  '*.clientSecret',
  '*.secret',
  '*.value',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.cookie',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** The URL with credential-bearing query parameters replaced by "[redacted]" (safe to log). */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const redacted = new URLSearchParams();
  for (const [name, value] of new URLSearchParams(url.slice(q + 1))) {
    redacted.append(name, SECRET_QUERY_PARAMS.has(name.toLowerCase()) ? '[redacted]' : value);
  }
  return `${url.slice(0, q)}?${redacted.toString().replace(/%5Bredacted%5D/g, '[redacted]')}`;
}

/** Strips anything token-shaped from free text (e.g. an upstream error description) before it is logged. */
export function redactText(text: string): string {
  return text
    .replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[redacted-jwt]')
    .replace(/\b(code|spa_code|refresh_token|access_token|client_secret|id_token)=([^&\s"]+)/gi, '$1=[redacted]');
}
