// The e2e harness: the emulator and the BFF in this process, the built SPA, Debian's Chromium driven by playwright-core,
// one fresh browser context per session, a record of every request, console line and dialog, and artifacts per test.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page, type Request } from 'playwright-core';
import { loadConfig } from '../../config/loadConfig';
import type { Config } from '../../config/types';
import { createLogger } from '../../bff/http/logger';
import { startBff, type RunningBff } from '../../bff/server';
import { startEmulator, type RunningEmulator } from '../../emulator/index';
import { BOOTSTRAP_ELEMENT_ID, type BootstrapPayload } from '../../shared-types/bootstrap';

export const ROOT_DIR = fileURLToPath(new URL('../..', import.meta.url));
export const ARTIFACTS_DIR = join(ROOT_DIR, '.artifacts', 'e2e');
export const CHROMIUM_PATH = '/usr/bin/chromium';

// ---------------------------------------------------------------------------------------------------------------------
// Prerequisites

/** Why the e2e suite cannot run here, or null. In CI a missing Chromium is a failure, never a skip. */
export function chromiumMissingReason(): string | null {
  if (existsSync(CHROMIUM_PATH)) return null;
  const reason = `${CHROMIUM_PATH} not found (install Debian's "chromium" package; .ci/run does it)`;
  if (process.env.CI) throw new Error(`e2e: ${reason}. CI must run the browser tests.`);
  return reason;
}

