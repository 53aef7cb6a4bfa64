// Test helpers: start the emulator on random ports, and drive its sign-in pages with plain HTTP like a browser would.
import { X509Certificate, createHash, createPrivateKey, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/index';
import { formAction, inputValue } from '../../bench/browser';

// Page parsing is shared with the benchmark's scripted browser.
export { formAction, inputValue };

export async function startTestEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({
    rootDir: process.cwd(),
    ports: { entra: 0, graph: 0, keyVault: 0, managedIdentity: 0 },
    testHooks: true,
    ...options,
  });
}

/** A minimal browser: a cookie jar for the emulator origin and manual redirects. */
export class Browser {
  private readonly jar = new Map<string, string>();

  async request(
    url: string,
    init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.jar.size) headers.cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(url, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (/max-age=0/i.test(c) || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }

  hasSession(): boolean {
    return this.jar.has('ESTSAUTH');
  }
}

export interface AuthorizeOutcome {
  /** Final redirect Location (to the client), if the flow ended in one. */
  location?: string;
  /** Parsed parameters of that redirect (query or fragment). */
  params?: URLSearchParams;
  /** The last page (HTML) when the flow stopped on one (consent, error). */
  page?: string;
  status: number;
}

/** Reads the code/error parameters from a client redirect. */
export function redirectParams(location: string): URLSearchParams {
  const url = new URL(location);
  return url.hash ? new URLSearchParams(url.hash.slice(1)) : url.searchParams;
}

async function outcome(res: Response): Promise<AuthorizeOutcome> {
  const location = res.headers.get('location') ?? undefined;
  if (location) return { location, params: redirectParams(location), status: res.status };
  return { page: await res.text(), status: res.status };
}

/**
 * Opens /authorize; if the sign-in page appears, submits the username form (#i0116 + #idSIButton9) as a browser would;
 * if consent is asked and `consent` is given, clicks Accept or Cancel.
 */
export async function authorize(
  browser: Browser,
  authUrl: string,
  user?: string,
  consent?: 'accept' | 'cancel',
): Promise<AuthorizeOutcome> {
  let res = await browser.request(authUrl);
  if (res.status === 302) return outcome(res);
  let page = await res.text();
  const origin = new URL(authUrl).origin;
  if (page.includes('id="i0116"')) {
    if (!user) return { page, status: res.status };
    res = await browser.request(origin + formAction(page, 'i0281'), {
      form: { ctx: inputValue(page, 'ctx')!, loginfmt: user, passwd: '' },
    });
    if (res.status === 302) return outcome(res);
    page = await res.text();
  }
  if (page.includes('id="consentForm"') && consent) {
    const form: Record<string, string> = { ctx: inputValue(page, 'ctx')! };
    if (consent === 'accept') form.accept = 'Accept';
    else form.cancel = 'Cancel';
    res = await browser.request(origin + formAction(page, 'consentForm'), { form });
    return outcome(res);
  }
  return { page, status: res.status };
}

/** Posts a form to the emulator's token endpoint exactly as given (headers included), returning status, headers, JSON. */
export async function postToken(
  emu: RunningEmulator,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const res = await fetch(`${emu.urls.authority}/oauth2/v2.0/token?client-request-id=test`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

export const WEB_REDIRECT = 'http://localhost:51234/auth/callback';
export const SPA_REDIRECT = 'http://localhost:51234/';

/** Signs a user in through /authorize (web redirect URI) and redeems the code server-side; returns the token body. */
export async function userTokens(
  emu: RunningEmulator,
  user: string,
  scope = 'openid profile offline_access User.Read Contacts.Read Mail.Read',
): Promise<Record<string, unknown>> {
  const q = new URLSearchParams({ client_id: emu.clientId, redirect_uri: WEB_REDIRECT, response_type: 'code', scope });
  const out = await authorize(new Browser(), `${emu.urls.authority}/oauth2/v2.0/authorize?${q}`, user, 'accept');
  const code = out.params?.get('code');
  if (!code) throw new Error(`no code: ${out.page?.slice(0, 300) ?? out.location}`);
  const res = await postToken(emu, {
    client_id: emu.clientId,
    client_secret: emu.clientSecret,
    grant_type: 'authorization_code',
    code,
    redirect_uri: WEB_REDIRECT,
    scope,
  });
  if (res.status !== 200) throw new Error(`token failed: ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * A client-credentials request authenticated with a client assertion signed by `privateKeyPem` and naming
 * `certificatePem` (x5t#S256), as msal-node sends it; returns the status and the error codes, if any.
 */
export async function clientCredentialsWithCertificate(
  emu: RunningEmulator,
  clientId: string,
  certificatePem: string,
  privateKeyPem: string,
): Promise<{ status: number; errorCodes?: unknown }> {
  const tokenEndpoint = `${emu.urls.authority}/oauth2/v2.0/token`;
  const x5t = createHash('sha256').update(new X509Certificate(certificatePem).raw).digest('base64url');
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', 'x5t#S256': x5t })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(tokenEndpoint)
    .setJti(randomUUID())
    .setIssuedAt(Math.floor(emu.admin.now() / 1000))
    .setExpirationTime(Math.floor(emu.admin.now() / 1000) + 600)
    .sign(createPrivateKey(privateKeyPem));
  const res = await postToken(emu, {
    client_id: clientId,
    grant_type: 'client_credentials',
    scope: 'https://graph.microsoft.com/.default',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
  });
  return res.status === 200 ? { status: 200 } : { status: res.status, errorCodes: res.body.error_codes };
}
