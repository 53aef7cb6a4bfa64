// Scenario 11: UI behaviour in the browser — the shell paints before msal-browser has arrived, mail paging says it is
// loading, the send form checks an empty message itself, and outages read as messages for users with a reference.
import { expect } from 'chai';
import { expectNoProblems, signInToProfile } from './flows';
import { openSession, stack } from './setup';

describe('e2e: UI behaviour', function () {
  this.timeout(120_000);

  it('11a. the shell ("Signing you in…") paints while msal-browser is still downloading, which is fetched once (the preload is reused)', async () => {
    const session = await openSession('adele-shell');
    await signInToProfile(session, 'adele');
    const page = session.page;
    // Hold msal-browser's chunk back: the header and the "Signing you in…" line must not wait for it.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/msal\.[0-9a-f]+\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    const mark = session.mark();
    // Not until "load": that waits for the held preload too.
    await page.goto(`${session.appUrl}/`, { waitUntil: 'domcontentloaded' });
    await page.getByTestId('app-shell').waitFor();
    expect(await page.getByTestId('app-shell').textContent()).to.contain('Signing you in…');
    expect(await page.getByTestId('header-user').textContent()).to.equal('Adele Vance');
    const msalRequests = session.since(mark).filter((r) => /\/msal\.[0-9a-f]+\.js$/.test(r.url));
    expect(msalRequests.length, 'msal chunk requested (preloaded with the page)').to.be.greaterThan(0);
    release();
    await page.locator('[data-testid="auth-status"][data-status="authenticated"]').waitFor();
    // The preload is reused: msal-browser is fetched once, not again when the app asks for it.
    const fetched = session.since(mark).filter((r) => /\/msal\.[0-9a-f]+\.js$/.test(r.url) && r.status === 200);
    expect(fetched, 'msal chunk downloads').to.have.length(1);
    expectNoProblems(session);
  });

  it('11b. mail: switching pages says "Loading page 2…" over the dimmed page 1; dates have no seconds; unread is said in words', async () => {
    const session = await openSession('adele-mail-pages');
    await signInToProfile(session, 'adele');
    const page = session.page;
    await page.getByTestId('nav-mail').click();
    await page.getByTestId('mail-item').first().waitFor();
    expect(await page.getByTestId('mail-page').textContent()).to.equal('Page 1');
    const dates = await page.locator('[data-testid="mail-item"] time').allTextContents();
    expect(
      dates.filter((d) => /\d:\d\d:\d\d/.test(d)),
      'dates with seconds',
    ).to.deep.equal([]);
    const unread = await page.locator('[data-testid="mail-item"][data-unread="true"]').count();
    expect(unread, 'unread messages on page 1').to.be.greaterThan(0);
    expect(await page.getByTestId('mail-unread').count(), '"Unread" labels').to.equal(unread);

    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/mail?top=10&skip=10', async (route) => {
      await held;
      await route.continue();
    });
    await page.getByTestId('mail-next').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="mail-page"]')?.textContent === 'Loading page 2…',
    );
    expect(await page.getByTestId('mail-list').getAttribute('aria-busy')).to.equal('true');
    expect(await page.getByTestId('mail-list').getAttribute('class')).to.contain('list--stale');
    release();
    await page.waitForFunction(() => document.querySelector('[data-testid="mail-page"]')?.textContent === 'Page 2');
    expect(await page.getByTestId('mail-list').getAttribute('aria-busy')).to.equal('false');
    expectNoProblems(session);
  });

  it('11c. send mail: an empty message is caught by the form, named by its label, and nothing is sent', async () => {
    const session = await openSession('adele-send-empty');
    await signInToProfile(session, 'adele');
    const page = session.page;
    await page.getByTestId('nav-send-mail').click();
    await page.getByTestId('send-to').fill('megan.bowen@contoso.example');
    await page.getByTestId('send-subject').fill('No body');
    const mark = session.mark();
    await page.getByTestId('send-button').click();
    await page.getByTestId('send-problem').waitFor();
    expect(await page.getByTestId('send-problem').textContent()).to.equal('Message: write a message.');
    expect(await page.getByTestId('send-body').getAttribute('aria-invalid')).to.equal('true');
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('mail-body');
    expect(
      session.since(mark).filter((r) => r.url.includes('/api/mail/send')),
      'requests to send',
    ).to.deep.equal([]);
    expectNoProblems(session);
  });

  it('11d. outages read as messages for users: what happened, what to do, a reference for support — no operator settings, no countdown', async () => {
    const session = await openSession('adele-outages');
    await signInToProfile(session, 'adele');
    const page = session.page;
    const admin = stack().emulator.admin;

    admin.fail({ endpoint: 'keyvault', status: 503, times: 20 });
    await page.getByTestId('nav-secret').click();
    const banner = page.getByTestId('error-banner');
    await banner.waitFor({ timeout: 30_000 });
    const secretText = (await banner.textContent()) ?? '';
    expect(secretText).to.match(/not (responding|available) right now/);
    expect(secretText).not.to.match(/IDENTITY_|Key Vault returned|\(retry in/);
    expect(await page.getByTestId('error-reference').textContent()).to.match(/^[\w-]{8,64}$/);
    admin.clearFaults();

    // Graph down for the browser's own calls: the page blames Graph, not the user's connection or the server.
    await page.route(`${new URL(stack().emulator.urls.graph).origin}/**`, (route) => route.abort('connectionrefused'));
    await page.goto(`${session.appUrl}/profile`); // a fresh load: no Graph data cached in the store
    await page.getByTestId('error-banner').first().waitFor({ timeout: 30_000 });
    const profileText = (await page.getByTestId('error-banner').first().textContent()) ?? '';
    expect(profileText).to.contain('Could not reach Microsoft Graph');
    expect(profileText).not.to.contain('Could not reach the server');
  });
});
