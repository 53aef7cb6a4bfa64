// Scenarios 3 and 4: an expired access token is refreshed silently; a revoked refresh token falls back to a redirect.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { BrowserSession } from './harness';
import { expectNoProblems, expectProfileOf, homeFacts, signInToProfile } from './flows';
import { openSession, stack } from './setup';

const TWO_HOURS = 2 * 60 * 60 * 1000;
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

/** The resource scopes of a token request's `scope` field, sorted and space-joined. */
function resourceScopes(scope: string | undefined): string {
  return (scope ?? '')
    .split(' ')
    .filter((s) => s && !OIDC_SCOPES.has(s))
    .sort()
    .join(' ');
}

/**
 * Leaves the profile page, moves both clocks (emulator and browser) past the access token's expiry, and comes back,
 * so the profile's Graph queries run again ("the next Graph call"). The browser's due timers fire on the jump, which
 * drops RTK Query's unused cache entries just like a tab left open for two hours would.
 */
async function comeBackAfterExpiry(session: BrowserSession, page: Page): Promise<number> {
  await page.getByTestId('nav-home').click();
  await page.getByTestId('auth-status').waitFor();
  stack().emulator.admin.advance(TWO_HOURS);
  await page.clock.fastForward(TWO_HOURS);
  const mark = session.mark();
  await page.getByTestId('nav-profile').click();
  return mark;
}

describe('e2e: token lifetime', () => {
  it('3. after the access token expires the next Graph calls refresh silently: exactly one refresh-token request, no navigation', async () => {
    const session = await openSession('adele', { clock: true });
    await signInToProfile(session, 'adele');
    const page = session.page;

    const mark = await comeBackAfterExpiry(session, page);
    await expectProfileOf(page, 'adele');

    // The profile page asks Graph for /me, the photo and the contacts at once; they share one token for the SPA's
    // scopes, so one refresh-token request renews it.
    const tokens = session.tokenRequests(mark);
    expect(
      tokens.map((t) => t.form?.grant_type),
      'grant types after expiry',
    ).to.deep.equal(['refresh_token']);
    expect(resourceScopes(tokens[0]!.form?.scope), 'refreshed scopes').to.equal('Contacts.Read User.Read');
    expect(
      tokens.map((t) => t.status),
      'refresh responses',
    ).to.deep.equal(tokens.map(() => 200));
    expect(
      session.since(mark).filter((r) => r.navigation),
      'navigations',
    ).to.deep.equal([]);
    expect(session.childFrames, 'hidden iframes').to.deep.equal([]);
    const refreshes = stack()
      .emulator.admin.requests({ service: 'entra', pathIncludes: '/oauth2/v2.0/token' })
      .filter((r) => r.form?.grant_type === 'refresh_token');
    expect(refreshes, 'refresh requests seen by the emulator').to.have.length(tokens.length);
    expect(
      refreshes.every((r) => r.flags.hasOrigin),
      'all sent by the browser',
    ).to.equal(true);
    const graphCalls = session.since(mark).filter((r) => r.url.startsWith(new URL(stack().emulator.urls.graph).origin));
    expect(
      graphCalls.map((r) => r.status),
      'Graph answers after the refresh',
    ).to.deep.equal(graphCalls.map(() => 200));
    expect(await homeFacts(page)).to.include({ status: 'authenticated' });
    expectNoProblems(session);
  });

  it('4. when the refresh token is revoked and the access token expired, the app falls back to a redirect and comes back signed in', async () => {
    const session = await openSession('adele', { clock: true });
    await signInToProfile(session, 'adele');
    const page = session.page;
    expect(stack().emulator.admin.revokeRefreshTokens('adele'), 'refresh tokens revoked').to.be.greaterThan(0);

    const mark = await comeBackAfterExpiry(session, page);
    await expectProfileOf(page, 'adele');

    // The refresh was refused, then exactly one top-level redirect to /authorize with the login hint, and back.
    const tokens = session.tokenRequests(mark);
    expect(tokens[0]?.form?.grant_type).to.equal('refresh_token');
    expect(tokens[0]?.status, 'refresh with a revoked token').to.equal(400);
    const authorize = session.authorizeNavigations(mark);
    expect(authorize, '/authorize navigations').to.have.length(1);
    expect(new URL(authorize[0]!.url).searchParams.get('login_hint'), 'login hint').to.be.a('string').and.not.empty;
    // No account picker: the emulator's session signed the user straight back in.
    expect(
      session
        .authorityNavigations(mark)
        .map((r) => new URL(r.url).pathname)
        .filter((p) => p.endsWith('/login')),
      'sign-in page posts',
    ).to.deep.equal([]);
    // The redirect's code was redeemed by the browser (auth code + PKCE), once.
    const redemptions = tokens.filter((t) => t.form?.grant_type === 'authorization_code');
    expect(redemptions, 'code redemptions').to.have.length(1);
    expect(redemptions[0]!.form).to.include.keys('code_verifier', 'redirect_uri');
    expect(session.childFrames, 'hidden iframes').to.deep.equal([]);
    expect(session.popups, 'popups').to.deep.equal([]);

    expect(await homeFacts(page)).to.include({ status: 'authenticated', source: 'redirect' });
    expectNoProblems(session);
  });
});
