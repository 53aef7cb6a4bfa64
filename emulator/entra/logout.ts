// GET|POST /{t}/oauth2/v2.0/logout: ends the session, notifies each signed-in app's front-channel logout URL in a
// hidden iframe (with sid and iss), then returns to a registered post_logout_redirect_uri.
import { decodeJwt } from 'jose';
import type { EmulatorContext } from '../context';
import { escapeHtml } from '../http/escape';
import { formBody, redirect, type EmuRequest, type EmuResponse } from '../http/types';
import type { AuthorityTenant } from '../state/directory';
import { page } from './pages';
import { isRegisteredPostLogout } from './redirectUris';
import { clearSessionCookie, readSession } from './session';

/** How long the page waits for front-channel iframes before moving on (Entra waits a few seconds too). */
const IFRAME_TIMEOUT_MS = 3000;

export function handleLogout(ctx: EmulatorContext, req: EmuRequest, at: AuthorityTenant): EmuResponse {
  const params = req.method === 'POST' ? formBody(req) : req.url.searchParams;
  const app = findApp(ctx, params);
  const postLogout = params.get('post_logout_redirect_uri');
  const allowed =
    postLogout &&
    (app
      ? isRegisteredPostLogout(app, postLogout)
      : ctx.directory.seed.apps.some((a) => isRegisteredPostLogout(a, postLogout)));
  let target: string | undefined;
  if (allowed) {
    const url = new URL(postLogout);
    const state = params.get('state');
    if (state !== null) url.searchParams.set('state', state);
    target = url.toString();
  }

  const session = readSession(ctx, req);
  const frames: string[] = [];
  if (session) {
    const user = ctx.directory.findUser(session.userKey);
    const tenantId = (user && ctx.directory.identityAt(user, at)?.tenantId) ?? user?.homeTenantId ?? '';
    const iss = `${req.base}/${tenantId}/v2.0`;
    for (const clientId of session.clientIds) {
      const url = ctx.directory.findApp(clientId)?.frontChannelLogoutUrl;
      if (!url) continue;
      const u = new URL(url);
      u.searchParams.set('sid', session.sid);
      u.searchParams.set('iss', iss);
      frames.push(u.toString());
    }
    ctx.store.sessions.delete(session.id);
    ctx.log(`sign-out: ${user?.username ?? 'unknown user'}`);
  }
  const headers = { 'set-cookie': clearSessionCookie };
  if (frames.length === 0 && target) return redirect(target, headers);
  const res = page(
    'Sign out',
    (nonce) =>
      `<h1 id="signOutHeader">You signed out of your account</h1>` +
      `<p class="sub">It's a good idea to close all browser windows.</p>` +
      frames
        .map(
          (src, i) =>
            `<iframe class="frontchannel-logout" id="fcl-${i}" src="${escapeHtml(src)}" hidden width="0" height="0" title="sign-out"></iframe>`,
        )
        .join('') +
      (target
        ? `<p><a id="signout-continue" href="${escapeHtml(target)}">Continue</a></p>` +
          `<script nonce="${nonce}">(function(){var left=${frames.length},go=function(){location.replace(document.getElementById('signout-continue').href)};` +
          `document.querySelectorAll('iframe.frontchannel-logout').forEach(function(f){f.addEventListener('load',function(){if(--left<=0)go()})});` +
          `setTimeout(go,${IFRAME_TIMEOUT_MS});})();</script>`
        : ''),
    200,
    '; frame-src http: https:',
  );
  return { ...res, headers: { ...res.headers, ...headers } };
}

function findApp(ctx: EmulatorContext, params: URLSearchParams) {
  const clientId = params.get('client_id');
  if (clientId) return ctx.directory.findApp(clientId);
  const hint = params.get('id_token_hint');
  if (!hint) return undefined;
  try {
    const aud = decodeJwt(hint).aud;
    return typeof aud === 'string' ? ctx.directory.findApp(aud) : undefined;
  } catch {
    return undefined;
  }
}
