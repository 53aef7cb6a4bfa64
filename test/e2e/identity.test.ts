// Scenario 12: enterprise identity in the browser — CAE revocation while reading mail (re-authentication, no loop, no
// data after revocation), a disabled account (clear signed-out state), and a user without the Secrets.Read role.
import { expect } from 'chai';
import { expectNoProblems, signInToProfile } from './flows';
import { openSession, stack } from './setup';
import { screenProblems } from './uiChecks';

describe('e2e: enterprise identity', () => {
  it('12a. sessions revoked while on the Mail page: the next call re-authenticates with the claims, once, and mail shows again', async () => {
    const session = await openSession('adele-cae');
    await signInToProfile(session, 'adele');
    const page = session.page;
    const admin = stack().emulator.admin;
    await page.getByTestId('nav-mail').click();
    await page.getByTestId('mail-item').first().waitFor();

    admin.advance(2_000);
    admin.revokeSessions('adele');
    admin.clearRequests();
    const mark = session.mark();
    await page.getByTestId('mail-next').click();
    // The BFF's Graph token was revoked: a claims sign-in through /auth/consent; the emulator session ended as well.
    await session.pickAccount(page, 'adele');
    await page.waitForURL((url) => url.origin === new URL(session.appUrl).origin && url.pathname === '/mail', {
      timeout: 20_000,
    });
    await page.getByTestId('mail-item').first().waitFor();
    expect(await page.getByTestId('mail-item').count()).to.equal(10);

    const consent = session.appAuthNavigations(mark, 'consent');
    expect(consent, 'claims re-authentications').to.have.length(1);
    expect(new URL(consent[0]!.url).searchParams.get('claims')).to.match(/"nbf"/);
    expect(session.authorizeNavigations(mark).length, '/authorize navigations (no loop)').to.be.at.most(2);
    // Graph gave no mail to the revoked token: the first answer after the revocation is the challenge.
    const graph = admin.requests({ service: 'graph', pathIncludes: '/me/messages' }).map((r) => r.status);
    expect(graph[0], 'first Graph answer after revocation').to.equal(401);
    expect(graph.filter((s) => s === 200).length, 'mail served after re-authentication').to.be.greaterThan(0);
    expect(
      graph.slice(0, graph.indexOf(200)).every((s) => s === 401),
      'no mail before re-authentication',
    ).to.equal(true);
    expectNoProblems(session);
  });

  it('12b. a disabled account: the Mail page shows a clear signed-out state, no redirect loop, no mail', async () => {
    const session = await openSession('adele-disabled');
    await signInToProfile(session, 'adele');
    const page = session.page;
    const admin = stack().emulator.admin;
    await page.getByTestId('nav-mail').click();
    await page.getByTestId('mail-item').first().waitFor();

    admin.disableUser('adele');
    const mark = session.mark();
    await page.getByTestId('mail-next').click();
    await page.getByTestId('account-disabled-banner').waitFor();
    expect(await page.getByTestId('account-disabled-banner').textContent()).to.match(/disabled/i);
    expect(await page.getByTestId('mail-item').count(), 'mail shown after the account was disabled').to.equal(0);
    expect(session.authorityNavigations(mark), 'navigations to the authority').to.deep.equal([]);
    expectNoProblems(session);
  });

  it('12c. gina (guest, no Secrets.Read role) sees the Secret page explain why, not an error banner', async () => {
    const session = await openSession('gina-roles');
    const page = session.page;
    await page.goto(`${session.appUrl}/secret`);
    await page.getByTestId('sign-in-prompt').waitFor();
    await session.signIn(page, 'gina');
    await page.getByTestId('secret-role-missing').waitFor();
    expect(await page.getByTestId('secret-role-missing').textContent()).to.include('Secrets.Read');
    expect(await page.getByTestId('error-banner').count()).to.equal(0);
    expect(await page.getByTestId('secret-value').count()).to.equal(0);
    expect(stack().emulator.admin.requests({ service: 'keyvault' }), 'vault reads').to.deep.equal([]);
    // The explanation fits a phone and the desktop and is accessible.
    expect(await screenProblems(page, 'in-secret-role-missing')).to.deep.equal([]);
    expect(await page.getByTestId('secret-role-missing').isVisible()).to.equal(true);
    expectNoProblems(session);
  });
});
