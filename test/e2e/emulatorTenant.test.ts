// The emulator as a local Entra tenant for any hybrid app: a foreign app registered from a config file signs in with
// unmodified msal-node + msal-browser; front-channel logout reaches the BFF on its real port; the pages at phone width.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../../shared-types/api';
import { startEmulator, type RunningEmulator } from '../../emulator/index';
import { signInToProfile } from './flows';
import { startForeignApp, type ForeignApp } from './foreignApp/server';
import { ARTIFACTS_DIR, freePort, ROOT_DIR } from './harness';
import { openSession, stack } from './setup';

const NORTHWIND_CLIENT_ID = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';

describe('e2e: the emulator as a tenant for any app', () => {
  describe('a foreign app registered from a config file', () => {
    let emulator: RunningEmulator;
    let app: ForeignApp;
    before(async () => {
      const port = await freePort();
      const secret = 'northwind-secret-for-tests';
      // The emulator starts from the config file alone (plus the variables it names).
      emulator = await startEmulator({
        rootDir: ROOT_DIR,
        ports: { entra: 0, graph: 0, keyVault: 0, managedIdentity: 0 },
        configPath: join(ROOT_DIR, 'test/e2e/foreignApp/northwind.config.json'),
        variables: { NORTHWIND_URL: `http://localhost:${port}`, NORTHWIND_SECRET: secret },
      });
      app = await startForeignApp({
        port,
        clientId: NORTHWIND_CLIENT_ID,
        secret,
        authority: emulator.urls.authority,
        graph: emulator.urls.graph,
        rootDir: ROOT_DIR,
        paths: { signIn: '/signin-oidc', spa: '/portal/spa' },
      });
    });
    after(async () => {
      await app?.close();
      await emulator?.close();
    });

    it('runs a hybrid sign-in: msal-node redeems with a spa_code, msal-browser (its own bundle) redeems it and refreshes', async () => {
      expect(emulator.clientId).to.equal(NORTHWIND_CLIENT_ID);
      const context = await stack().browser.newContext({ viewport: { width: 1100, height: 800 } });
      try {
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        const tokenPosts: { origin: string | undefined; status?: number }[] = [];
        page.on('requestfinished', (req) => {
          if (req.method() === 'POST' && req.url().startsWith(`${emulator.urls.authority}/oauth2/v2.0/token`)) {
            void Promise.all([req.allHeaders(), req.response()]).then(([headers, res]) =>
              tokenPosts.push({ origin: headers.origin, status: res?.status() }),
            );
          }
        });
        await page.goto(`${app.url}/`);
        await page.locator('#signin').click();
        await page.waitForURL((url) => url.origin === emulator.urls.instance, { timeout: 20_000 });
        expect(await page.locator('#appName').first().textContent()).to.equal('Northwind Portal');
        await page.locator('#tile-nadia').click();
        await page.waitForURL(`${app.url}/portal/spa`, { timeout: 20_000 });
        await page.locator('#status', { hasText: /^(signed-in|refresh-failed|error)/ }).waitFor({ timeout: 20_000 });
        expect(await page.locator('#status').textContent(), errors.join('\n')).to.equal('signed-in');
        expect(await page.locator('#who').textContent()).to.equal('Nadia Northwind <nadia@northwind.example>');
        expect(app.events).to.deep.equal([{ user: 'nadia@northwind.example', spaCode: true }]);
        // The browser's two token requests (spa_code, then refresh) came from the app's origin and succeeded.
        await page.waitForTimeout(200);
        expect(tokenPosts.map((p) => p.origin)).to.deep.equal([app.url, app.url]);
        expect(tokenPosts.map((p) => p.status)).to.deep.equal([200, 200]);
      } finally {
        await context.close();
      }
    });
  });

  it('front-channel logout at the identity provider reaches the BFF on its actual (non-3000) port and ends its session', async () => {
    const { appUrl, emulator } = stack();
    expect(new URL(appUrl).port).to.not.equal('3000');
    const registered = emulator.seed.apps[0]!.frontChannelLogoutUrl;
    expect(registered).to.equal(`${appUrl}/auth/frontchannel-logout`);
    const session = await openSession('adele-frontchannel');
    await signInToProfile(session, 'adele');
    const cookie = await session.sessionCookie();
    const me = () =>
      fetch(`${appUrl}/api/me`, { headers: { cookie, [CSRF_HEADER]: CSRF_HEADER_VALUE }, redirect: 'manual' });
    expect((await me()).status).to.equal(200);
    // Sign out at the emulator directly (as from another app or the account portal), not through the BFF.
    const mark = session.mark();
    await session.page.goto(`${emulator.urls.authority}/oauth2/v2.0/logout`);
    await session.page.locator('#signOutHeader').waitFor();
    const deadline = Date.now() + 10_000;
    let status = 200;
    while (Date.now() < deadline && (status = (await me()).status) === 200)
      await new Promise((r) => setTimeout(r, 200));
    expect(status, '/api/me after front-channel logout').to.equal(401);
    const frames = session.since(mark).filter((r) => r.url.startsWith(`${appUrl}/auth/frontchannel-logout?`));
    expect(frames, 'iframe request to the BFF').to.have.length(1);
    expect(frames[0]!.status).to.equal(200);
  });

  describe('the emulator pages at phone and desktop width', () => {
    /** Words of the footer that the browser split across lines. */
    const splitWords = (page: Page) =>
      page.evaluate(() => {
        const el = document.querySelector('.small');
        const text = el?.firstChild;
        if (!text || text.nodeType !== Node.TEXT_NODE) return ['(no footer text)'];
        const split: string[] = [];
        const value = text.textContent ?? '';
        for (const m of value.matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(text, m.index);
          range.setEnd(text, m.index + m[0].length);
          const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
          if (tops.size > 1) split.push(m[0]);
        }
        return split;
      });

    for (const width of [390, 1280]) {
      it(`at ${width} px: the picker has an h1 inside main, and its footer wraps between words only (screenshot saved)`, async () => {
        const { emulator } = stack();
        const context = await stack().browser.newContext({ viewport: { width, height: 844 } });
        try {
          const page = await context.newPage();
          const q = new URLSearchParams({
            client_id: emulator.clientId,
            redirect_uri: stack().config.entra.redirectUri,
            response_type: 'code',
            scope: 'openid User.Read',
          });
          await page.goto(`${emulator.urls.authority}/oauth2/v2.0/authorize?${q}`);
          await page.locator('#tile-adele').waitFor();
          expect(await page.locator('main h1').textContent()).to.equal('Pick an account');
          expect(await page.getByRole('heading', { level: 1 }).count()).to.equal(1);
          expect(await page.getByRole('main').count()).to.equal(1);
          expect(await splitWords(page)).to.deep.equal([]);
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
          );
          expect(overflow, 'horizontal overflow (px)').to.equal(0);
          mkdirSync(ARTIFACTS_DIR, { recursive: true });
          await page.screenshot({ path: join(ARTIFACTS_DIR, `emulator-picker-${width}.png`), fullPage: true });
        } finally {
          await context.close();
        }
      });
    }
  });
});
