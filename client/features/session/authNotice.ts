// Reads the BFF's one-time `authNotice` from the address bar (consent declined, sign-in cancelled) and removes it.
import {
  AUTH_NOTICE_CODES,
  AUTH_NOTICE_PARAM,
  AUTH_NOTICE_SCOPES_PARAM,
  type AuthNoticeCode,
} from '../../../shared-types/bootstrap';

export interface AuthNotice {
  code: AuthNoticeCode;
  scopes: string[];
}

/** Only known codes and scope-shaped words: the query string is the user's to edit, so it carries no text. */
export function parseAuthNotice(search: string): AuthNotice | null {
  const params = new URLSearchParams(search);
  const code = params.get(AUTH_NOTICE_PARAM);
  if (!code || !(AUTH_NOTICE_CODES as readonly string[]).includes(code)) return null;
  const scopes = (params.get(AUTH_NOTICE_SCOPES_PARAM) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => /^[\w.:/-]{1,100}$/.test(s))
    .slice(0, 10);
  return { code: code as AuthNoticeCode, scopes };
}

/** The same address without the notice parameters (so a reload does not show the notice again). */
export function withoutAuthNotice(path: string): string {
  const url = new URL(path, 'http://app.invalid');
  url.searchParams.delete(AUTH_NOTICE_PARAM);
  url.searchParams.delete(AUTH_NOTICE_SCOPES_PARAM);
  return `${url.pathname}${url.search}${url.hash}`;
}
