// Scenarios 5, 6 and 7: two users side by side, sign-out, and a hostile display name.
import { expect } from 'chai';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../../shared-types/api';
import { browserStorage } from './harness';
import { contactNames, expectNoProblems, profileName, signInToProfile, USERS, waitForProfile } from './flows';
import { openSession, stack } from './setup';

/** Mail subjects of the first page, as rendered. */
async function mailSubjects(page: import('playwright-core').Page): Promise<string[]> {
  await page.getByTestId('nav-mail').click();
  await page.getByTestId('mail-item').first().waitFor({ timeout: 30_000 });
  return page.getByTestId('mail-subject').allTextContents();
}

describe('e2e: sessions', () => {
  it('6. sign-out ends the server partition (old cookie gets 401), leaves no tokens in browser storage and ends the emulator session', async () => {
    const session = await openSession('adele');
    await signInToProfile(session, 'adele');
    const page = session.page;
    const cookie = await session.sessionCookie();
    const api = (path: string) =>
      fetch(`${session.appUrl}${path}`, { headers: { cookie, [CSRF_HEADER]: CSRF_HEADER_VALUE }, redirect: 'manual' });
    expect((await api('/api/me')).status, '/api/me before sign-out').to.equal(200);

    const tokenKeys = (items: Awaited<ReturnType<typeof browserStorage>>) =>
      items.filter(
        (i) => /accesstoken|refreshtoken|idtoken/i.test(i.key) || /"secret"\s*:|eyJ[\w-]+\.eyJ/.test(i.value),
      );
    expect(tokenKeys(await browserStorage(page)), 'tokens in storage while signed in').to.not.be.empty;

    const mark = session.mark();
    await page.getByTestId('sign-out-button').click();
    await page.waitForURL((url) => url.origin === new URL(session.appUrl).origin && url.pathname === '/', {
      timeout: 20_000,
    });
    await page.getByTestId('auth-status').waitFor();
    expect(await page.getByTestId('auth-status').getAttribute('data-status')).to.equal('signed_out');
    expect(await page.getByTestId('sign-in-button').count(), 'sign-in buttons').to.be.greaterThan(0);

    // The server forgot the session: the old cookie is just a stranger now.
    expect((await api('/api/me')).status, '/api/me with the old cookie').to.equal(401);

    // Nothing token-like is left for this (or any) account in sessionStorage or localStorage.
    const account = USERS.adele.username;
    const left = await browserStorage(page);
    expect(tokenKeys(left), 'token entries left in browser storage').to.deep.equal([]);
    expect(
      left.filter((i) => i.value.includes(account) || i.key.includes(account)),
      'entries about the account',
    ).to.deep.equal([]);

    // The browser went through the emulator's end-session endpoint, and the emulator holds no session for adele.
    expect(session.authorityNavigations(mark).map((r) => new URL(r.url).pathname)).to.include(
      `/${stack().emulator.tenantId}/oauth2/v2.0/logout`,
    );
    expect(stack().emulator.admin.endSessions('adele'), 'emulator sessions left for adele').to.equal(0);
    // …which a person sees as the account picker on the next sign-in instead of being signed straight back in.
    await page.getByTestId('sign-in-button').first().click();
    await page.locator('#tilesHolder').waitFor();
    expectNoProblems(session);
  });

  it('7. a display name containing </script> renders as text and runs no script (no dialog, no console error)', async () => {
    const session = await openSession('bobby');
    await signInToProfile(session, 'bobby');
    const page = session.page;
    expect(await profileName(page)).to.equal(USERS.bobby.name);
    await page.getByTestId('profile-no-photo').waitFor();
    expect(await page.getByTestId('header-user').textContent()).to.equal(USERS.bobby.name);
    expect(await contactNames(page)).to.include('Eve <img src=x onerror=alert(2)>');
    // The markup stayed text: no injected elements anywhere in the document.
    expect(await page.locator('main script, header script, main img[src="x"]').count(), 'injected elements').to.equal(
      0,
    );
    // A reload renders the server-built bootstrap (which carries the name) again.
    await page.reload();
    await waitForProfile(page);
    expect(await profileName(page)).to.equal(USERS.bobby.name);
    // Mail subjects come through the BFF (server-side Graph call): markup in them stays text too.
    expect(await mailSubjects(page)).to.include('<script>alert("subject")</script>');

    expect(session.dialogs, 'dialogs').to.deep.equal([]);
    // Bobby has no photo: Graph's 404 for it is expected (the page shows the placeholder) and is the only error allowed.
    const errors = session
      .consoleErrors()
      .filter((c) => !(c.text.includes('404') && c.url.endsWith('/me/photo/$value')));
    expect(
      errors.map((c) => c.text),
      'console errors',
    ).to.deep.equal([]);
    expectNoProblems(session);
  });

  it('5. two users in two browser contexts side by side each see only their own name, contacts and mail', async () => {
    const [a, b] = await Promise.all([openSession('adele'), openSession('alex')]);
    await Promise.all([signInToProfile(a!, 'adele'), signInToProfile(b!, 'alex')]);

    // Interleave: each context reloads after the other signed in, and still sees only its own data.
    for (const [s, user, other] of [
      [a!, 'adele', 'alex'],
      [b!, 'alex', 'adele'],
    ] as const) {
      await s.page.reload();
      await waitForProfile(s.page);
      expect(await profileName(s.page), `${user}'s profile`).to.equal(USERS[user].name);
      expect(await contactNames(s.page), `${user}'s contacts`).to.have.members([...USERS[user].contacts]);
      expect(await s.page.getByTestId('header-user').textContent()).to.equal(USERS[user].name);
      expect(await s.page.getByTestId('profile-email').textContent(), `${user}'s e-mail`).to.equal(
        USERS[user].username,
      );
      expect(await profileName(s.page), `${user}'s profile`).to.not.equal(USERS[other].name);
    }

    const [mailA, mailB] = [await mailSubjects(a!.page), await mailSubjects(b!.page)];
    expect(mailA, "adele's mail").to.include('Q3 marketing plan review');
    expect(mailB, "alex's mail").to.include('Social media calendar');
    expect(
      mailA.filter((m) => mailB.includes(m)),
      'shared subjects',
    ).to.deep.equal([]);
    expectNoProblems(a!);
    expectNoProblems(b!);
  });
});
