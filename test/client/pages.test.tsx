import { expect } from 'chai';
import nock from 'nock';
import type { ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { Provider } from 'react-redux';
import { Layout } from '../../client/app/Layout';
import { Router } from '../../client/app/router';
import { initializeAuth } from '../../client/features/auth/initializeAuth';
import { bffApi } from '../../client/features/bff/bffApi';
import { graphApi } from '../../client/features/graph/graphApi';
import HomePage from '../../client/pages/HomePage';
import MailPage from '../../client/pages/MailPage';
import ProfilePage from '../../client/pages/ProfilePage';
import SecretPage from '../../client/pages/SecretPage';
import SendMailPage from '../../client/pages/SendMailPage';
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
  it('home shows the status, the token source and the user', async () => {
    const html = render(await signedIn(), <HomePage />);
    expect(html).to.match(/data-testid="auth-status"[^>]*>Signed in</);
    expect(html).to.match(/data-testid="token-source"[^>]*>Hybrid spa code/);
    expect(html).to.contain('data-testid="header-user"');
    expect(html).to.contain('data-testid="sign-out-button"');
  });

  it('offers sign-in when anonymous', () => {
    const h = buildTestStore({ bootstrap: testBootstrap({ account: null, spaCode: null }) });
    const html = render(h, <MailPage />, '/mail');
    expect(testIds(html, 'sign-in-button')).to.equal(2); // header + page prompt
    expect(html).to.contain('data-testid="sign-in-prompt"');
  });

  it('profile renders /me and contacts as text (no markup injection)', async () => {
    const h = await signedIn();
    const graph = nock(GRAPH_BASE_URL)
      .get('/me')
      .reply(200, { id: '1', displayName: '<img src=x onerror=alert(1)>', userPrincipalName: 'a@x.test', mail: 'a@x.test' })
      .get('/me/contacts')
      .query(true)
      .reply(200, { value: [{ id: 'c1', displayName: 'Alex', companyName: 'Contoso', emailAddresses: [{ address: 'alex@x.test' }] }] })
      .get('/me/photo/$value')
      .reply(404, { error: { code: 'ImageNotFound', message: 'none' } });
    await Promise.all([
      h.store.dispatch(graphApi.endpoints.me.initiate()),
      h.store.dispatch(graphApi.endpoints.contacts.initiate()),
      h.store.dispatch(graphApi.endpoints.photo.initiate()),
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
        messages: [{ id: 'm1', subject: 'Hello', from: { name: 'Alex', address: 'alex@x.test' }, receivedDateTime: '2025-01-01T10:00:00Z', bodyPreview: 'Hi', isRead: false }],
        top: 10,
        skip: 0,
        nextSkip: 10,
      })
      .get('/api/secret')
      .reply(200, { name: 'demo-secret', value: 's3cr3t', version: 'v1', updated: null });
    await h.store.dispatch(bffApi.endpoints.mail.initiate({ top: 10, skip: 0 }));
    await h.store.dispatch(bffApi.endpoints.secret.initiate());
    expect(testIds(render(h, <MailPage />, '/mail'), 'mail-item')).to.equal(1);
    expect(render(h, <SecretPage />, '/secret')).to.match(/data-testid="secret-value"[^>]*>s3cr3t</);
    api.done();
  });

  it('secret: a user without the route\'s role sees why (no error banner, no API call); a 403 forbidden explains too', async () => {
    const withoutRole = testBootstrap();
    withoutRole.account!.roles = [];
    const msal = new FakeMsal({ onCode: async (r) => makeResult(makeAccount(HOME_ACCOUNT_ID), r.scopes ?? []), onSilent: async (r) => makeResult(r.account!, r.scopes) });
    const h = buildTestStore({ msal, bootstrap: withoutRole });
    await h.store.dispatch(initializeAuth());
    const html = render(h, <SecretPage />, '/secret');
    expect(html).to.contain('data-testid="secret-role-missing"').and.contain('<code>Secrets.Read</code>');
    expect(html).to.not.contain('data-testid="error-banner"');

    // The bootstrap said yes, the BFF says no (role removed since): the answer is explained the same way.
    const h2 = await signedIn();
    const api = nock('http://bff.test')
      .get('/api/secret')
      .reply(403, { error: 'forbidden', message: 'Your account lacks the Secrets.Read role. Ask an administrator to assign it.', role: 'Secrets.Read' });
    await h2.store.dispatch(bffApi.endpoints.secret.initiate());
    const html2 = render(h2, <SecretPage />, '/secret');
    expect(html2).to.contain('data-testid="secret-role-missing"');
    expect(html2).to.not.contain('data-testid="error-banner"');
    api.done();
  });

  it('send mail restores a draft saved before the consent round trip', async () => {
    const h = await signedIn();
    h.storage.setItem('hybrid-spa:mail-draft', JSON.stringify({ to: 'b@x.test', subject: 'Saved subject', body: 'Saved body' }));
    const html = render(h, <SendMailPage />, '/mail/send');
    expect(html).to.contain('data-testid="draft-restored"');
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
