// Scenarios 7a and 7b: the SPA gets its own token without a spa code (a second tab; an account that gets no spa code).
import { expect } from 'chai';
import { expectNoProblems, expectProfileOf, homeFacts, signInToProfile } from './flows';
import { openSession } from './setup';

describe('e2e: no spa code to redeem', () => {
  it('7a. a second tab opened after sign-in ends signed in with data (fresh-code route or silent), without showing the sign-in page', async () => {
    const session = await openSession('adele');
    await signInToProfile(session, 'adele');

    const mark = session.mark();
    const documentsBefore = session.documents.length;
    const tab = await session.newTab();
    await tab.goto(`${session.appUrl}/profile`);
    await expectProfileOf(tab, 'adele');

    const loaded = session.documents.slice(documentsBefore);
    expect((await loaded[0]!.bootstrap)?.spaCode, "the second tab's first bootstrap").to.equal(null);
    // Any trip to the authority was a prompt=none /authorize answered with a redirect: no page was shown.
    const authority = session.authorityNavigations(mark);
    for (const r of authority) {
      const url = new URL(r.url);
      expect(url.pathname, `authority navigation ${url.pathname}`).to.match(/\/oauth2\/v2\.0\/authorize$/);
      expect(url.searchParams.get('prompt'), 'prompt').to.equal('none');
      expect(r.status, 'authorize answered with a redirect').to.equal(302);
    }
    const facts = await homeFacts(tab);
    expect(facts.status).to.equal('authenticated');
    expect(facts.source, 'token source').to.be.oneOf(['fresh_code', 'silent']);
    console.log(`      second tab: token from ${facts.source}, ${authority.length} prompt=none round trip(s)`);
    if (facts.source === 'fresh_code')
      expect(session.appAuthNavigations(mark, 'spa-code'), 'fresh-code route').to.have.length(1);
    // The first tab is unaffected.
    await session.page.reload();
    await expectProfileOf(session.page, 'adele');
    expect(session.childFrames, 'hidden iframes').to.deep.equal([]);
    expectNoProblems(session);
  });

  it('7b. a personal account that gets no hybrid spa code still ends with profile data through a fallback', async () => {
    const session = await openSession('pat');
    const { callbackAt } = await signInToProfile(session, 'pat');

    const landing = session.documents.find((d) => d.at >= callbackAt - 50) ?? session.documents.at(-1)!;
    expect((await landing.bootstrap)?.spaCode, 'spa code for a personal account').to.equal(null);
    const facts = await homeFacts(session.page);
    expect(facts.status).to.equal('authenticated');
    expect(facts.source, 'token source').to.be.oneOf(['fresh_code', 'redirect']);
    console.log(
      `      personal account: token from ${facts.source}, ${session.authorizeNavigations().length} /authorize navigation(s)`,
    );
    if (facts.source === 'redirect') {
      const authorize = session.authorizeNavigations();
      expect(
        new URL(authorize.at(-1)!.url).searchParams.get('login_hint'),
        'login hint on the fallback redirect',
      ).to.be.a('string').and.not.empty;
    }
    expect(await session.page.getByTestId('error-banner').count(), 'error banners').to.equal(0);
    expect(session.childFrames, 'hidden iframes').to.deep.equal([]);
    expectNoProblems(session);
  });
});
