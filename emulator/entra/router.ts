// Routes the Entra port: tenant-scoped OAuth endpoints, sign-in pages, and (with test hooks) the /_emulator admin API.
import type { EmulatorContext } from '../context';
import type { ActiveFault, FaultEndpoint } from '../faults';
import { preflight, withCors } from '../http/cors';
import { instrument, rawFaultBody } from '../http/instrument';
import { formBody, json, type EmuRequest, type EmuResponse, type Handler } from '../http/types';
import { escapeHtml } from '../http/escape';
import { findTx, handleAuthorize } from './authorize';
import { deliverError } from './authorizeResponse';
import { entraErrorResponse, entraTimestamp } from './errors';
import { handleLogout } from './logout';
import { instanceDiscovery, jwks, openidConfiguration, tenantNotFound } from './metadata';
import { errorPage, page } from './pages';
import { redirectPlatform } from './redirectUris';
import { handleConsent, handleLogin } from './signIn';
import { handleToken } from './token';

type Route = { endpoint: FaultEndpoint | undefined; rest: string; segment: string };

/** Splits `/{tenant}/rest…` and names the fault endpoint the path belongs to. */
function classify(pathname: string): Route {
  const m = /^\/([^/]+)(\/.*)?$/.exec(pathname);
  const segment = m?.[1] ? decodeURIComponent(m[1]) : '';
  const rest = (m?.[2] ?? '').toLowerCase();
  let endpoint: FaultEndpoint | undefined;
  if (rest.endsWith('/.well-known/openid-configuration') || rest.startsWith('/discovery/')) endpoint = 'metadata';
  else if (rest === '/oauth2/v2.0/authorize' || rest === '/login' || rest === '/consent') endpoint = 'authorize';
  else if (rest === '/oauth2/v2.0/token') endpoint = 'token';
  else if (rest === '/oauth2/v2.0/logout') endpoint = 'logout';
  return { endpoint, rest, segment };
}

export function createEntraHandler(ctx: EmulatorContext, admin: Handler): Handler {
  const route = async (req: EmuRequest): Promise<EmuResponse> => {
    const path = req.url.pathname;
    if (path.startsWith('/_emulator/'))
      return ctx.testHooks ? admin(req) : json(404, { error: 'test hooks are disabled' });
    if (req.method === 'OPTIONS') return preflight(req, 'GET, POST, OPTIONS');
    if (path === '/') return indexPage(ctx);
    if (path === '/error')
      return errorPage(
        Number(req.url.searchParams.get('code')) || 0,
        'See the error code.',
        '-',
        entraTimestamp(ctx.clock.now()),
      );
    if (path.toLowerCase() === '/common/discovery/instance') return instanceDiscovery(req);
    const { rest, segment } = classify(path);
    const at = ctx.directory.resolveTenant(segment);
    const isGet = req.method === 'GET';
    const isPost = req.method === 'POST';
    if (!at) {
      if (rest === '/oauth2/v2.0/authorize' || rest === '/login' || rest === '/consent') {
        return errorPage(90002, `Tenant '${segment}' not found.`, '-', entraTimestamp(ctx.clock.now()));
      }
      return tenantNotFound(ctx, req, segment);
    }
    if (isGet && (rest === '/v2.0/.well-known/openid-configuration' || rest === '/.well-known/openid-configuration')) {
      return openidConfiguration(req, at);
    }
    if (isGet && (rest === '/discovery/v2.0/keys' || rest === '/discovery/keys')) return jwks(ctx);
    if (rest === '/oauth2/v2.0/authorize' && (isGet || isPost)) {
      return handleAuthorize(ctx, req, at, isGet ? req.url.searchParams : formBody(req));
    }
    if (rest === '/login' && isPost) return handleLogin(ctx, req, at);
    if (rest === '/consent' && isPost) return handleConsent(ctx, req, at);
    if (rest === '/oauth2/v2.0/token' && isPost) return handleToken(ctx, req, at);
    if (rest === '/oauth2/v2.0/logout' && (isGet || isPost)) return handleLogout(ctx, req, at);
    return withCors(
      json(404, { error: 'not_found', error_description: `The emulator has no endpoint ${req.method} ${path}` }),
    );
  };
  return instrument(
    ctx,
    {
      service: 'entra',
      endpointOf: (req) => classify(req.url.pathname).endpoint,
      faultResponse: (f, req) => faultResponse(ctx, f, req),
    },
    route,
  );
}

function faultResponse(ctx: EmulatorContext, fault: ActiveFault, req: EmuRequest): EmuResponse {
  const status = fault.status ?? (fault.error ? 400 : 500);
  if (fault.endpoint === 'authorize' && fault.error) return authorizeFault(ctx, fault, req);
  let res: EmuResponse;
  if (fault.error) {
    res = entraErrorResponse(
      {
        error: fault.error,
        code: fault.errorCode ?? 90000,
        message: fault.errorDescription ?? 'Injected fault.',
        suberror: fault.suberror,
        status,
      },
      ctx.clock.now(),
      req.base,
    );
  } else {
    const raw = rawFaultBody(fault);
    res = raw
      ? { status, ...raw }
      : entraErrorResponse(
          {
            error: 'temporarily_unavailable',
            code: 90033,
            message: 'A transient error has occurred. Please try again.',
            status,
          },
          ctx.clock.now(),
          req.base,
        );
  }
  if (fault.omitCors) {
    const headers = { ...res.headers };
    for (const k of Object.keys(headers)) if (k.startsWith('access-control-')) delete headers[k];
    return { ...res, headers };
  }
  return withCors(res);
}

/** An injected /authorize error goes back to the client like a real one, when the redirect URI is valid. */
function authorizeFault(ctx: EmulatorContext, fault: ActiveFault, req: EmuRequest): EmuResponse {
  const params = req.method === 'GET' ? req.url.searchParams : formBody(req);
  const tx = findTx(ctx, params.get('ctx'));
  const app = ctx.directory.findApp(tx?.clientId ?? params.get('client_id') ?? '');
  const redirectUri = tx?.redirectUri ?? params.get('redirect_uri') ?? '';
  const platform = app && redirectPlatform(app, redirectUri);
  const code = fault.errorCode ?? 50058;
  const message = fault.errorDescription ?? 'Injected fault.';
  if (!platform) return errorPage(code, message, '-', entraTimestamp(ctx.clock.now()));
  const mode = (tx?.responseMode ?? params.get('response_mode') ?? (platform === 'spa' ? 'fragment' : 'query')) as
    'query' | 'fragment' | 'form_post';
  return deliverError(
    ctx,
    req,
    { redirectUri, responseMode: mode, state: tx?.state ?? params.get('state') ?? undefined },
    fault.error!,
    code,
    message,
  );
}

function indexPage(ctx: EmulatorContext): EmuResponse {
  const tenants = ctx.directory.seed.tenants
    .map((t) => `<li>${escapeHtml(t.displayName)}: <code>${escapeHtml(t.id)}</code></li>`)
    .join('');
  return page('Entra emulator', () => `<h1>Local Entra ID emulator</h1><p class="sub">Tenants</p><ul>${tenants}</ul>`);
}
