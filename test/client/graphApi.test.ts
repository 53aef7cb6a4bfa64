import { expect } from 'chai';
import nock from 'nock';
import { profileApi } from '../../client/features/profile/profileApi';
import { FakeMsal, makeAccount, makeResult } from './helpers/fakeMsal';
import { buildTestStore, GRAPH_BASE_URL, HOME_ACCOUNT_ID } from './helpers/testStore';

function graphStore() {
  let n = 0;
  const msal = new FakeMsal({
    accounts: [makeAccount(HOME_ACCOUNT_ID)],
    onSilent: async (r) => makeResult(r.account!, r.scopes, `token-${++n}`),
  });
  return { ...buildTestStore({ msal }), msal };
}

const silentRequests = (msal: FakeMsal) =>
  msal.callsTo('acquireTokenSilent').map((c) => {
    const r = c.request as { scopes: string[]; forceRefresh: boolean };
    return { scopes: r.scopes, forceRefresh: r.forceRefresh };
  });

describe('graphApi', () => {
  it('sends a token for all the SPA scopes (covering the endpoint) as a Bearer header', async () => {
    const { store, msal } = graphStore();
    const graph = nock(GRAPH_BASE_URL)
      .get('/me')
      .matchHeader('authorization', 'Bearer token-1')
      .reply(200, { id: '1', displayName: 'Adele Vance', userPrincipalName: 'adele@contoso.test', mail: null });
    const result = await store.dispatch(profileApi.endpoints.me.initiate());
    expect(result.data?.displayName).to.equal('Adele Vance');
    expect(silentRequests(msal)).to.deep.equal([{ scopes: ['User.Read', 'Contacts.Read'], forceRefresh: false }]);
    graph.done();
  });

  it('profile and contacts share one token request (one cache entry, one refresh later)', async () => {
    const { store, msal } = graphStore();
    const graph = nock(GRAPH_BASE_URL)
      .get('/me')
      .reply(200, { id: '1', displayName: 'A', userPrincipalName: 'a@x', mail: null })
      .get('/me/contacts')
      .query(true)
      .reply(200, { value: [] });
    await Promise.all([
      store.dispatch(profileApi.endpoints.me.initiate()),
      store.dispatch(profileApi.endpoints.contacts.initiate()),
    ]);
    expect(silentRequests(msal)).to.have.length(1);
    graph.done();
  });

  it('asks for Contacts.Read and the documented $select/$top for contacts', async () => {
    const { store, msal } = graphStore();
    const graph = nock(GRAPH_BASE_URL)
      .get('/me/contacts')
      .query({ $select: 'displayName,emailAddresses,companyName', $top: '50' })
      .reply(200, { value: [{ id: 'c1', displayName: 'Alex', companyName: 'Contoso', emailAddresses: [] }] });
    const result = await store.dispatch(profileApi.endpoints.contacts.initiate());
    expect(result.data?.map((c) => c.displayName)).to.deep.equal(['Alex']);
    expect(silentRequests(msal)[0]!.scopes).to.include('Contacts.Read');
    graph.done();
  });

  it('retries once with a forced refresh after a 401', async () => {
    const { store, msal } = graphStore();
    const graph = nock(GRAPH_BASE_URL)
      .get('/me')
      .matchHeader('authorization', 'Bearer token-1')
      .reply(401, { error: { code: 'InvalidAuthenticationToken', message: 'expired' } })
      .get('/me')
      .matchHeader('authorization', 'Bearer token-2')
      .reply(200, { id: '1', displayName: 'A', userPrincipalName: 'a@x', mail: null });
    const result = await store.dispatch(profileApi.endpoints.me.initiate());
    expect(result.data?.id).to.equal('1');
    expect(silentRequests(msal)).to.deep.equal([
      { scopes: ['User.Read', 'Contacts.Read'], forceRefresh: false },
      { scopes: ['User.Read', 'Contacts.Read'], forceRefresh: true },
    ]);
    graph.done();
  });

  it('returns a typed error after a second 401 instead of retrying forever', async () => {
    const { store } = graphStore();
    const graph = nock(GRAPH_BASE_URL)
      .get('/me')
      .twice()
      .reply(401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty.' } });
    const result = await store.dispatch(profileApi.endpoints.me.initiate());
    expect(result.error).to.deep.equal({
      status: 401,
      code: 'InvalidAuthenticationToken',
      message: 'Access token is empty.',
    });
    graph.done();
  });

  it('returns a typed error with retryAfter on 429', async () => {
    const { store } = graphStore();
    const graph = nock(GRAPH_BASE_URL)
      .get('/me/contacts')
      .query(true)
      .reply(429, { error: { code: 'TooManyRequests', message: 'Slow down.' } }, { 'Retry-After': '7' });
    const result = await store.dispatch(profileApi.endpoints.contacts.initiate());
    expect(result.error).to.deep.equal({ status: 429, code: 'TooManyRequests', message: 'Slow down.', retryAfter: 7 });
    graph.done();
  });

  it('turns the photo into an object URL, and a 404 into no photo', async () => {
    const { store } = graphStore();
    const graph = nock(GRAPH_BASE_URL)
      .get('/me/photo/$value')
      .reply(200, Buffer.from([0xff, 0xd8, 0xff]), { 'Content-Type': 'image/jpeg' });
    const found = await store.dispatch(profileApi.endpoints.photo.initiate());
    expect(found.data).to.match(/^blob:/);
    graph.done();

    const other = graphStore();
    const missing = nock(GRAPH_BASE_URL)
      .get('/me/photo/$value')
      .reply(404, { error: { code: 'ImageNotFound', message: 'none' } });
    const none = await other.store.dispatch(profileApi.endpoints.photo.initiate());
    expect(none.data).to.equal(null);
    expect(none.error).to.equal(undefined);
    missing.done();
  });

  it('returns an AUTH_ERROR without calling Graph when no token can be had', async () => {
    const { store } = buildTestStore(); // empty MSAL cache
    const result = await store.dispatch(profileApi.endpoints.me.initiate());
    expect(result.error).to.deep.equal({ status: 'AUTH_ERROR', code: 'no_account', message: 'You are not signed in.' });
  });

  it('returns a FETCH_ERROR when Graph cannot be reached', async () => {
    const { store } = graphStore();
    const graph = nock(GRAPH_BASE_URL).get('/me').replyWithError('socket hang up');
    const result = await store.dispatch(profileApi.endpoints.me.initiate());
    expect(result.error).to.include({ status: 'FETCH_ERROR', code: 'network_error' });
    graph.done();
  });
});
