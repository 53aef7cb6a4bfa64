import { expect } from 'chai';
import nock from 'nock';
import type { ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { Provider } from 'react-redux';
import { Layout } from '../../client/app/Layout';
import { Router } from '../../client/app/router';
import { sessionExpired } from '../../client/features/auth/authActions';
import { initializeAuth } from '../../client/features/auth/initializeAuth';
import { mailApi } from '../../client/features/mail/mailApi';
import { secretApi } from '../../client/features/secret/secretApi';
import { profileApi } from '../../client/features/profile/profileApi';
import HomePage from '../../client/features/home/HomePage';
import MailPage from '../../client/features/mail/MailPage';
import ProfilePage from '../../client/features/profile/ProfilePage';
import SecretPage from '../../client/features/secret/SecretPage';
import SendMailPage from '../../client/features/mail/SendMailPage';
import { FakeMsal, makeAccount, makeResult } from './helpers/fakeMsal';
import { buildTestStore, GRAPH_BASE_URL, HOME_ACCOUNT_ID, testBootstrap, type TestHarness } from './helpers/testStore';

function render(h: TestHarness, page: ReactNode, path = '/'): string {
  return renderToString(
    <Provider store={h.store}>
      <Router initialPath={path}>
        <Layout>{page}</Layout>
      </Router>
    </Provider>,
  );
}

async function signedIn(): Promise<TestHarness> {
  const msal = new FakeMsal({
    onCode: async (r) => makeResult(makeAccount(HOME_ACCOUNT_ID), r.scopes ?? []),
    onSilent: async (r) => makeResult(r.account!, r.scopes),
  });
  const h = buildTestStore({ msal });
  await h.store.dispatch(initializeAuth());
  return h;
}

const testIds = (html: string, id: string) => html.split(`data-testid="${id}"`).length - 1;

describe('pages (server-rendered)', () => {
  it('home greets the user, links to every feature and folds the token diagnostics into "About this sign-in"', async () => {
    const html = render(await signedIn(), <HomePage />);
    expect(html.match(/<h1>.*?<\/h1>/)?.[0], 'greets by first name').to.equal('<h1>Hello, User</h1>');
    expect(html).to.match(/data-testid="auth-status"[^>]*>Signed in</);
    for (const link of ['profile', 'mail', 'mail-send', 'secret'])
      expect(html).to.contain(`data-testid="home-link-${link}"`);
    const about = html.slice(html.indexOf('data-testid="about-sign-in"'));
    expect(html).to.match(/<details[^>]*data-testid="about-sign-in"/);
    expect(html).not.to.match(/<details[^>]*\bopen\b[^>]*data-testid="about-sign-in"/);
    expect(about).to.match(/<summary>About this sign-in<\/summary>/);
    expect(about).to.match(/data-testid="token-source"[^>]*>Hybrid spa code/);
    expect(html).to.contain('data-testid="header-user"');
  });

  it("has exactly one sign-in or sign-out button on every screen state (the header's, or the expired-session banner's)", async () => {
    const pages = {
      '/': <HomePage />,
      '/profile': <ProfilePage />,
      '/mail': <MailPage />,
      '/mail/send': <SendMailPage />,
      '/secret': <SecretPage />,
    };
    const anonymous = () => buildTestStore({ bootstrap: testBootstrap({ account: null, spaCode: null }) });
    const expired = () => {
      const h = buildTestStore();
      h.store.dispatch(sessionExpired());
      return h;
    };
    const failed = async () => {
      const h = buildTestStore({
        msal: new FakeMsal({ onCode: async (r) => makeResult(makeAccount('other.t'), r.scopes ?? []) }),
      });
      await h.store.dispatch(initializeAuth());
      return h;
    };
    const states: Array<[string, () => TestHarness | Promise<TestHarness>, { in: number; out: number }]> = [
      ['anonymous', anonymous, { in: 1, out: 0 }],
      ['signed in', signedIn, { in: 0, out: 1 }],
      ['session expired', expired, { in: 1, out: 0 }],
      ['sign-in error', failed, { in: 0, out: 1 }],
    ];
    for (const [state, make, expected] of states) {
      for (const [path, page] of Object.entries(pages)) {
        const html = render(await make(), page, path);
        expect(
          { in: testIds(html, 'sign-in-button'), out: testIds(html, 'sign-out-button') },
          `${state} ${path}`,
        ).to.deep.equal(expected);
      }
    }
  });

  it('the header shows the account and marks a guest', () => {
    const member = render(buildTestStore(), <HomePage />);
    expect(member).to.match(/data-testid="header-account"[^>]*>adele@contoso.test</);
    expect(member).not.to.contain('data-testid="header-guest"');
    const guestAccount = { ...testBootstrap().account!, homeAccountId: 'oid.aaaaaaaa-0000-0000-0000-000000000001' };
    const guest = render(buildTestStore({ bootstrap: testBootstrap({ account: guestAccount }) }), <HomePage />);
    expect(guest).to.match(/data-testid="header-guest"[^>]*>guest</);
  });

  it('profile renders /me and contacts as text (no markup injection)', async () => {
    const h = await signedIn();
    const graph = nock(GRAPH_BASE_URL)
      .get('/me')
      .reply(200, {
        id: '1',
        displayName: '<img src=x onerror=alert(1)>',
        userPrincipalName: 'a@x.test',
        mail: 'a@x.test',
      })
      .get('/me/contacts')
      .query(true)
      .reply(200, {
        value: [
          { id: 'c1', displayName: 'Alex', companyName: 'Contoso', emailAddresses: [{ address: 'alex@x.test' }] },
        ],
      })
      .get('/me/photo/$value')
      .reply(404, { error: { code: 'ImageNotFound', message: 'none' } });
    await Promise.all([
      h.store.dispatch(profileApi.endpoints.me.initiate()),
      h.store.dispatch(profileApi.endpoints.contacts.initiate()),
      h.store.dispatch(profileApi.endpoints.photo.initiate()),
    ]);
    const html = render(h, <ProfilePage />, '/profile');
    expect(html).to.contain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.to.contain('<img src=x');
    expect(testIds(html, 'contact-item')).to.equal(1);
    expect(html).to.contain('data-testid="profile-no-photo"');
    graph.done();
  });

  it('mail lists messages and secret shows its fields', async () => {
    const h = await signedIn();
    const api = nock('http://bff.test')
      .get('/api/mail')
      .query({ top: '10', skip: '0' })
      .reply(200, {
        messages: [
          {
            id: 'm1',
            subject: 'Hello',
            from: { name: 'Alex', address: 'alex@x.test' },
            receivedDateTime: '2025-01-01T10:00:00Z',
            bodyPreview: 'Hi',
            isRead: false,
          },
        ],
        top: 10,
        skip: 0,
        nextSkip: 10,
      })
      .get('/api/secret')
      .reply(200, { name: 'demo-secret', value: 's3cr3t', version: 'v1', updated: null });
    await h.store.dispatch(mailApi.endpoints.mail.initiate({ top: 10, skip: 0 }));
    await h.store.dispatch(secretApi.endpoints.secret.initiate());
    const mail = render(h, <MailPage />, '/mail');
    expect(testIds(mail, 'mail-item')).to.equal(1);
    // Unread is said in words (screen readers), not only by the coloured border.
    expect(mail).to.match(/data-testid="mail-unread"[^>]*>Unread</);
    expect(mail).to.contain('data-testid="mail-pager"');
    expect(render(h, <SecretPage />, '/secret')).to.match(/data-testid="secret-value"[^>]*>s3cr3t</);
    api.done();
  });

  it("secret: a user without the route's role sees why (no error banner, no API call); a 403 forbidden explains too", async () => {
    const withoutRole = testBootstrap();
    withoutRole.account!.roles = [];
    const msal = new FakeMsal({
      onCode: async (r) => makeResult(makeAccount(HOME_ACCOUNT_ID), r.scopes ?? []),
      onSilent: async (r) => makeResult(r.account!, r.scopes),
    });
    const h = buildTestStore({ msal, bootstrap: withoutRole });
    await h.store.dispatch(initializeAuth());
    const html = render(h, <SecretPage />, '/secret');
    expect(html).to.contain('data-testid="secret-role-missing"').and.contain('<code>Secrets.Read</code>');
    expect(html).to.not.contain('data-testid="error-banner"');

    // The bootstrap said yes, the BFF says no (role removed since): the answer is explained the same way.
    const h2 = await signedIn();
    const api = nock('http://bff.test').get('/api/secret').reply(403, {
      error: 'forbidden',
      message: 'Your account lacks the Secrets.Read role. Ask an administrator to assign it.',
      role: 'Secrets.Read',
    });
    await h2.store.dispatch(secretApi.endpoints.secret.initiate());
    const html2 = render(h2, <SecretPage />, '/secret');
    expect(html2).to.contain('data-testid="secret-role-missing"');
    expect(html2).to.not.contain('data-testid="error-banner"');
    api.done();
  });

  it('send mail restores a draft saved before the consent round trip', async () => {
    const h = await signedIn();
    h.storage.setItem(
      'hybrid-spa:mail-draft',
      JSON.stringify({ to: 'b@x.test', subject: 'Saved subject', body: 'Saved body' }),
    );
    const html = render(h, <SendMailPage />, '/mail/send');
    expect(html).to.match(/data-testid="draft-restored"[^>]*>Permission granted — press Send/);
    expect(html).to.contain('value="Saved subject"');
    expect(html).to.contain('Saved body</textarea>');
    expect(html).to.match(/<label for="mail-to">To<\/label>/);
  });

  it('shows the auth error banner with Retry', async () => {
    const msal = new FakeMsal({ onCode: async (r) => makeResult(makeAccount('other.t'), r.scopes ?? []) });
    const h = buildTestStore({ msal });
    await h.store.dispatch(initializeAuth());
    const html = render(h, <HomePage />);
    expect(html).to.contain('data-testid="error-banner"');
    expect(html).to.contain('data-testid="retry-button"');
    expect(html).to.contain('different account');
  });
});

describe('mail pager', () => {
  const message = (i: number) => ({
    id: `m${i}`,
    subject: `S${i}`,
    from: null,
    receivedDateTime: '2025-01-01T10:00:00Z',
    bodyPreview: '',
    isRead: true,
  });
  const cases: Array<[string, number, object, boolean]> = [
    ['one page', 200, { messages: [message(1)], top: 10, skip: 0, nextSkip: null }, false],
    ['an empty inbox', 200, { messages: [], top: 10, skip: 0, nextSkip: null }, false],
    ['an error', 503, { error: 'upstream_unavailable', message: 'Graph is down (operator detail)' }, false],
    ['more pages', 200, { messages: [message(1)], top: 10, skip: 0, nextSkip: 10 }, true],
  ];
  for (const [what, status, body, shown] of cases) {
    it(`is ${shown ? 'shown' : 'hidden'} for ${what}`, async () => {
      const h = await signedIn();
      const api = nock('http://bff.test')
        .get('/api/mail')
        .query({ top: '10', skip: '0' })
        .reply(status, body, { 'X-Request-Id': 'req-123456789' });
      await h.store.dispatch(mailApi.endpoints.mail.initiate({ top: 10, skip: 0 }));
      const html = render(h, <MailPage />, '/mail');
      expect(html.includes('data-testid="mail-pager"'), 'pager').to.equal(shown);
      if (status !== 200) {
        expect(html).to.contain('Your mailbox is not responding right now.');
        expect(html).not.to.contain('operator detail');
        expect(html).to.match(/data-testid="error-reference"[^>]*>req-123456789</);
      }
      api.done();
    });
  }
});
