// Parses and validates the bootstrap payload the BFF embeds in index.html (or serves at /api/bootstrap).
import type { BootstrapAccount, BootstrapPayload } from '../../shared-types/bootstrap';

/** Thrown when the payload is not what shared-types/bootstrap.ts promises; `problems` names every bad field. */
export class BootstrapError extends Error {
  override readonly name = 'BootstrapError';
  constructor(readonly problems: string[]) {
    super(`Invalid bootstrap payload: ${problems.join('; ')}`);
  }
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isAbsoluteHttpUrl = (v: unknown): v is string =>
  typeof v === 'string' && /^https?:\/\/[^\s/]+/.test(v) && URL.canParse(v);
/** A same-origin path such as `/auth/signin`; `//host` would be a different origin. */
const isSeconds = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isLocalPath = (v: unknown): v is string => typeof v === 'string' && v.startsWith('/') && !v.startsWith('//');

/** Collects problems instead of stopping at the first, so one error message lists them all. */
class Checker {
  readonly problems: string[] = [];
  check(ok: boolean, path: string, expectation: string): void {
    if (!ok) this.problems.push(`${path} ${expectation}`);
  }
  nonEmptyString(o: Obj, key: string, path: string): void {
    this.check(typeof o[key] === 'string' && (o[key] as string).length > 0, `${path}.${key}`, 'must be a non-empty string');
  }
  url(o: Obj, key: string, path: string): void {
    this.check(isAbsoluteHttpUrl(o[key]), `${path}.${key}`, 'must be an absolute http(s) URL');
  }
  stringList(o: Obj, key: string, path: string): void {
    const v = o[key];
    this.check(
      Array.isArray(v) && v.every((s) => typeof s === 'string' && s.length > 0),
      `${path}.${key}`,
      'must be an array of non-empty strings',
    );
  }
  nullableString(o: Obj, key: string, path: string): void {
    const v = o[key];
    this.check(v === null || (typeof v === 'string' && v.length > 0), `${path}.${key}`, 'must be null or a non-empty string');
  }
  optionalJsonString(o: Obj, key: string, path: string): void {
    const v = o[key];
    if (v === undefined) return;
    let ok = typeof v === 'string';
    if (ok) {
      try {
        JSON.parse(v as string);
      } catch {
        ok = false;
      }
    }
    this.check(ok, `${path}.${key}`, 'must be a JSON string when present');
  }
}

function checkAccount(c: Checker, v: unknown): v is BootstrapAccount | null {
  if (v === null) return true;
  if (!isObject(v)) {
    c.check(false, 'account', 'must be null or an object');
    return false;
  }
  c.nonEmptyString(v, 'homeAccountId', 'account');
  c.nonEmptyString(v, 'tenantId', 'account');
  c.check(typeof v.username === 'string', 'account.username', 'must be a string');
  c.check(typeof v.name === 'string', 'account.name', 'must be a string');
  c.nullableString(v, 'loginHint', 'account');
  c.stringList(v, 'roles', 'account');
  return true;
}

/**
 * Validates an already-parsed JSON value as a BootstrapPayload and returns it with only the known fields.
 * Throws BootstrapError naming every problem, so a BFF/SPA contract drift fails loudly at start-up.
 */
export function parseBootstrap(value: unknown): BootstrapPayload {
  const c = new Checker();
  if (!isObject(value)) throw new BootstrapError(['the payload must be a JSON object']);

  const msal = value.msal;
  if (isObject(msal)) {
    c.nonEmptyString(msal, 'clientId', 'msal');
    c.url(msal, 'authority', 'msal');
    c.stringList(msal, 'knownAuthorities', 'msal');
    c.url(msal, 'redirectUri', 'msal');
    c.url(msal, 'postLogoutRedirectUri', 'msal');
    c.optionalJsonString(msal, 'authorityMetadata', 'msal');
    c.optionalJsonString(msal, 'cloudDiscoveryMetadata', 'msal');
  } else {
    c.check(false, 'msal', 'must be an object');
  }
  c.stringList(value, 'scopes', '');
  c.url(value, 'graphBaseUrl', '');
  checkAccount(c, value.account);
  c.nullableString(value, 'spaCode', '');
  c.nullableString(value, 'spaCodeError', '');
  c.check(typeof value.spaCodeUnavailable === 'boolean', 'spaCodeUnavailable', 'must be a boolean');
  const session = value.session;
  if (isObject(session)) {
    for (const key of ['checkIntervalSeconds', 'pollIntervalSeconds', 'idleNoticeSeconds']) {
      c.check(isSeconds(session[key]), `session.${key}`, 'must be a whole number of seconds');
    }
    for (const key of ['idleExpiresInSeconds', 'absoluteExpiresInSeconds']) {
      c.check(session[key] === null || isSeconds(session[key]), `session.${key}`, 'must be null or a whole number of seconds');
    }
  } else {
    c.check(false, 'session', 'must be an object');
  }
  const routes = value.routes;
  if (isObject(routes)) {
    c.check(isLocalPath(routes.signIn), 'routes.signIn', 'must be a same-origin path');
    c.check(routes.signOut === null || isLocalPath(routes.signOut), 'routes.signOut', 'must be null or a same-origin path');
    c.check(isLocalPath(routes.freshSpaCode), 'routes.freshSpaCode', 'must be a same-origin path');
  } else {
    c.check(false, 'routes', 'must be an object');
  }
  const requiredRoles = value.requiredRoles;
  c.check(
    isObject(requiredRoles) && Object.values(requiredRoles).every((r) => typeof r === 'string' && r.length > 0),
    'requiredRoles',
    'must be an object of route → role name',
  );
  if (c.problems.length === 0) {
    c.check(!(value.spaCode && value.account === null), 'spaCode', 'must be null when there is no account');
  }
  if (c.problems.length > 0) throw new BootstrapError(c.problems.map((p) => p.replace(/^\./, '')));

  // Copy field by field: unknown extras from the server never reach the store.
  const m = msal as Obj;
  const a = value.account as BootstrapAccount | null;
  const r = routes as Obj;
  return {
    msal: {
      clientId: m.clientId as string,
      authority: m.authority as string,
      knownAuthorities: [...(m.knownAuthorities as string[])],
      redirectUri: m.redirectUri as string,
      postLogoutRedirectUri: m.postLogoutRedirectUri as string,
      ...(m.authorityMetadata !== undefined && { authorityMetadata: m.authorityMetadata as string }),
      ...(m.cloudDiscoveryMetadata !== undefined && { cloudDiscoveryMetadata: m.cloudDiscoveryMetadata as string }),
    },
    scopes: [...(value.scopes as string[])],
    graphBaseUrl: (value.graphBaseUrl as string).replace(/\/+$/, ''),
    account: a && {
      homeAccountId: a.homeAccountId,
      tenantId: a.tenantId,
      username: a.username,
      name: a.name,
      loginHint: a.loginHint,
      roles: [...a.roles],
    },
    spaCode: value.spaCode as string | null,
    spaCodeError: value.spaCodeError as string | null,
    spaCodeUnavailable: value.spaCodeUnavailable as boolean,
    session: {
      checkIntervalSeconds: (session as Obj).checkIntervalSeconds as number,
      pollIntervalSeconds: (session as Obj).pollIntervalSeconds as number,
      idleNoticeSeconds: (session as Obj).idleNoticeSeconds as number,
      idleExpiresInSeconds: (session as Obj).idleExpiresInSeconds as number | null,
      absoluteExpiresInSeconds: (session as Obj).absoluteExpiresInSeconds as number | null,
    },
    routes: {
      signIn: r.signIn as string,
      signOut: r.signOut as string | null,
      freshSpaCode: r.freshSpaCode as string,
    },
    requiredRoles: { ...(requiredRoles as Record<string, string>) },
  };
}

/** Parses the text content of the `#bootstrap` element (or a /api/bootstrap body). */
export function parseBootstrapJson(text: string): BootstrapPayload {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BootstrapError(['the payload is not valid JSON']);
  }
  return parseBootstrap(value);
}
