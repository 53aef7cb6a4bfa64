// Mints Entra-shaped tokens: v2 id_tokens, v1 Graph/resource access tokens, client_info and opaque refresh tokens.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../context';
import type { SeedApp, SeedUser } from '../seedTypes';
import { rolesFor } from './appRoles';
import { CAE_TOKEN_CLAIMS } from './cae';
import { GRAPH_RESOURCE, audienceFor } from './scopes';

export const opaque = (bytes = 48): string => randomBytes(bytes).toString('base64url');

/** base64url({"uid","utid"}): the user's *home* identity, so guests keep one MSAL account across tenants. */
export function clientInfo(user: SeedUser): string {
  return Buffer.from(JSON.stringify({ uid: user.oid, utid: user.homeTenantId })).toString('base64url');
}

export interface UserTokenInput {
  app: SeedApp;
  user: SeedUser;
  tenantId: string;
  oid: string;
  sid: string;
  /** Issuer base as the client addressed the emulator (issuer host must match the authority host). */
  base: string;
  authTime: number;
  /** The client declared the cp1 capability: a longer-lived access token carrying `xms_cc`. */
  cae?: boolean;
}

/** Pairwise `sub`, like Entra: stable per (user, app). */
const pairwiseSub = (oid: string, clientId: string) =>
  createHash('sha256').update(`${oid}|${clientId}`).digest('base64url').slice(0, 43);

export async function mintIdToken(ctx: EmulatorContext, input: UserTokenInput, nonce?: string): Promise<string> {
  const now = ctx.clock.nowSeconds();
  const { user } = input;
  // Entra omits `roles` when the user holds none of the app's roles.
  const roles = rolesFor(ctx, user.key, input.app.clientId);
  return ctx.signer.sign({
    ...(roles.length ? { roles } : {}),
    aud: input.app.clientId,
    iss: `${input.base}/${input.tenantId}/v2.0`,
    iat: now,
    nbf: now,
    exp: now + 3600,
    aio: opaque(24),
    auth_time: Math.floor(input.authTime / 1000),
    email: user.username,
    // msal-browser and msal-node read login_hint to build the account's loginHint for later sign-ins/sign-outs.
    login_hint: Buffer.from(JSON.stringify({ oid: user.oid, tid: user.homeTenantId, upn: user.username })).toString(
      'base64url',
    ),
    name: user.displayName,
    ...(nonce !== undefined ? { nonce } : {}),
    oid: input.oid,
    preferred_username: user.username,
    rh: opaque(16),
    sid: input.sid,
    sub: pairwiseSub(input.oid, input.app.clientId),
    tid: input.tenantId,
    uti: opaque(16),
    ver: '2.0',
  });
}

export async function mintUserAccessToken(
  ctx: EmulatorContext,
  input: UserTokenInput,
  resource: string,
  scp: string[],
): Promise<string> {
  const now = ctx.clock.nowSeconds();
  const { user } = input;
  return ctx.signer.sign({
    aud: audienceFor(resource),
    iss: `https://sts.windows.net/${input.tenantId}/`,
    iat: now,
    nbf: now,
    exp: now + accessTokenLifetime(ctx, input.cae),
    acr: '1',
    aio: opaque(24),
    amr: ['pwd'],
    app_displayname: input.app.displayName,
    appid: input.app.clientId,
    appidacr: '1',
    family_name: user.surname,
    given_name: user.givenName,
    idtyp: 'user',
    ipaddr: '127.0.0.1',
    name: user.displayName,
    oid: input.oid,
    scp: scp.join(' '),
    sid: input.sid,
    sub: pairwiseSub(input.oid, audienceFor(resource)),
    tid: input.tenantId,
    unique_name: user.username,
    upn: user.username,
    uti: opaque(16),
    ver: '1.0',
    ...(resource === GRAPH_RESOURCE ? { wids: ['b79fbf4d-3ef9-4689-8143-76b194e85509'] } : {}),
    ...(input.cae ? CAE_TOKEN_CLAIMS : {}),
  });
}

export function accessTokenLifetime(ctx: EmulatorContext, cae: boolean | undefined): number {
  return cae ? ctx.caeAccessTokenLifetimeSeconds : ctx.accessTokenLifetimeSeconds;
}

/** App-only token (client credentials or managed identity): no scp, `idtyp: app`. */
export async function mintAppAccessToken(
  ctx: EmulatorContext,
  input: {
    appId: string;
    oid: string;
    tenantId: string;
    resource: string;
    lifetimeSeconds?: number;
    extra?: Record<string, unknown>;
  },
): Promise<{ token: string; expiresOn: number }> {
  const now = ctx.clock.nowSeconds();
  const exp = now + (input.lifetimeSeconds ?? ctx.accessTokenLifetimeSeconds);
  const token = await ctx.signer.sign({
    aud: audienceFor(input.resource),
    iss: `https://sts.windows.net/${input.tenantId}/`,
    iat: now,
    nbf: now,
    exp,
    aio: opaque(24),
    appid: input.appId,
    appidacr: '1',
    idp: `https://sts.windows.net/${input.tenantId}/`,
    idtyp: 'app',
    oid: input.oid,
    rh: opaque(16),
    roles: [],
    sub: input.oid,
    tid: input.tenantId,
    uti: opaque(16),
    ver: '1.0',
    ...input.extra,
  });
  return { token, expiresOn: exp };
}

export const newGuid = (): string => randomUUID();
