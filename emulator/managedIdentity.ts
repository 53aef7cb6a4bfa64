// App Service managed-identity endpoint (GET /msi/token, X-IDENTITY-HEADER) and the IMDS variant, plain HTTP.
import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from './context';
import { canonicalResource } from './entra/scopes';
import { mintAppAccessToken } from './entra/tokenIssuer';
import type { ActiveFault } from './faults';
import { instrument, rawFaultBody } from './http/instrument';
import { header, json, type EmuRequest, type EmuResponse, type Handler } from './http/types';
import type { SeedManagedIdentity } from './seedTypes';

/** Managed-identity tokens live about a day on Azure; MSAL then refreshes at half-life. */
const MI_LIFETIME_S = 24 * 3600;

export function createManagedIdentityHandler(ctx: EmulatorContext): Handler {
  const route = async (req: EmuRequest): Promise<EmuResponse> => {
    const path = req.url.pathname;
    if (path === '/msi/token' && req.method === 'GET') return appService(ctx, req);
    if (path === '/metadata/identity/oauth2/token' && req.method === 'GET') return imds(ctx, req);
    return json(404, { statusCode: 404, message: `No such endpoint: ${req.method} ${path}` });
  };
  return instrument(ctx, { service: 'msi', endpointOf: () => 'msi', faultResponse: (f) => faultResponse(f) }, route);
}

async function appService(ctx: EmulatorContext, req: EmuRequest): Promise<EmuResponse> {
  const q = req.url.searchParams;
  const correlationId = randomUUID();
  if (header(req, 'x-identity-header') !== ctx.identityHeader) {
    return json(401, {
      statusCode: 401,
      message: 'Unauthorized. The X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.',
      correlationId,
    });
  }
  if (q.get('api-version') !== '2019-08-01') {
    return json(400, {
      statusCode: 400,
      message: `api-version '${q.get('api-version') ?? ''}' is not supported; use 2019-08-01.`,
      correlationId,
    });
  }
  const resource = q.get('resource');
  if (!resource)
    return json(400, { statusCode: 400, message: "The 'resource' query parameter is required.", correlationId });
  const identity = selectIdentity(ctx, q);
  if (!identity)
    return json(400, { statusCode: 400, message: 'Unable to load the proper Managed Identity.', correlationId });
  const { token, expiresOn, aud } = await mint(ctx, identity, resource);
  return json(200, {
    access_token: token,
    expires_on: String(expiresOn),
    resource: aud,
    token_type: 'Bearer',
    client_id: identity.clientId,
  });
}

async function imds(ctx: EmulatorContext, req: EmuRequest): Promise<EmuResponse> {
  const q = req.url.searchParams;
  if (header(req, 'metadata') !== 'true') {
    return json(400, { error: 'invalid_request', error_description: 'Required metadata header not specified' });
  }
  const resource = q.get('resource');
  if (!resource)
    return json(400, { error: 'invalid_request', error_description: "Required query variable 'resource' is missing" });
  const identity = selectIdentity(ctx, q, 'msi_res_id');
  if (!identity) return json(400, { error: 'invalid_request', error_description: 'Identity not found' });
  const { token, expiresOn, aud } = await mint(ctx, identity, resource);
  const now = ctx.clock.nowSeconds();
  return json(200, {
    access_token: token,
    refresh_token: '',
    expires_in: String(expiresOn - now),
    expires_on: String(expiresOn),
    ext_expires_in: String(expiresOn - now),
    not_before: String(now),
    resource: aud,
    token_type: 'Bearer',
    client_id: identity.clientId,
  });
}

function selectIdentity(
  ctx: EmulatorContext,
  q: URLSearchParams,
  resIdParam = 'mi_res_id',
): SeedManagedIdentity | undefined {
  const all = ctx.directory.seed.managedIdentities;
  const clientId = q.get('client_id');
  const resId = q.get(resIdParam);
  const objectId = q.get('object_id') ?? q.get('principal_id');
  if (clientId) return all.find((i) => i.clientId.toLowerCase() === clientId.toLowerCase());
  if (resId) return all.find((i) => i.resourceId.toLowerCase() === resId.toLowerCase());
  if (objectId) return all.find((i) => i.principalId.toLowerCase() === objectId.toLowerCase());
  return all.find((i) => i.systemAssigned);
}

async function mint(ctx: EmulatorContext, identity: SeedManagedIdentity, resource: string) {
  const aud = canonicalResource(resource.replace(/\/\.default$/, ''));
  const { token, expiresOn } = await mintAppAccessToken(ctx, {
    appId: identity.clientId,
    oid: identity.principalId,
    tenantId: ctx.directory.seed.tenants[0]!.id,
    resource: aud,
    lifetimeSeconds: MI_LIFETIME_S,
    extra: { xms_mirid: identity.resourceId },
  });
  return { token, expiresOn, aud: resource };
}

function faultResponse(fault: ActiveFault): EmuResponse {
  const status = fault.status ?? 500;
  const raw = rawFaultBody(fault);
  if (raw) return { status, ...raw };
  return json(status, {
    statusCode: status,
    message: fault.errorDescription ?? 'Injected fault.',
    correlationId: randomUUID(),
  });
}
