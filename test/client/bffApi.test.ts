import { expect } from 'chai';
import nock from 'nock';
import { mailApi } from '../../client/features/mail/mailApi';
import { secretApi } from '../../client/features/secret/secretApi';
import fc from 'fast-check';
import { consentUrl } from '../../bff/api/graphAsUser';
import { grantConsent, clearSavedDraft, isNavigableUrl, loadSavedDraft } from '../../client/features/mail/mailDraft';
import { hostileReturnTo } from '../helpers/hostileUrls';
import { buildTestStore } from './helpers/testStore';

const BFF = 'http://bff.test';

describe('bffApi', () => {
  it('sends X-CSRF and asks for a mail page', async () => {
    const { store } = buildTestStore();
    const api = nock(BFF)
      .get('/api/mail')
      .query({ top: '10', skip: '20' })
      .matchHeader('x-csrf', '1')
      .reply(200, { messages: [], top: 10, skip: 20, nextSkip: null });
    const result = await store.dispatch(mailApi.endpoints.mail.initiate({ top: 10, skip: 20 }));
    expect(result.data).to.deep.equal({ messages: [], top: 10, skip: 20, nextSkip: null });
    api.done();
  });

  it('posts the mail as JSON with X-CSRF', async () => {
    const { store } = buildTestStore();
    const body = { to: ['a@x.test'], subject: 'Hi', body: 'Hello' };
    const api = nock(BFF)
      .post('/api/mail/send', body)
      .matchHeader('x-csrf', '1')
      .matchHeader('content-type', 'application/json')
      .reply(202, { status: 'sent' });
    const result = await store.dispatch(mailApi.endpoints.sendMail.initiate(body));
    expect(result).to.deep.include({ data: { status: 'sent' } });
    api.done();
  });

  it('maps 401 to session/expired and a login_required error', async () => {
    const { store } = buildTestStore();
    const api = nock(BFF)
      .get('/api/secret')
      .reply(401, { error: 'login_required', message: 'Sign in again.', signInUrl: '/auth/signin?returnTo=%2Fsecret' });
    const result = await store.dispatch(secretApi.endpoints.secret.initiate());
    expect(result.error).to.deep.equal({
      status: 401,
      code: 'login_required',
      message: 'Sign in again.',
      signInUrl: '/auth/signin?returnTo=%2Fsecret',
    });
    expect(store.getState().auth).to.include({ sessionExpired: true, status: 'signed_out' });
    api.done();
  });

  it('maps 403 consent_required to an error carrying the consent URL and scopes', async () => {
    const { store } = buildTestStore();
    const api = nock(BFF)
      .post('/api/mail/send')
      .reply(403, {
        error: 'consent_required',
        message: 'Grant Mail.Send.',
        scopes: ['Mail.Send'],
        consentUrl: '/auth/consent?scopes=Mail.Send',
      });
    const result = await store.dispatch(
      mailApi.endpoints.sendMail.initiate({ to: ['a@x.test'], subject: 's', body: 'b' }),
    );
    expect(result)
      .to.have.property('error')
      .that.deep.equals({
        status: 403,
        code: 'consent_required',
        message: 'Grant Mail.Send.',
        scopes: ['Mail.Send'],
        consentUrl: '/auth/consent?scopes=Mail.Send',
      });
    expect(store.getState().auth.sessionExpired).to.equal(false);
    api.done();
  });

  it('keeps Retry-After on 503 and copes with a non-JSON body', async () => {
    const { store } = buildTestStore();
    const api = nock(BFF).get('/api/secret').reply(503, 'busy', { 'Retry-After': '30' });
    const result = await store.dispatch(secretApi.endpoints.secret.initiate());
    expect(result.error).to.deep.equal({
      status: 503,
      code: 'http_503',
      message: 'The service is busy or unavailable. Try again shortly.',
      retryAfter: 30,
    });
    api.done();
  });
});

describe('mail draft and consent', () => {
  it('stores the draft before navigating to the consent URL, and restores it until cleared', () => {
    let storedWhenNavigating: string | null = null;
    const { store, navigations, storage } = buildTestStore({
      path: '/mail/send',
      onNavigate: () => (storedWhenNavigating = storage.getItem('hybrid-spa:mail-draft')),
    });
    const draft = { to: 'a@x.test, b@x.test', subject: 'Hi', body: 'Hello' };
    const ok = store.dispatch(grantConsent('/auth/consent?scopes=Mail.Send', draft));
    expect(ok).to.equal(true);
    expect(storedWhenNavigating).to.not.equal(null);
    expect(navigations).to.deep.equal(['/auth/consent?scopes=Mail.Send&returnTo=%2Fmail%2Fsend']);
    expect(store.dispatch(loadSavedDraft())).to.deep.equal(draft);
    store.dispatch(clearSavedDraft());
    expect(store.dispatch(loadSavedDraft())).to.equal(null);
  });

  it('refuses to navigate to a script URL', () => {
    const { store, navigations } = buildTestStore();
    expect(store.dispatch(grantConsent('javascript:alert(1)', { to: '', subject: '', body: '' }))).to.equal(false);
    expect(navigations).to.deep.equal([]);
  });

  it('navigates only to paths inside the app: no backslash, scheme, //host or dot-segment trick', () => {
    for (const url of [
      '/\\evil.example',
      '/\\/evil.example',
      '//evil.example',
      'https://evil.example/',
      '/.//evil.example',
      '/%2e%2e//evil.example',
      ' /auth/consent',
      'data:text/html,x',
    ]) {
      expect(isNavigableUrl(url), url).to.equal(false);
    }
    expect(
      isNavigableUrl(consentUrl(['Mail.Send'], '/mail/send', '{"access_token":{"xms_cc":{"values":["cp1"]}}}')),
    ).to.equal(true);
    fc.assert(
      fc.property(hostileReturnTo, (url) => {
        if (isNavigableUrl(url))
          expect(new URL(url, 'https://app.example/mail/send').origin, url).to.equal('https://app.example');
      }),
      { numRuns: 10_000 },
    );
  });
});
