// Scope parsing the way Entra does it: OIDC scopes apart, bare names mean Graph, one resource per request.

export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const OIDC = new Set(['openid', 'profile', 'email', 'offline_access']);

export interface Permission {
  /** Exactly as the client wrote it (echoed back so MSAL's cache keys match). */
  asGiven: string;
  /** The permission name without the resource ("User.Read", ".default"). */
  name: string;
}

export interface ParsedScopes {
  /** Lower-cased OIDC scopes that were requested. */
  oidc: string[];
  /** Canonical resource of the permissions (Graph when only OIDC scopes were asked). */
  resource: string;
  permissions: Permission[];
}

export type ScopeParseResult = { ok: true; scopes: ParsedScopes } | { ok: false; message: string };

/** Normalises a resource URI; Graph's app id and URI forms collapse to one. */
export function canonicalResource(resource: string): string {
  const r = resource.replace(/\/+$/, '');
  if (r.toLowerCase() === GRAPH_RESOURCE || r.toLowerCase() === GRAPH_APP_ID) return GRAPH_RESOURCE;
  return r;
}

/** The `aud` claim a token for this resource carries. */
export function audienceFor(resource: string): string {
  return canonicalResource(resource) === GRAPH_RESOURCE ? GRAPH_APP_ID : canonicalResource(resource);
}

export function parseScopes(scope: string): ScopeParseResult {
  const oidc: string[] = [];
  const permissions: Permission[] = [];
  const resources = new Set<string>();
  for (const s of scope.split(/\s+/).filter(Boolean)) {
    if (OIDC.has(s.toLowerCase())) {
      if (!oidc.includes(s.toLowerCase())) oidc.push(s.toLowerCase());
      continue;
    }
    const slash = s.lastIndexOf('/');
    const resource = slash > 0 ? canonicalResource(s.slice(0, slash)) : GRAPH_RESOURCE;
    const name = slash > 0 ? s.slice(slash + 1) : s;
    if (!name)
      return {
        ok: false,
        message: `The provided value for the input parameter 'scope' is not valid. The scope ${s} is not valid.`,
      };
    resources.add(resource);
    permissions.push({ asGiven: s, name });
  }
  if (resources.size > 1) {
    return {
      ok: false,
      message: `Provided scope value(s) ${[...resources].join(', ')} are for multiple resources. A token can be issued for only one resource per request.`,
    };
  }
  return { ok: true, scopes: { oidc, resource: [...resources][0] ?? GRAPH_RESOURCE, permissions } };
}

/** Key under which a granted permission is remembered (short form for Graph, like the admin consent UI). */
export function consentKey(scope: string): string {
  const s = scope.toLowerCase();
  if (OIDC.has(s)) return s;
  const slash = s.lastIndexOf('/');
  if (slash <= 0) return s;
  const resource = canonicalResource(s.slice(0, slash));
  return resource === GRAPH_RESOURCE ? s.slice(slash + 1) : `${resource.toLowerCase()}/${s.slice(slash + 1)}`;
}

/** Scopes (short form for Graph) the user still has to consent to; `.default` means "whatever is granted". */
export function missingConsent(parsed: ParsedScopes, granted: ReadonlyMap<string, string>): string[] {
  const needed = [
    ...parsed.oidc,
    ...parsed.permissions.filter((p) => p.name !== '.default').map((p) => qualified(parsed.resource, p.name)),
  ];
  return needed.filter((s) => !granted.has(consentKey(s)));
}

/** Permission names for the token's `scp` (expands `.default` to what is granted for the resource). */
export function grantedPermissionNames(parsed: ParsedScopes, granted: ReadonlyMap<string, string>): string[] {
  if (parsed.permissions.some((p) => p.name === '.default')) {
    const prefix = parsed.resource === GRAPH_RESOURCE ? '' : `${parsed.resource.toLowerCase()}/`;
    return [...granted]
      .filter(([k]) => !OIDC.has(k) && (prefix ? k.startsWith(prefix) : !k.includes('/')))
      .map(([, display]) => display.slice(display.lastIndexOf('/') + 1));
  }
  return parsed.permissions.map((p) => p.name);
}

/** The scope string echoed in the token response: the client's own spelling, `.default` expanded like Entra does. */
export function echoScopes(parsed: ParsedScopes, granted: ReadonlyMap<string, string>): string {
  const resourceScopes = parsed.permissions.some((p) => p.name === '.default')
    ? grantedPermissionNames(parsed, granted).map((n) => `${parsed.resource}/${n}`)
    : parsed.permissions.map((p) => p.asGiven);
  return [...resourceScopes, ...parsed.oidc.filter((s) => s !== 'offline_access')].join(' ');
}

function qualified(resource: string, name: string): string {
  return resource === GRAPH_RESOURCE ? name : `${resource}/${name}`;
}
