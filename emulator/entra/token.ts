// POST /{t}/oauth2/v2.0/token: dispatches grants and implements client_credentials.
import type { EmulatorContext } from '../context';
import { formBody, header, type EmuRequest, type EmuResponse } from '../http/types';
import type { AuthorityTenant } from '../state/directory';
import { authenticateClient } from './clientAuth';
import { E, entraErrorResponse, type EntraErrorSpec } from './errors';
import { redeemAuthorizationCode, redeemRefreshToken } from './grants';
import { canonicalResource } from './scopes';
import { mintAppAccessToken } from './tokenIssuer';
import { tokenJson } from './tokenResponse';

export async function handleToken(ctx: EmulatorContext, req: EmuRequest, at: AuthorityTenant): Promise<EmuResponse> {
  const form = formBody(req);
  const correlationId = req.url.searchParams.get('client-request-id') ?? undefined;
  const fail = (spec: EntraErrorSpec) => entraErrorResponse({ ...spec, correlationId }, ctx.clock.now(), req.base);
  const grantType = form.get('grant_type');
  if (!grantType) return fail(E.missingParam('grant_type'));
  const clientId = form.get('client_id');
  if (!clientId) return fail(E.missingParam('client_id'));
  const app = ctx.directory.findApp(clientId);
  if (!app) return fail(E.unknownClient(clientId));
  const auth = await authenticateClient(ctx, req, app, form);
  if (auth.kind === 'error') return fail(auth.spec);
  const confidential = auth.kind === 'confidential';
  const origin = header(req, 'origin');
  const common = { ctx, req, at, app, form, confidential, origin, fail };
  switch (grantType) {
    case 'authorization_code':
      return redeemAuthorizationCode(common);
    case 'refresh_token':
      return redeemRefreshToken(common);
    case 'client_credentials':
      return clientCredentials(common);
    default:
      return fail({
        error: 'unsupported_grant_type',
        code: 70003,
        message: `The app requested an unsupported grant type '${grantType}'.`,
      });
  }
}

export type GrantContext = {
  ctx: EmulatorContext;
  req: EmuRequest;
  at: AuthorityTenant;
  app: NonNullable<ReturnType<EmulatorContext['directory']['findApp']>>;
  form: URLSearchParams;
  confidential: boolean;
  origin: string | undefined;
  fail: (spec: EntraErrorSpec) => EmuResponse;
};

async function clientCredentials(g: GrantContext): Promise<EmuResponse> {
  if (!g.confidential) return g.fail(E.credentialRequired());
  if (g.origin !== undefined) return g.fail(E.originForbidden(g.origin));
  const scope = (g.form.get('scope') ?? '').trim();
  const resources = scope.split(/\s+/).filter(Boolean);
  if (resources.length !== 1 || !resources[0]!.endsWith('/.default')) {
    return g.fail({
      error: 'invalid_scope',
      code: 1002012,
      message: `The provided value for scope ${scope || '(empty)'} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    });
  }
  const resource = canonicalResource(resources[0]!.slice(0, -'/.default'.length));
  const tenantId = g.at.kind === 'tenant' ? g.at.tenant.id : g.app.homeTenantId;
  const { token } = await mintAppAccessToken(g.ctx, {
    appId: g.app.clientId,
    oid: g.app.servicePrincipalOid,
    tenantId,
    resource,
    extra: { app_displayname: g.app.displayName },
  });
  return tokenJson(200, {
    token_type: 'Bearer',
    expires_in: g.ctx.accessTokenLifetimeSeconds,
    ext_expires_in: g.ctx.accessTokenLifetimeSeconds,
    access_token: token,
  });
}
