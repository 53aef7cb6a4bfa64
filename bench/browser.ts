// A minimal scripted browser (cookie jar per origin, manual redirects, request counting) and the hybrid sign-in over
// the emulator without a real browser: /auth/signin → /authorize sign-in page → user picker form → BFF callback → GET /.
// Adapted from test/emulator/helpers.ts and test/bff/redis/bffInstances.ts (copied so bench/ never loads mocha/chai).

/** Cookie jars keyed by origin (host-only cookies, path /), fetch with redirect: 'manual'. */
export class ScriptedBrowser {
  readonly #jars = new Map<string, Map<string, string>>();
  /** HTTP requests this browser has sent. */
  requests = 0;

  async request(
    url: string,
    init: { method?: string; form?: Record<string, string>; accept?: string } = {},
  ): Promise<Response> {
    const origin = new URL(url).origin;
    const jar = this.jar(origin);
    const headers: Record<string, string> = { accept: init.accept ?? 'text/html' };
    if (jar.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    this.requests++;
    const res = await fetch(url, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) storeCookie(jar, line);
    return res;
  }

  /** The Cookie header this browser would send to `origin`. */
  cookieHeader(origin: string): string {
    return [...this.jar(origin)].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  jar(origin: string): Map<string, string> {
    let jar = this.#jars.get(origin);
    if (!jar) this.#jars.set(origin, (jar = new Map()));
    return jar;
  }
}

function storeCookie(jar: Map<string, string>, line: string): void {
  const [pair = '', ...attributes] = line.split(';').map((s) => s.trim());
  const eq = pair.indexOf('=');
  const name = pair.slice(0, eq);
  const value = pair.slice(eq + 1);
  const maxAge = attributes.find((a) => /^max-age=/i.test(a));
  const expires = attributes.find((a) => /^expires=/i.test(a));
  const gone =
    value === '' ||
    (maxAge !== undefined && Number(maxAge.split('=')[1]) <= 0) ||
    (expires !== undefined && Date.parse(expires.slice(8)) <= Date.now());
  if (gone) jar.delete(name);
  else jar.set(name, value);
}

/** The value of a named hidden/text input in a page (HTML entities decoded). */
export function inputValue(html: string, name: string): string | undefined {
  const m = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html);
  return m?.[1]
    ?.replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The action of the form with the given id. */
export function formAction(html: string, id: string): string {
  const m = new RegExp(`<form[^>]*action="([^"]+)"[^>]*id="${id}"`).exec(html);
  if (!m) throw new Error(`form #${id} not found on the emulator page`);
  return m[1]!;
}

interface BootstrapLike {
  spaCode: string | null;
  account: { homeAccountId: string; username: string } | null;
}

function parseBootstrap(html: string): BootstrapLike {
  const m = /<script type="application\/json" id="bootstrap">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error('the page has no bootstrap element');
  return JSON.parse(m[1]!) as BootstrapLike;
}

export interface SignInResult {
  browser: ScriptedBrowser;
  /** Wall time from the /auth/signin request to the bootstrap page with the spa code (ms). */
  ms: number;
  /** HTTP requests from /auth/signin to that page, both origins (BFF and emulator). */
  requests: number;
  homeAccountId: string;
  spaCode: string;
}

/** The BFF's /auth/callback URL the emulator redirected to (code + state), with the browser that holds the login cookies. */
export interface PendingCallback {
  browser: ScriptedBrowser;
  callbackUrl: string;
  t0: number;
  startRequests: number;
}

/** `/auth/signin` → the emulator's sign-in page → the user picker form, stopping at the redirect to the BFF's callback. */
export async function signInUntilCallback(
  bffUrl: string,
  user: string,
  returnTo = '/',
  browser = new ScriptedBrowser(),
): Promise<PendingCallback> {
  const startRequests = browser.requests;
  const t0 = performance.now();
  let res = await browser.request(`${bffUrl}/auth/signin?returnTo=${encodeURIComponent(returnTo)}`);
  if (res.status !== 302) throw new Error(`/auth/signin answered ${res.status}`);
  const authorizeUrl = res.headers.get('location')!;
  res = await browser.request(authorizeUrl);
  if (res.status !== 302) {
    const page = await res.text();
    if (!page.includes('id="i0116"'))
      throw new Error(`unexpected /authorize page (${res.status}): ${page.slice(0, 200)}`);
    const origin = new URL(authorizeUrl).origin;
    res = await browser.request(origin + formAction(page, 'i0281'), {
      form: { ctx: inputValue(page, 'ctx')!, loginfmt: user, passwd: '' },
    });
    if (res.status !== 302)
      throw new Error(`the sign-in form answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  }
  return { browser, callbackUrl: new URL(res.headers.get('location')!, bffUrl).href, t0, startRequests };
}

/**
 * Signs `user` in on the BFF at `bffUrl` the way a browser does, over the emulator's sign-in pages, and returns the
 * browser (its jar holds the BFF session cookie) once GET / delivered the bootstrap with the spa code.
 */
export async function signIn(bffUrl: string, user: string, browser = new ScriptedBrowser()): Promise<SignInResult> {
  const { callbackUrl, t0, startRequests } = await signInUntilCallback(bffUrl, user, '/', browser);
  let res: Response;
  // Follow redirects (the BFF callback, then the returnTo page) until a 200 page.
  let location = callbackUrl;
  for (let hops = 0; ; hops++) {
    if (hops > 5) throw new Error('too many redirects after /authorize');
    res = await browser.request(new URL(location, bffUrl).href);
    if (res.status >= 300 && res.status < 400) {
      location = res.headers.get('location')!;
      continue;
    }
    break;
  }
  if (res.status !== 200)
    throw new Error(`the landing page answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  const bootstrap = parseBootstrap(await res.text());
  const ms = performance.now() - t0;
  if (!bootstrap.spaCode || !bootstrap.account)
    throw new Error('the bootstrap after sign-in carries no spa code or no account');
  return {
    browser,
    ms,
    requests: browser.requests - startRequests,
    homeAccountId: bootstrap.account.homeAccountId,
    spaCode: bootstrap.spaCode,
  };
}
