// OpenID discovery for a tenant path, the JWKS, and the instance-discovery document (Entra-shaped, CORS-enabled).
import type { EmulatorContext } from '../context';
import { withCors } from '../http/cors';
import { json, type EmuRequest, type EmuResponse } from '../http/types';
import type { AuthorityTenant } from '../state/directory';
import { entraErrorResponse } from './errors';

const CACHE = { 'cache-control': 'max-age=86400, private' };

export function tenantNotFound(ctx: EmulatorContext, req: EmuRequest, segment: string): EmuResponse {
  return entraErrorResponse(
    {
      error: 'invalid_tenant',
      code: 90002,
      message: `Tenant '${segment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    },
    ctx.clock.now(),
    req.base,
  );
}

export function openidConfiguration(req: EmuRequest, at: AuthorityTenant): EmuResponse {
  const base = req.base;
  const t = at.segment;
  // Multi-tenant authorities publish the {tenantid} placeholder, which MSAL substitutes; endpoints keep the segment.
  const issuerTenant =
    at.kind === 'tenant'
      ? at.tenant.id
      : at.kind === 'consumers'
        ? '9188040d-6c67-4c5b-b112-36a304b66dad'
        : '{tenantid}';
  return withCors(
    json(
      200,
      {
        token_endpoint: `${base}/${t}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        jwks_uri: `${base}/${t}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer: `${base}/${issuerTenant}/v2.0`,
        request_uri_parameter_supported: false,
        userinfo_endpoint: `${base}/oidc/userinfo`,
        authorization_endpoint: `${base}/${t}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${base}/${t}/oauth2/v2.0/devicecode`,
        http_logout_supported: true,
        frontchannel_logout_supported: true,
        end_session_endpoint: `${base}/${t}/oauth2/v2.0/logout`,
        claims_supported: [
          'sub',
          'iss',
          'cloud_instance_name',
          'cloud_instance_host_name',
          'cloud_graph_host_name',
          'msgraph_host',
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
          'login_hint',
          'sid',
        ],
        kerberos_endpoint: `${base}/${t}/kerberos`,
        tenant_region_scope: 'EU',
        cloud_instance_name: 'emulator.local',
        cloud_graph_host_name: 'graph.windows.net',
        msgraph_host: 'graph.microsoft.com',
        rbac_url: 'https://pas.windows.net',
      },
      CACHE,
    ),
  );
}

export function jwks(ctx: EmulatorContext): EmuResponse {
  return withCors(json(200, ctx.signer.jwks(), CACHE));
}

/** Only reached by clients configured to discover against the emulator host; MSAL otherwise uses knownAuthorities. */
export function instanceDiscovery(req: EmuRequest): EmuResponse {
  const host = req.url.host;
  return withCors(
    json(200, {
      tenant_discovery_endpoint: `${req.base}/common/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    }),
  );
}