function newestMtime(path: string): number {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** Builds dist/client once when it is missing or older than any client source (same rule as `npm start`). */
export function ensureClientBuilt(): void {
  const built = newestMtime(join(ROOT_DIR, 'dist', 'client', 'index.html'));
  const sources = Math.max(...['client', 'shared-types', 'webpack.config.ts'].map((p) => newestMtime(join(ROOT_DIR, p))));
  if (built >= sources) return;
  console.log(`      e2e: ${built ? 'the SPA sources changed, rebuilding' : 'building the SPA'} (npm run build:client)…`);
  const result = spawnSync('npm', ['run', '--silent', 'build:client'], { cwd: ROOT_DIR, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error('e2e: `npm run build:client` failed; see the output above.');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// The stack: emulator + BFF + Chromium

export interface Stack {
  emulator: RunningEmulator;
  bff: RunningBff;
  config: Readonly<Config>;
  /** http://localhost:<port> */
  appUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

/** The BFF's configuration for an emulator on random ports; `publicPort` is where the browser reaches the app. */
export function bffConfigFor(emulator: RunningEmulator, port: number, publicPort = port): Readonly<Config> {
  return loadConfig(
    {
      AUTH_MODE: 'emulator',
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: String(port),
      PUBLIC_URL: `http://localhost:${publicPort}`,
      EMULATOR_ENTRA_PORT: String(emulator.ports.entra),
      EMULATOR_GRAPH_PORT: String(emulator.ports.graph),
      EMULATOR_KEYVAULT_PORT: String(emulator.ports.keyVault),
      EMULATOR_MI_PORT: String(emulator.ports.managedIdentity),
    },
    { rootDir: ROOT_DIR },
  );
}

export async function startBffFor(emulator: RunningEmulator, publicPort?: number, bffPort?: number): Promise<{ bff: RunningBff; config: Readonly<Config> }> {
  const port = bffPort ?? (await freePort());
  const config = bffConfigFor(emulator, port, publicPort ?? port);
  const bff = await startBff(config, createLogger('silent'));
  return { bff, config };
}

export async function startStack(): Promise<Stack> {
  ensureClientBuilt();
  // The BFF's port is chosen first so the app registration (redirect, front-channel logout URLs) names the real one.
  const bffPort = await freePort();
  const emulator = await startEmulator({
    rootDir: ROOT_DIR,
    ports: { entra: 0, graph: 0, keyVault: 0, managedIdentity: 0 },
    testHooks: true,
    variables: { PUBLIC_URL: `http://localhost:${bffPort}` },
  });
  // msal-node's managed-identity source reads these from the environment (App Service protocol).
  process.env.IDENTITY_ENDPOINT = emulator.urls.identityEndpoint;
  process.env.IDENTITY_HEADER = emulator.identityHeader;
  let bff: RunningBff | null = null;
  try {
    const started = await startBffFor(emulator, undefined, bffPort);
    bff = started.bff;
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // Trust exactly the emulator's certificate, not every invalid one.
        `--ignore-certificate-errors-spki-list=${emulator.spkiHash}`,
      ],
    });
    const running = bff;
    return {
      emulator,
      bff: running,
      config: started.config,
      appUrl: started.config.server.publicUrl,
      browser,
      async close() {
        await browser.close().catch(() => undefined);
        await running.close(2_000);
        await emulator.close();
      },
    };
  } catch (err) {
    await bff?.close(1_000);
    await emulator.close();
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// A browser session: one fresh context (fresh profile), with everything it did recorded

export interface RecordedRequest {
  /** ms since the session opened */
  t: number;
  /** Date.now() when the request started */
  at: number;
  method: string;
  url: string;
  resourceType: string;
  navigation: boolean;
  mainFrame: boolean;
  /** Page index inside the context (0 = first tab). */
  tab: number;
  /** Form fields of a urlencoded POST, with credential values redacted. */
  form?: Record<string, string>;
  status?: number;
  failure?: string;
}

export interface ConsoleLine {
  t: number;
  tab: number;
  type: string;
  text: string;
  url: string;
}

const SECRET_FIELDS = new Set(['code', 'refresh_token', 'code_verifier', 'client_secret', 'client_assertion', 'access_token', 'id_token', 'client_info']);

function redactForm(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(body)) out[k] = SECRET_FIELDS.has(k) ? '[redacted]' : v;
  return out;
}

function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    for (const k of [...url.searchParams.keys()]) if (SECRET_FIELDS.has(k)) url.searchParams.set(k, '[redacted]');
    if (url.hash.length > 1) url.hash = '#[redacted]';
    return url.toString();
  } catch {
    return raw;
  }
}

const isCspViolation = (text: string) => /Content Security Policy|securitypolicyviolation/i.test(text);

export interface SessionOptions {
  /** Install Playwright's fake clock (time still flows) so a test can jump the browser's clock ahead. */
  clock?: boolean;
}

export class BrowserSession {
  readonly requests: RecordedRequest[] = [];
  readonly consoleLines: ConsoleLine[] = [];
  readonly pageErrors: string[] = [];
  readonly dialogs: string[] = [];
  /** Frames other than a tab's main frame (hidden iframes). */
  readonly childFrames: string[] = [];
  /** Pages opened by a page (popups), as opposed to tabs the test opened. */
  readonly popups: string[] = [];
  /** App HTML documents the tabs loaded, with the bootstrap payload each one carried. */
  readonly documents: Array<{ t: number; at: number; tab: number; url: string; bootstrap: Promise<BootstrapPayload | null> }> = [];
  private readonly pages: Page[] = [];
  private readonly started = Date.now();
  private readonly byRequest = new Map<Request, RecordedRequest>();

  private constructor(
    readonly stack: Stack,
    readonly name: string,
    readonly context: BrowserContext,
  ) {}

  static async open(stack: Stack, name: string, options: SessionOptions = {}): Promise<BrowserSession> {
    const context = await stack.browser.newContext({ viewport: { width: 1100, height: 800 } });
    context.setDefaultTimeout(15_000);
    context.setDefaultNavigationTimeout(20_000);
    const session = new BrowserSession(stack, name, context);
    // Surface CSP violations even when Chromium does not print them (e.g. report-only or worker contexts).
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`securitypolicyviolation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} in ${e.sourceFile || e.documentURI}`);
      });
    });
    if (options.clock) await context.clock.install();
    context.on('page', (page) => {
      if (session.openingTab) return;
      // Opened by the app (window.open, target=_blank), not by the test.
      session.popups.push(page.url() || '(blank)');
      session.attach(page);
    });
    await session.newTab();
    return session;
  }

  /** The first tab. */
  get page(): Page {
    return this.pages[0]!;
  }

  get appUrl(): string {
    return this.stack.appUrl;
  }

  get authorityOrigin(): string {
    return new URL(this.stack.emulator.urls.instance).origin;
  }

  private openingTab = false;

  /** Opens another tab in the same context (same cookies and localStorage, its own sessionStorage). */
  async newTab(): Promise<Page> {
    this.openingTab = true;
    try {
      const page = await this.context.newPage();
      this.attach(page);
      return page;
    } finally {
      this.openingTab = false;
    }
  }

  private attach(page: Page): void {
    this.pages.push(page);
    const tab = this.pages.length - 1;
    const now = () => Date.now() - this.started;
    page.on('request', (req) => {
      const postData = req.method() === 'POST' ? req.postData() : null;
      const isForm = /application\/x-www-form-urlencoded/i.test(req.headers()['content-type'] ?? '');
      const entry: RecordedRequest = {
        t: now(),
        at: Date.now(),
        method: req.method(),
        url: req.url(),
        resourceType: req.resourceType(),
        navigation: req.isNavigationRequest(),
        mainFrame: req.frame() === page.mainFrame(),
        tab,
        ...(postData !== null && isForm ? { form: redactForm(postData) } : {}),
      };
      this.requests.push(entry);
      this.byRequest.set(req, entry);
    });
    page.on('requestfinished', (req) => {
      void req.response().then((res) => {
        const entry = this.byRequest.get(req);
        if (entry && res) entry.status = res.status();
      });
    });
    page.on('requestfailed', (req) => {
      const entry = this.byRequest.get(req);
      if (entry) entry.failure = req.failure()?.errorText ?? 'failed';
    });
    page.on('response', (res) => {
      const req = res.request();
      if (!req.isNavigationRequest() || req.frame() !== page.mainFrame() || res.status() !== 200) return;
      if (!res.url().startsWith(`${this.appUrl}/`)) return;
      this.documents.push({ t: now(), at: Date.now(), tab, url: res.url(), bootstrap: res.text().then(bootstrapIn, () => null) });
    });
    page.on('console', (msg: ConsoleMessage) => {
      this.consoleLines.push({ t: now(), tab, type: msg.type(), text: msg.text(), url: msg.location().url });
    });
    page.on('pageerror', (err) => this.pageErrors.push(`${err.name}: ${err.message}`));
    page.on('dialog', (dialog) => {
      this.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss().catch(() => undefined);
    });
    page.on('frameattached', (frame) => {
      if (frame !== page.mainFrame()) this.childFrames.push(frame.url() || frame.name() || '(about:blank)');
    });
  }

  // ---- Queries over the record ----

  /** Index into `requests`; pass it to the queries below to look only at what happened afterwards. */
  mark(): number {
    return this.requests.length;
  }

  since(mark = 0): RecordedRequest[] {
    return this.requests.slice(mark);
  }

  private isAuthority(r: RecordedRequest): boolean {
    return r.url.startsWith(`${this.authorityOrigin}/`);
  }

  /** Top-level navigations to the authority's /authorize endpoint. */
  authorizeNavigations(mark = 0): RecordedRequest[] {
    return this.since(mark).filter((r) => r.navigation && r.mainFrame && this.isAuthority(r) && new URL(r.url).pathname.endsWith('/oauth2/v2.0/authorize'));
  }

  /** Every request the browser itself sent to the authority's token endpoint (CORS preflights excluded). */
  tokenRequests(mark = 0): RecordedRequest[] {
    return this.since(mark).filter((r) => r.method === 'POST' && this.isAuthority(r) && new URL(r.url).pathname.endsWith('/oauth2/v2.0/token'));
  }

  /** Navigations of the tabs' main frames to any page of the authority (sign-in page, authorize, logout…). */
  authorityNavigations(mark = 0): RecordedRequest[] {
    return this.since(mark).filter((r) => r.navigation && r.mainFrame && this.isAuthority(r));
  }

  /** Navigations of the main frames to the app's own /auth/* routes. */
  appAuthNavigations(mark = 0, route?: string): RecordedRequest[] {
    return this.since(mark).filter((r) => {
      if (!r.navigation || !r.mainFrame || !r.url.startsWith(`${this.appUrl}/auth/`)) return false;
      return route === undefined || new URL(r.url).pathname === `/auth/${route}`;
    });
  }

  cspViolations(): string[] {
    return this.consoleLines.filter((c) => isCspViolation(c.text)).map((c) => `${c.text} (${c.url})`);
  }

  consoleErrors(): ConsoleLine[] {
    return this.consoleLines.filter((c) => c.type === 'error');
  }

  /** Nothing ran that should not have: no CSP violation, no uncaught error, no dialog, no popup. */
  problems(): string[] {
    return [
      ...this.cspViolations().map((v) => `CSP violation: ${v}`),
      ...this.pageErrors.map((e) => `uncaught page error: ${e}`),
      ...this.dialogs.map((d) => `dialog opened: ${d}`),
      ...this.popups.map((p) => `popup opened: ${p}`),
    ];
  }

  // ---- Actions ----

  /** Clicks the account tile on the emulator's sign-in page (which must be showing). */
  async pickAccount(page: Page, userKey: string): Promise<void> {
    await page.waitForURL((url) => url.origin === this.authorityOrigin, { timeout: 20_000 });
    await page.locator(`#tile-${userKey}`).click();
  }

  /**
   * From the current app page: click "Sign in", pick the user, wait to be back in the app. Returns the Date.now() at
   * which the browser requested /auth/callback.
   */
  async signIn(page: Page, userKey: string): Promise<number> {
    const mark = this.mark();
    await page.getByTestId('sign-in-button').first().click();
    await this.pickAccount(page, userKey);
    await page.waitForURL((url) => url.origin === new URL(this.appUrl).origin && !url.pathname.startsWith('/auth/'), { timeout: 20_000 });
    const callback = this.appAuthNavigations(mark, 'callback')[0];
    if (!callback) throw new Error('sign-in did not pass through /auth/callback');
    return callback.at;
  }

  /** The session cookie the BFF set for this context. */
  async sessionCookie(): Promise<string> {
    const name = this.stack.config.session.cookieName;
    const cookies = await this.context.cookies(this.appUrl);
    const cookie = cookies.find((c) => c.name === name);
    if (!cookie) throw new Error(`no ${name} cookie in this browser context`);
    return `${cookie.name}=${cookie.value}${cookies.filter((c) => c.name === `${name}.sig`).map((c) => `; ${c.name}=${c.value}`).join('')}`;
  }

  // ---- Artifacts ----

  /** Screenshots, console log and request log under .artifacts/e2e/<test>/; returns the written paths. */
  async saveArtifacts(testTitle: string, failed: boolean): Promise<string[]> {
    const dir = join(ARTIFACTS_DIR, slug(testTitle));
    mkdirSync(dir, { recursive: true });
    const base = slug(this.name);
    const written: string[] = [];
    for (const [i, page] of this.pages.entries()) {
      if (page.isClosed()) continue;
      const file = join(dir, `${base}${this.pages.length > 1 ? `-tab${i}` : ''}.png`);
      try {
        await page.screenshot({ path: file, fullPage: true, timeout: 5_000 });
        written.push(file);
      } catch {
        // A page in the middle of a navigation may not be capturable; the logs still help.
      }
    }
    if (failed) {
      const consoleFile = join(dir, `${base}-console.log`);
      writeFileSync(
        consoleFile,
        [
          ...this.consoleLines.map((c) => `[+${c.t}ms tab${c.tab}] ${c.type}: ${c.text}${c.url ? ` (${c.url})` : ''}`),
          ...this.pageErrors.map((e) => `[page error] ${e}`),
          ...this.dialogs.map((d) => `[dialog] ${d}`),
        ].join('\n') + '\n',
      );
      const requestsFile = join(dir, `${base}-requests.json`);
      const redacted = this.requests.map((r) => ({ ...r, url: redactUrl(r.url) }));
      writeFileSync(requestsFile, JSON.stringify(redacted, null, 2));
      const emulatorFile = join(dir, `${base}-emulator-requests.json`);
      writeFileSync(emulatorFile, JSON.stringify(this.stack.emulator.admin.requests(), null, 2));
      written.push(consoleFile, requestsFile, emulatorFile);
    }
    return written;
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
  }
}

