// A browser session: one fresh context (fresh profile), with everything it did recorded, queries over that record,
// the sign-in actions the scenarios share, and its artifacts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, ConsoleMessage, Page, Request } from 'playwright-core';
import type { BootstrapPayload } from '../../../shared-types/bootstrap';
import { slug } from './artifacts';
import { bootstrapIn } from './pageHelpers';
import { ARTIFACTS_DIR } from './prerequisites';
import { isCspViolation, redactForm, redactUrl, type ConsoleLine, type RecordedRequest } from './record';
import type { Stack } from './stack';

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
  readonly documents: Array<{
    t: number;
    at: number;
    tab: number;
    url: string;
    bootstrap: Promise<BootstrapPayload | null>;
  }> = [];
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
        console.error(
          `securitypolicyviolation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} in ${e.sourceFile || e.documentURI}`,
        );
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
      this.documents.push({
        t: now(),
        at: Date.now(),
        tab,
        url: res.url(),
        bootstrap: res.text().then(bootstrapIn, () => null),
      });
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
    return this.since(mark).filter(
      (r) =>
        r.navigation &&
        r.mainFrame &&
        this.isAuthority(r) &&
        new URL(r.url).pathname.endsWith('/oauth2/v2.0/authorize'),
    );
  }

  /** Every request the browser itself sent to the authority's token endpoint (CORS preflights excluded). */
  tokenRequests(mark = 0): RecordedRequest[] {
    return this.since(mark).filter(
      (r) => r.method === 'POST' && this.isAuthority(r) && new URL(r.url).pathname.endsWith('/oauth2/v2.0/token'),
    );
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
    await page.waitForURL((url) => url.origin === new URL(this.appUrl).origin && !url.pathname.startsWith('/auth/'), {
      timeout: 20_000,
    });
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
    return `${cookie.name}=${cookie.value}${cookies
      .filter((c) => c.name === `${name}.sig`)
      .map((c) => `; ${c.name}=${c.value}`)
      .join('')}`;
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
