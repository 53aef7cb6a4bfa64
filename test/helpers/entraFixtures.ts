// Entra-shaped fixtures for nock: openid-configuration, id_tokens, client_info and token responses (incl. spa_code).

export const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const CLIENT_ID = '6731de76-14a6-49ae-97bc-6eba6914391e';
export const CLIENT_SECRET = 'test-client-secret-value-1234567890';
export const INSTANCE = 'https://login.microsoftonline.com';
export const AUTHORITY = `${INSTANCE}/${TENANT_ID}`;
export const TOKEN_PATH = `/${TENANT_ID}/oauth2/v2.0/token`;
export const METADATA_PATH = `/${TENANT_ID}/v2.0/.well-known/openid-configuration`;

export const openIdConfiguration = {
  token_endpoint: `${AUTHORITY}/oauth2/v2.0/token`,
  token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
  jwks_uri: `${INSTANCE}/${TENANT_ID}/discovery/v2.0/keys`,
  response_modes_supported: ['query', 'fragment', 'form_post'],
  subject_types_supported: ['pairwise'],
  id_token_signing_alg_values_supported: ['RS256'],
  response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
  scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
  issuer: `${INSTANCE}/${TENANT_ID}/v2.0`,
  request_uri_parameter_supported: false,
  userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
  authorization_endpoint: `${AUTHORITY}/oauth2/v2.0/authorize`,
  device_authorization_endpoint: `${AUTHORITY}/oauth2/v2.0/devicecode`,
  http_logout_supported: true,
  frontchannel_logout_supported: true,
  end_session_endpoint: `${AUTHORITY}/oauth2/v2.0/logout`,
  claims_supported: [
    'sub',
    'iss',
    'cloud_instance_name',
    'aud',
    'exp',
    'iat',
    'auth_time',
    'acr',
    'nonce',
    'preferred_username',
    'name',
    'tid',
    'ver',
    'at_hash',
    'c_hash',
    'email',
  ],
  kerberos_endpoint: `${AUTHORITY}/kerberos`,
  tenant_region_scope: 'NA',
  cloud_instance_name: 'microsoftonline.com',
  cloud_graph_host_name: 'graph.windows.net',
  msgraph_host: 'graph.microsoft.com',
  rbac_url: 'https://pas.windows.net',
};

export interface TestUser {
  oid: string;
  tid: string;
  name: string;
  username: string;
  sid: string;
  /** App roles assigned to the user (the id_token's `roles` claim; omitted when empty, as Entra does). */
  roles?: string[];
}

export const ALICE: TestUser = {
  oid: 'aaaaaaaa-1111-4111-8111-111111111111',
  tid: TENANT_ID,
  name: 'Alice Example',
  username: 'alice@contoso.example',
  sid: 'sid-alice-0001',
  roles: ['Secrets.Read'],
};
export const BOB: TestUser = {
  oid: 'bbbbbbbb-2222-4222-8222-222222222222',
  tid: TENANT_ID,
  name: 'Bob Example',
  username: 'bob@contoso.example',
  sid: 'sid-bob-0002',
};

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function homeAccountIdOf(user: TestUser): string {
  return `${user.oid}.${user.tid}`;
}

/** An Entra-shaped id_token (unsigned: MSAL decodes id_tokens from the token endpoint without checking signatures). */
export function idToken(user: TestUser, nonce: string | null, now = Math.floor(Date.now() / 1000)): string {
  const claims: Record<string, unknown> = {
    aud: CLIENT_ID,
    iss: `${INSTANCE}/${user.tid}/v2.0`,
    iat: now,
    nbf: now,
    exp: now + 3600,
    name: user.name,
    oid: user.oid,
    preferred_username: user.username,
    rh: '0.AXkA',
    sid: user.sid,
    login_hint: `O.${Buffer.from(user.oid).toString('base64url')}`,
    sub: `sub-${user.oid}`,
    tid: user.tid,
    uti: 'AbCdEf123456',
    ver: '2.0',
  };
  if (nonce) claims.nonce = nonce;
  if (user.roles?.length) claims.roles = user.roles;
  return `${b64url({ typ: 'JWT', alg: 'RS256', kid: 'test-kid' })}.${b64url(claims)}.c2lnbmF0dXJl`;
}

export function clientInfo(user: TestUser): string {
  return b64url({ uid: user.oid, utid: user.tid });
}

/** A token-endpoint success body as Entra sends it for a confidential code redemption with return_spa_code=1. */
export function tokenResponse(
  user: TestUser,
  options: {
    nonce: string | null;
    scope?: string;
    spaCode?: string | null;
    accessToken?: string;
    refreshToken?: string;
    expiresIn?: number;
  },
) {
  return {
    token_type: 'Bearer',
    scope: options.scope ?? 'User.Read Contacts.Read Mail.Read openid profile email',
    expires_in: options.expiresIn ?? 3599,
    ext_expires_in: options.expiresIn ?? 3599,
    access_token: options.accessToken ?? `at-${user.oid}-${Math.random().toString(36).slice(2)}`,
    refresh_token: options.refreshToken ?? `rt-${user.oid}-${Math.random().toString(36).slice(2)}`,
    id_token: idToken(user, options.nonce),
    client_info: clientInfo(user),
    ...(options.spaCode === null
      ? {}
      : { spa_code: options.spaCode ?? `spa-code-${user.oid}-${Math.random().toString(36).slice(2)}` }),
  };
}

export function entraError(error: string, aadsts: number, description: string) {
  return {
    error,
    error_description: `AADSTS${aadsts}: ${description} Trace ID: 0000 Correlation ID: 1111 Timestamp: 2026-11-21 00:00:00Z`,
    error_codes: [aadsts],
    timestamp: '2026-11-21 00:00:00Z',
    trace_id: '00000000-0000-0000-0000-000000000000',
    correlation_id: '11111111-1111-1111-1111-111111111111',
    error_uri: `${INSTANCE}/error?code=${aadsts}`,
  };
}
