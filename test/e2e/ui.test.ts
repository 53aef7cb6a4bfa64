// Scenario 10: the UI people see, on every page, at 1280 px and on a 390×844 phone: no horizontal overflow, axe-core
// clean (WCAG 2.1 AA), a title per page, one sign-in/out button per screen, the account in the header, a real Home.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { expectNoProblems, signInToProfile, USERS } from './flows';
import { openSession, stack } from './setup';
import { axeViolations, horizontalOverflow, screenshot, VIEWPORTS, type ViewportName } from './uiChecks';

interface PageCase {
  path: string;
  title: string;
  /** What shows once the page has its data (signed in). */
  ready: (page: Page) => Promise<void>;
}

const PAGES: PageCase[] = [
  {
    path: '/',
    title: 'Home · Hybrid SPA',
    ready: (p) => p.locator('[data-testid="auth-status"][data-status="authenticated"]').waitFor(),
  },
  { path: '/profile', title: 'Profile · Hybrid SPA', ready: (p) => p.getByTestId('contact-item').first().waitFor() },
  { path: '/mail', title: 'Mail · Hybrid SPA', ready: (p) => p.getByTestId('mail-item').first().waitFor() },
  { path: '/mail/send', title: 'Send mail · Hybrid SPA', ready: (p) => p.getByTestId('send-button').waitFor() },
  { path: '/secret', title: 'Secret · Hybrid SPA', ready: (p) => p.getByTestId('secret-value').waitFor() },
  { path: '/no-such-page', title: 'Page not found · Hybrid SPA', ready: (p) => p.getByTestId('not-found').waitFor() },
];

