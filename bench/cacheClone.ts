// Clones one real signed-in user's serialized MSAL cache under synthetic users: every occurrence of the user's object
// id is rewritten — in keys and values, and inside base64url segments (client_info, login hints, the id/access token
// payloads, nested ones too) — so each clone is a valid, distinct partition (homeAccountId `<newOid>.<tid>`).
import { randomUUID } from 'node:crypto';
import type { SessionUser } from '../bff/session/sessionAccess';

/** A cloned user: what the BFF's session keeps about a user, minus the sign-in hints. */
export type TemplateUser = Omit<SessionUser, 'loginHint' | 'sid'>;

interface AccountJson {
  home_account_id: string;
  local_account_id: string;
  environment: string;
  realm: string;
  username: string;
  name?: string;
}

/** The account a serialized cache holds (it must hold exactly one). */
export function templateUser(blob: string): TemplateUser {
  const accounts = Object.values((JSON.parse(blob) as { Account?: Record<string, AccountJson> }).Account ?? {});
  if (accounts.length !== 1) throw new Error(`expected one account in the template cache, found ${accounts.length}`);
  const a = accounts[0]!;
  return {
    homeAccountId: a.home_account_id,
    localAccountId: a.local_account_id,
    environment: a.environment,
    tenantId: a.realm,
    username: a.username,
    name: a.name ?? '',
  };
}

const PRINTABLE = /^[\x20-\x7e]*$/;
const BASE64URL_RUN = /[A-Za-z0-9_-]{20,}/g;

/** A text split at every occurrence of the object id; base64url segments that mention it are nested templates. */
type Part = string | { oid: true } | { base64: Part[] };

/** Compiles `text` once, so each clone is a join plus a few base64 encodings instead of a full rescan. */
function compile(text: string, oid: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const m of text.matchAll(BASE64URL_RUN)) {
    const decoded = Buffer.from(m[0], 'base64url').toString('latin1');
    if (!PRINTABLE.test(decoded) || Buffer.from(decoded, 'latin1').toString('base64url') !== m[0]) continue;
    const inner = compile(decoded, oid);
    if (inner.length === 1 && typeof inner[0] === 'string') continue; // no object id inside
    parts.push(...literal(text.slice(last, m.index), oid), { base64: inner });
    last = m.index + m[0].length;
  }
  parts.push(...literal(text.slice(last), oid));
  return parts;
}

function literal(text: string, oid: string): Part[] {
  return text.split(oid).flatMap((piece, i) => (i === 0 ? [piece] : [{ oid: true } as const, piece]));
}

/** Joined (not concatenated), so the result is one flat string like MSAL's own JSON.stringify output, not a rope. */
function render(parts: readonly Part[], oid: string): string {
  return parts
    .map((p) =>
      typeof p === 'string' ? p : 'oid' in p ? oid : Buffer.from(render(p.base64, oid), 'latin1').toString('base64url'),
    )
    .join('');
}

export interface Clone {
  user: TemplateUser;
  blob: string;
}

export interface Cloner {
  template: Clone;
  /** A synthetic user with a fresh object id and the template's cache rewritten for it. */
  clone(): Clone;
}

export function createCloner(blob: string): Cloner {
  const user = templateUser(blob);
  const from = user.localAccountId;
  const parts = compile(blob, from);
  return {
    template: { user, blob },
    clone() {
      const oid = randomUUID();
      return {
        user: { ...user, homeAccountId: user.homeAccountId.replace(from, oid), localAccountId: oid },
        blob: render(parts, oid),
      };
    },
  };
}
