// Builds a successful /token response for a user: access token, rotated refresh token, id_token, client_info.
import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../context';
import { withCors } from '../http/cors';
import { json, type EmuRequest, type EmuResponse } from '../http/types';
import type { SeedApp, SeedUser } from '../seedTypes';
import type { Platform, RefreshGrant } from '../state/store';
import { NO_STORE } from './errors';
import { echoScopes, grantedPermissionNames, type ParsedScopes } from './scopes';
import { accessTokenLifetime, clientInfo, mintIdToken, mintUserAccessToken, opaque } from './tokenIssuer';

/** SPA refresh tokens live a fixed 24 h from sign-in; web ones slide, 90 days from each use. */
export const SPA_RT_LIFETIME_MS = 24 * 3600_000;
export const WEB_RT_LIFETIME_MS = 90 * 24 * 3600_000;

export interface UserGrant {
  app: SeedApp;
  user: SeedUser;
  tenantId: string;
  oid: string;
  sessionId: string;
  sid: string;
  authTime: number;
  platform: Platform;
  /** The scope string to remember on the refresh token. */
  scope: string;
  parsed: ParsedScopes;
  granted: ReadonlyMap<string, string>;
  nonce?: string;
  clientInfo: boolean;
  /** For rotated SPA refresh tokens: keep the original hard expiry. */
  refreshExpiresAt?: number;
  /** The token request declared xms_cc cp1 (CAE-capable client). */
  cae: boolean;
}

export async function userTokenResponse(
  ctx: EmulatorContext,
  req: EmuRequest,
  g: UserGrant,
  extra: Record<string, string> = {},
): Promise<EmuResponse> {
  const now = ctx.clock.now();
  const input = {
    app: g.app,
    user: g.user,
    tenantId: g.tenantId,
    oid: g.oid,
    sid: g.sid,
    base: req.base,
    authTime: g.authTime,
    cae: g.cae,
  };
  const lifetime = accessTokenLifetime(ctx, g.cae);
  const resourceScp = grantedPermissionNames(g.parsed, g.granted);
  const scp = resourceScp.length ? resourceScp : g.parsed.oidc.filter((s) => s !== 'offline_access');
  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    scope: echoScopes(g.parsed, g.granted),
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: await mintUserAccessToken(ctx, input, g.parsed.resource, scp),
  };
  if (g.parsed.oidc.includes('offline_access')) {
    const expiresAt =
      g.refreshExpiresAt ?? (g.platform === 'spa' ? g.authTime + SPA_RT_LIFETIME_MS : now + WEB_RT_LIFETIME_MS);
    const refreshToken = opaque(128);
    const grant: RefreshGrant = {
      clientId: g.app.clientId,
      userKey: g.user.key,
      tenantId: g.tenantId,
      oid: g.oid,
      sessionId: g.sessionId,
      sid: g.sid,
      platform: g.platform,
      scope: g.scope,
      authTime: g.authTime,
      expiresAt: g.platform === 'spa' ? expiresAt : now + WEB_RT_LIFETIME_MS,
      revoked: false,
      issuedAt: now,
    };
    ctx.store.refreshTokens.set(refreshToken, grant);
    body.refresh_token = refreshToken;
    // Entra tells SPAs how long their refresh token has left; MSAL then expires it locally.
    if (g.platform === 'spa') body.refresh_token_expires_in = Math.max(0, Math.floor((grant.expiresAt - now) / 1000));
  }
  if (g.parsed.oidc.includes('openid')) body.id_token = await mintIdToken(ctx, input, g.nonce);
  if (g.clientInfo) body.client_info = clientInfo(g.user);
  Object.assign(body, extra);
  return tokenJson(200, body);
}

export function tokenJson(status: number, body: unknown): EmuResponse {
  return withCors(json(status, body, { ...NO_STORE, 'x-ms-request-id': randomUUID() }));
}