const slugOf = (path: string) => path.replace(/^\/$/, 'home').replace(/^\//, '').replace(/\//g, '-');

/** Loads `path` at `viewport` and checks what every page owes every user. Returns the problems found. */
async function checkPage(
  page: Page,
  appUrl: string,
  c: PageCase,
  viewport: ViewportName,
  signedIn: boolean,
): Promise<string[]> {
  await page.setViewportSize(VIEWPORTS[viewport]);
  await page.goto(`${appUrl}${c.path}`);
  if (signedIn) await c.ready(page);
  else if (c.path === '/no-such-page') await page.getByTestId('not-found').waitFor();
  else
    await page
      .locator('[data-testid="sign-in-prompt"], [data-testid="auth-status"][data-status="signed_out"]')
      .first()
      .waitFor();
  await page.waitForFunction((t) => document.title === t, c.title, { timeout: 5_000 }).catch(() => undefined);
  const where = `${c.path} (${viewport}, ${signedIn ? 'signed in' : 'signed out'})`;
  const problems: string[] = [];

  const title = await page.title();
  if (title !== c.title) problems.push(`${where}: title "${title}", expected "${c.title}"`);

  const overflow = await horizontalOverflow(page);
  if (overflow.overflowPx > 0)
    problems.push(`${where}: ${overflow.overflowPx}px horizontal overflow (${overflow.offenders.join(', ')})`);

  const signIn = await page.getByTestId('sign-in-button').count();
  const signOut = await page.getByTestId('sign-out-button').count();
  const expected = signedIn ? { signIn: 0, signOut: 1 } : { signIn: 1, signOut: 0 };
  if (signIn !== expected.signIn || signOut !== expected.signOut) {
    problems.push(
      `${where}: ${signIn} Sign in and ${signOut} Sign out buttons, expected ${expected.signIn} and ${expected.signOut}`,
    );
  }

  for (const v of await axeViolations(page))
    problems.push(`${where}: axe ${v.id} (${v.impact}): ${v.help} — ${v.targets.slice(0, 3).join('; ')}`);
  await screenshot(page, `${signedIn ? 'in' : 'out'}-${slugOf(c.path)}-${VIEWPORTS[viewport].width}`);
  return problems;
}

describe('e2e: UI on desktop and mobile', function () {
  this.timeout(240_000);

  it('10a. signed out: every page fits a 390 px phone and 1280 px, is axe-clean, has its own title and exactly one Sign in button', async () => {
    const session = await openSession('anonymous-pages');
    const problems: string[] = [];
    for (const viewport of ['desktop', 'mobile'] as const) {
      for (const c of PAGES) problems.push(...(await checkPage(session.page, session.appUrl, c, viewport, false)));
    }
    expect(problems).to.deep.equal([]);
    // Home for a stranger says what the app is for, and links to what it does.
    await session.page.goto(`${session.appUrl}/`);
    await session.page.getByTestId('home-features').waitFor();
    expect(await session.page.getByTestId('home-features').getByRole('link').allTextContents()).to.deep.equal([
      'Your profile',
      'Mail',
      'Send mail',
      'Secret',
    ]);
    expect(
      await session.page.getByTestId('about-sign-in').evaluate((el) => (el as HTMLDetailsElement).open),
      'diagnostics folded',
    ).to.equal(false);
    expect(await session.page.getByTestId('token-source').getAttribute('data-source'), 'no token yet').to.equal('');
    expectNoProblems(session);
  });

  it('10b. signed in: every page fits a 390 px phone and 1280 px, is axe-clean, has its own title and exactly one Sign out button', async () => {
    const session = await openSession('adele-pages');
    await signInToProfile(session, 'adele');
    const problems: string[] = [];
    for (const viewport of ['desktop', 'mobile'] as const) {
      for (const c of PAGES) problems.push(...(await checkPage(session.page, session.appUrl, c, viewport, true)));
    }
    expect(problems).to.deep.equal([]);
    expectNoProblems(session);
  });

  it('10c. Home greets the user, links to each feature, and folds the sign-in diagnostics into "About this sign-in"', async () => {
    const session = await openSession('adele-home');
    await signInToProfile(session, 'adele');
    const page = session.page;
    await page.getByTestId('nav-home').click();
    await page.locator('[data-testid="auth-status"][data-status="authenticated"]').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Hello, Adele');
    expect(await page.getByTestId('home-user').textContent()).to.equal(`${USERS.adele.name} (${USERS.adele.username})`);

    const about = page.getByTestId('about-sign-in');
    expect(await about.evaluate((el) => (el as HTMLDetailsElement).open), 'diagnostics folded').to.equal(false);
    expect(await page.getByTestId('token-source').isVisible()).to.equal(false);
    await about.locator('summary').click();
    expect(await page.getByTestId('token-source').isVisible()).to.equal(true);
    expect(await page.getByTestId('token-source').getAttribute('data-source')).to.equal('hybrid_code');
    expect(await page.getByTestId('granted-scopes').textContent()).to.contain('User.Read');

    // Links navigate inside the SPA (no page load).
    const mark = session.mark();
    await page.getByTestId('home-link-mail').click();
    await page.getByTestId('mail-item').first().waitFor();
    expect(
      session.since(mark).filter((r) => r.navigation && r.mainFrame),
      'document loads',
    ).to.deep.equal([]);
    expectNoProblems(session);
  });

  it('10d. the header shows the account, marks guests and personal accounts, and the favicon is served', async () => {
    const expectations = [
      { user: 'adele', kind: null },
      { user: 'gina', kind: 'guest' },
      { user: 'pat', kind: 'personal account, guest' },
    ] as const;
    for (const { user, kind } of expectations) {
      const session = await openSession(`${user}-header`);
      await session.page.goto(`${session.appUrl}/`);
      await session.page.getByTestId('auth-status').waitFor();
      await session.signIn(session.page, user);
      await session.page.getByTestId('header-user').waitFor();
      const account = (await session.page.getByTestId('header-account').textContent()) ?? '';
      expect(await session.page.getByTestId('header-guest').count(), `${user}: guest tag`).to.equal(kind ? 1 : 0);
      if (kind) expect(await session.page.getByTestId('header-guest').textContent()).to.equal(kind);
      expect(account, `${user}: account in the header`).to.match(/@/);
      await session.close();
    }
    const res = await fetch(`${stack().appUrl}/favicon.svg`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/svg/);
    const html = await (await fetch(`${stack().appUrl}/`)).text();
    expect(html).to.match(/<link rel="icon" href="\/favicon.svg">/);
  });
});
