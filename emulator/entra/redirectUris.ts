// Redirect-URI matching per platform, with Entra's one relaxation: the port of http://localhost URIs is ignored.
import type { SeedApp } from '../seedTypes';
import type { Platform } from '../state/store';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Exact match, except that http loopback URIs match on any port (and 127.0.0.1 ≡ localhost). */
export function sameRedirectUri(registered: string, given: string): boolean {
  if (registered === given) return true;
  let r: URL, g: URL;
  try {
    r = new URL(registered);
    g = new URL(given);
  } catch {
    return false;
  }
  if (r.protocol !== 'http:' || g.protocol !== 'http:' || !LOOPBACK.has(r.hostname) || !LOOPBACK.has(g.hostname))
    return false;
  return r.pathname === g.pathname && r.search === g.search && r.hash === g.hash && r.username === g.username;
}

/** The platform whose registered list holds this URI (SPA first, as Entra evaluates it for cross-origin use). */
export function redirectPlatform(app: SeedApp, redirectUri: string): Platform | undefined {
  if (app.spaRedirectUris.some((r) => sameRedirectUri(r, redirectUri))) return 'spa';
  if (app.webRedirectUris.some((r) => sameRedirectUri(r, redirectUri))) return 'web';
  return undefined;
}

/**
 * Whether a token request's `Origin` belongs to one of the app's SPA redirect URIs: same scheme, host and port, with the
 * loopback rule of sameRedirectUri (http on localhost / 127.0.0.1 / [::1] matches on any port and across those hosts).
 * Entra checks the origin of cross-origin redemptions against the SPA platform; the exact rule is not documented, so
 * this is the emulator's reading (docs/emulator.md).
 */
export function isRegisteredSpaOrigin(app: SeedApp, origin: string): boolean {
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return false;
  }
  // An Origin header is scheme://host[:port] only; anything else ("null", a path) is not a registrable origin.
  if (o.origin === 'null' || o.origin !== origin.replace(/\/$/, '')) return false;
  return app.spaRedirectUris.some((r) => {
    let registered: URL;
    try {
      registered = new URL(r);
    } catch {
      return false;
    }
    if (registered.origin === o.origin) return true;
    return (
      registered.protocol === 'http:' &&
      o.protocol === 'http:' &&
      LOOPBACK.has(registered.hostname) &&
      LOOPBACK.has(o.hostname)
    );
  });
}

export function isRegisteredPostLogout(app: SeedApp, uri: string): boolean {
  return app.postLogoutRedirectUris.some((r) => sameRedirectUri(r, uri));
}
