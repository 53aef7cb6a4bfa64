// Parses and validates the bootstrap payload the BFF embeds in index.html (or serves at /api/bootstrap).
// Hand-written, not a schema library: it runs before the first paint, and with this build's minifier (esbuild, which
// keeps a library's unused functions inside webpack's module scopes) valibot added 12.7 KiB gzip to the initial JS
// (zod/mini more); these type guards cost about 1.5 KiB.
import type { BootstrapPayload } from '../../shared-types/bootstrap';

/** Thrown when the payload is not what shared-types/bootstrap.ts promises; `problems` names every bad field. */
export class BootstrapError extends Error {
  override readonly name = 'BootstrapError';
  constructor(readonly problems: string[]) {
    super(`Invalid bootstrap payload: ${problems.join('; ')}`);
  }
}

type Obj = Record<string, unknown>;
type Guard<T> = (v: unknown) => v is T;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isAbsoluteHttpUrl = (v: unknown): v is string =>
  typeof v === 'string' && /^https?:\/\/[^\s/]+/.test(v) && URL.canParse(v);
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isNonEmptyString);
const isSeconds = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
/** A same-origin path such as `/auth/signin`; `//host` would be a different origin. */
const isLocalPath = (v: unknown): v is string => typeof v === 'string' && v.startsWith('/') && !v.startsWith('//');
const isRoleMap = (v: unknown): v is Record<string, string> => isObject(v) && Object.values(v).every(isNonEmptyString);
const isJsonString = (v: unknown): v is string => {
  if (typeof v !== 'string') return false;
  try {
    JSON.parse(v);
    return true;
  } catch {
    return false;
  }
};
function orNull<T>(guard: Guard<T>): Guard<T | null> {
  return (v): v is T | null => v === null || guard(v);
}
function orUndefined<T>(guard: Guard<T>): Guard<T | undefined> {
  return (v): v is T | undefined => v === undefined || guard(v);
}

/** What a field must be, and what stands in for it when it is not (the payload is then rejected anyway). */
interface Rule<T> {
  guard: Guard<T>;
  expectation: string;
  fallback: T;
}
function rule<T>(guard: Guard<T>, expectation: string, fallback: T): Rule<T> {
  return { guard, expectation, fallback };
}

const NON_EMPTY_STRING = rule(isNonEmptyString, 'must be a non-empty string', '');
const STRING = rule(isString, 'must be a string', '');
const NULLABLE_STRING = rule(orNull(isNonEmptyString), 'must be null or a non-empty string', null);
const URL_STRING = rule(isAbsoluteHttpUrl, 'must be an absolute http(s) URL', '');
const STRING_LIST = rule(isStringList, 'must be an array of non-empty strings', []);
const JSON_STRING = rule(orUndefined(isJsonString), 'must be a JSON string when present', undefined);
const SECONDS = rule(isSeconds, 'must be a whole number of seconds', 0);
const NULLABLE_SECONDS = rule(orNull(isSeconds), 'must be null or a whole number of seconds', null);
const LOCAL_PATH = rule(isLocalPath, 'must be a same-origin path', '');
const NULLABLE_LOCAL_PATH = rule(orNull(isLocalPath), 'must be null or a same-origin path', null);
const BOOLEAN = rule(isBoolean, 'must be a boolean', false);
const ROLE_MAP = rule(isRoleMap, 'must be an object of route → role name', {});

/**
 * Reads an object's fields by rule, collecting problems instead of stopping at the first (one error lists them all).
 * A section that is not an object is one problem; its fields are then read silently.
 */
class Reader {
  constructor(
    private readonly value: Obj,
    private readonly prefix: string,
    private readonly problems: string[],
  ) {}

  read<T>(key: string, { guard, expectation, fallback }: Rule<T>): T {
    const v = this.value[key];
    if (guard(v)) return v;
    this.problems.push(`${this.prefix}${key} ${expectation}`);
    return fallback;
  }

  section(key: string, expectation = 'must be an object'): Reader {
    const v = this.value[key];
    if (isObject(v)) return new Reader(v, `${this.prefix}${key}.`, this.problems);
    this.problems.push(`${this.prefix}${key} ${expectation}`);
    return new Reader({}, '', []);
  }

  nullableSection(key: string): Reader | null {
    return this.value[key] === null ? null : this.section(key, 'must be null or an object');
  }
}

/**
 * Validates an already-parsed JSON value as a BootstrapPayload and returns it with only the known fields (copied
 * field by field: unknown extras from the server never reach the store).
 * Throws BootstrapError naming every problem, so a BFF/SPA contract drift fails loudly at start-up.
 */
export function parseBootstrap(value: unknown): BootstrapPayload {
  if (!isObject(value)) throw new BootstrapError(['the payload must be a JSON object']);
  const problems: string[] = [];
  const r = new Reader(value, '', problems);

  const m = r.section('msal');
  const metadata = (key: 'authorityMetadata' | 'cloudDiscoveryMetadata') => {
    const json = m.read(key, JSON_STRING);
    return json === undefined ? {} : { [key]: json };
  };
  const msal = {
    clientId: m.read('clientId', NON_EMPTY_STRING),
    authority: m.read('authority', URL_STRING),
    knownAuthorities: [...m.read('knownAuthorities', STRING_LIST)],
    redirectUri: m.read('redirectUri', URL_STRING),
    postLogoutRedirectUri: m.read('postLogoutRedirectUri', URL_STRING),
    ...metadata('authorityMetadata'),
    ...metadata('cloudDiscoveryMetadata'),
  };
  const scopes = [...r.read('scopes', STRING_LIST)];
  const graphBaseUrl = r.read('graphBaseUrl', URL_STRING).replace(/\/+$/, '');
  const a = r.nullableSection('account');
  const account = a && {
    homeAccountId: a.read('homeAccountId', NON_EMPTY_STRING),
    tenantId: a.read('tenantId', NON_EMPTY_STRING),
    username: a.read('username', STRING),
    name: a.read('name', STRING),
    loginHint: a.read('loginHint', NULLABLE_STRING),
    roles: [...a.read('roles', STRING_LIST)],
  };
  const spaCode = r.read('spaCode', NULLABLE_STRING);
  const spaCodeError = r.read('spaCodeError', NULLABLE_STRING);
  const spaCodeUnavailable = r.read('spaCodeUnavailable', BOOLEAN);
  const s = r.section('session');
  const session = {
    checkIntervalSeconds: s.read('checkIntervalSeconds', SECONDS),
    pollIntervalSeconds: s.read('pollIntervalSeconds', SECONDS),
    idleNoticeSeconds: s.read('idleNoticeSeconds', SECONDS),
    idleExpiresInSeconds: s.read('idleExpiresInSeconds', NULLABLE_SECONDS),
    absoluteExpiresInSeconds: s.read('absoluteExpiresInSeconds', NULLABLE_SECONDS),
  };
  const ro = r.section('routes');
  const routes = {
    signIn: ro.read('signIn', LOCAL_PATH),
    signOut: ro.read('signOut', NULLABLE_LOCAL_PATH),
    freshSpaCode: ro.read('freshSpaCode', LOCAL_PATH),
  };
  const requiredRoles = { ...r.read('requiredRoles', ROLE_MAP) };

  if (problems.length === 0 && spaCode && account === null)
    problems.push('spaCode must be null when there is no account');
  if (problems.length > 0) throw new BootstrapError(problems);
  return {
    msal,
    scopes,
    graphBaseUrl,
    account,
    spaCode,
    spaCodeError,
    spaCodeUnavailable,
    session,
    routes,
    requiredRoles,
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
