// A tiny hybrid app that is not this project: unmodified msal-node signs in and redeems with enableSpaAuthorizationCode,
// then a page loads msal-browser's own bundled build (node_modules) and redeems the spa_code in the browser.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ConfidentialClientApplication, CryptoProvider } from '@azure/msal-node';

export interface ForeignAppOptions {
  port: number;
  clientId: string;
  secret: string;
  /** https://localhost:<entra>/<tenant> */
  authority: string;
  graph: string;
  rootDir: string;
  /** Its own paths, unlike the BFF's /auth/callback and /. */
  paths: { signIn: string; spa: string };
}

export interface ForeignApp {
  url: string;
  /** What the server side saw (for assertions): the accounts signed in, and whether a spa_code came back. */
  events: { user: string; spaCode: boolean }[];
  close(): Promise<void>;
}

const SCOPES = ['User.Read'];

export async function startForeignApp(o: ForeignAppOptions): Promise<ForeignApp> {
  const base = `http://localhost:${o.port}`;
  const cca = new ConfidentialClientApplication({
    auth: {
      clientId: o.clientId,
      authority: o.authority,
      clientSecret: o.secret,
      knownAuthorities: [new URL(o.authority).host],
    },
  });
  const crypto = new CryptoProvider();
  const pending = new Map<string, string>(); // state → PKCE verifier
  const spaCodes = new Map<string, { code: string; username: string }>(); // cookie → one-time spa code
  const events: ForeignApp['events'] = [];
  const msalBundle = readFileSync(join(o.rootDir, 'node_modules/@azure/msal-browser/lib/msal-browser.min.js'), 'utf8');

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', base);
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      res.end(body);
    };
    if (url.pathname === '/')
      return send(
        200,
        'text/html',
        `<!doctype html><title>Northwind</title><main><h1>Northwind</h1><a id="signin" href="/login">Sign in</a></main>`,
      );
    if (url.pathname === '/login') {
      const { verifier, challenge } = await crypto.generatePkceCodes();
      const state = randomUUID();
      pending.set(state, verifier);
      const location = await cca.getAuthCodeUrl({
        scopes: SCOPES,
        redirectUri: `${base}${o.paths.signIn}`,
        codeChallenge: challenge,
        codeChallengeMethod: 'S256',
        state,
      });
      return send(302, 'text/plain', '', { location });
    }
    if (url.pathname === o.paths.signIn) {
      const state = url.searchParams.get('state') ?? '';
      const verifier = pending.get(state);
      pending.delete(state);
      const code = url.searchParams.get('code');
      if (!verifier || !code)
        return send(
          400,
          'text/plain',
          `sign-in failed: ${url.searchParams.get('error_description') ?? 'unknown state'}`,
        );
      const result = await cca.acquireTokenByCode({
        code,
        scopes: SCOPES,
        redirectUri: `${base}${o.paths.signIn}`,
        codeVerifier: verifier,
        enableSpaAuthorizationCode: true,
      });
      events.push({ user: result.account?.username ?? '', spaCode: Boolean(result.code) });
      const sid = randomUUID();
      if (result.code) spaCodes.set(sid, { code: result.code, username: result.account?.username ?? '' });
      return send(302, 'text/plain', '', {
        location: o.paths.spa,
        'set-cookie': `nw=${sid}; Path=/; HttpOnly; SameSite=Lax`,
      });
    }
    if (url.pathname === o.paths.spa) {
      const sid = /(?:^|;\s*)nw=([^;]+)/.exec(req.headers.cookie ?? '')?.[1] ?? '';
      const entry = spaCodes.get(sid);
      spaCodes.delete(sid);
      const boot = {
        clientId: o.clientId,
        authority: o.authority,
        graph: o.graph,
        redirectUri: `${base}${o.paths.spa}`,
        spaCode: entry?.code ?? null,
        username: entry?.username ?? null,
      };
      const json = JSON.stringify(boot).replace(/</g, '\\u003c');
      return send(
        200,
        'text/html',
        `<!doctype html><title>Northwind SPA</title><main><h1>Northwind SPA</h1><p id="status">starting</p><p id="who"></p></main>` +
          `<script type="application/json" id="boot">${json}</script><script src="/msal-browser.min.js"></script><script src="/app.js"></script>`,
      );
    }
    if (url.pathname === '/msal-browser.min.js') return send(200, 'text/javascript', msalBundle);
    if (url.pathname === '/app.js') return send(200, 'text/javascript', APP_JS);
    return send(404, 'text/plain', 'not found');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`foreign app error: ${(err as Error).message}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(o.port, '127.0.0.1', resolve));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}`,
    events,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The SPA: msal-browser's global `msal` from its own bundle; redeem the spa_code, call Graph, refresh once. */
const APP_JS = `
(async function () {
  const status = document.getElementById('status');
  try {
    const boot = JSON.parse(document.getElementById('boot').textContent);
    const pca = new msal.PublicClientApplication({
      auth: { clientId: boot.clientId, authority: boot.authority, knownAuthorities: [new URL(boot.authority).host], redirectUri: boot.redirectUri },
      cache: { cacheLocation: 'sessionStorage' },
    });
    await pca.initialize();
    if (!boot.spaCode) throw new Error('no spa code');
    const result = await pca.acquireTokenByCode({ code: boot.spaCode, scopes: ['User.Read'] });
    const me = await (await fetch(boot.graph + '/me', { headers: { authorization: 'Bearer ' + result.accessToken } })).json();
    document.getElementById('who').textContent = me.displayName + ' <' + result.account.username + '>';
    // A browser refresh-token redemption (SPA refresh token, Origin checked by the emulator).
    const refreshed = await pca.acquireTokenSilent({ scopes: ['User.Read'], account: result.account, forceRefresh: true });
    status.textContent = refreshed.accessToken && refreshed.accessToken !== result.accessToken ? 'signed-in' : 'refresh-failed';
  } catch (err) {
    status.textContent = 'error: ' + (err && (err.errorCode || err.message));
  }
})();
`;