export function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

// ---------------------------------------------------------------------------------------------------------------------
// Per-test bookkeeping for mocha

/** Sessions opened by the running test; `finishTest` saves their artifacts and closes them. */
export class SessionTracker {
  private sessions: BrowserSession[] = [];

  async open(stack: Stack, name: string, options?: SessionOptions): Promise<BrowserSession> {
    const session = await BrowserSession.open(stack, name, options);
    this.sessions.push(session);
    return session;
  }

  async finishTest(test: Mocha.Test | undefined): Promise<void> {
    const sessions = this.sessions;
    this.sessions = [];
    const failed = test?.state === 'failed';
    const title = test?.fullTitle() ?? 'unknown';
    for (const s of sessions) {
      try {
        const paths = await s.saveArtifacts(title, failed);
        if (failed) for (const p of paths) console.log(`      artifact: ${p}`);
      } finally {
        await s.close();
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Helpers used by the scenarios

/** The bootstrap payload embedded in an HTML document (null when the page has none). */
export function bootstrapIn(html: string): BootstrapPayload | null {
  const m = new RegExp(`<script[^>]*id="${BOOTSTRAP_ELEMENT_ID}"[^>]*>([\\s\\S]*?)</script>`).exec(html);
  if (!m) return null;
  return JSON.parse(m[1]!) as BootstrapPayload;
}

/** Keys and values of sessionStorage and localStorage of a page, for looking for tokens left behind. */
export async function browserStorage(page: Page): Promise<Array<{ area: string; key: string; value: string }>> {
  return page.evaluate(() => {
    const out: Array<{ area: string; key: string; value: string }> = [];
    for (const [area, storage] of [
      ['sessionStorage', window.sessionStorage],
      ['localStorage', window.localStorage],
    ] as const) {
      for (let i = 0; i < storage.length; i++) {
        const key = storage.key(i)!;
        out.push({ area, key, value: storage.getItem(key) ?? '' });
      }
    }
    return out;
  });
}

export function writeJsonArtifact(name: string, value: unknown): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = join(ARTIFACTS_DIR, name);
  writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
  return file;
}
