// CAE in the SPA: the Graph base query answers a claims challenge with a token for those claims (redirect when Entra
// needs the user), retrying once; the BFF base query re-authenticates once per claims challenge.
import { ServerError } from '@azure/msal-browser';
import { expect } from 'chai';
import fc from 'fast-check';
import nock from 'nock';
import { bffApi } from '../../client/api/bffApi';
import { mailApi } from '../../client/features/mail/mailApi';
import { CLAIMS_REAUTH_KEY } from '../../client/api/bffBaseQuery';
import { profileApi } from '../../client/features/profile/profileApi';
import { claimsFromChallenge } from '../../client/api/graphBaseQuery';
import { FakeMsal, makeAccount, makeResult } from './helpers/fakeMsal';
import { API_BASE_URL, buildTestStore, GRAPH_BASE_URL, HOME_ACCOUNT_ID } from './helpers/testStore';

const CLAIMS = '{"access_token":{"nbf":{"essential":true,"value":"1790000000"}}}';
const challenge = (claims = CLAIMS) =>
  `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", claims="${Buffer.from(claims).toString('base64')}"`;
const caeBody = {
  error: { code: 'InvalidAuthenticationToken', message: 'Continuous access evaluation resulted in challenge.' },
};

describe('claims challenges in the SPA (CAE)', () => {
  it('claimsFromChallenge reads only insufficient_claims challenges with a JSON object, for any input', () => {
    expect(claimsFromChallenge(challenge())).to.equal(CLAIMS);
    expect(claimsFromChallenge('Bearer realm="", error="invalid_token"')).to.equal(undefined);
    expect(
      claimsFromChallenge(`Bearer error="insufficient_claims", claims="${Buffer.from('[1]').toString('base64')}"`),
    ).to.equal(undefined);
    expect(claimsFromChallenge(null)).to.equal(undefined);
    fc.assert(
      fc.property(fc.string(), (header) => {
        const claims = claimsFromChallenge(header);
        if (claims !== undefined) expect(JSON.parse(claims)).to.be.an('object');
      }),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), fc.jsonValue()), (obj) => {
        const json = JSON.stringify({ access_token: obj });
        expect(claimsFromChallenge(challenge(json))).to.equal(json);
      }),
    );
  });

  it('Graph 401 with a claims challenge → a token for those claims (bypassing the cache) → one retry that succeeds', async () => {
    let n = 0;
    const msal = new FakeMsal({
      accounts: [makeAccount(HOME_ACCOUNT_ID)],
      onSilent: async (r) => makeResult(r.account!, r.scopes, `token-${++n}`),
    });
    const { store } = buildTestStore({ msal });
    const graph = nock(GRAPH_BASE_URL)
      .get('/me')
      .matchHeader('authorization', 'Bearer token-1')
      .reply(401, caeBody, { 'WWW-Authenticate': challenge() })
      .get('/me')
      .matchHeader('authorization', 'Bearer token-2')
      .reply(200, { id: '1', displayName: 'A', userPrincipalName: 'a@x', mail: null });
    const result = await store.dispatch(profileApi.endpoints.me.initiate());
    expect(result.data?.id).to.equal('1');
    const second = msal.callsTo('acquireTokenSilent')[1]!.request as { claims?: string; forceRefresh: boolean };
    expect(second).to.include({ claims: CLAIMS, forceRefresh: true });
    graph.done();
  });

  it('when the claims need the user (refresh refused after revocation), redirects with the claims instead of showing data', async () => {
    let n = 0;
    const msal = new FakeMsal({
      accounts: [makeAccount(HOME_ACCOUNT_ID)],
      onSilent: async (r) => {
        if (r.claims)
          throw new ServerError(
            'invalid_grant',
            'AADSTS50173: The provided grant has expired due to it being revoked.',
          );
        return makeResult(r.account!, r.scopes, `token-${++n}`);
      },
    });
    const { store, navigations } = buildTestStore({ msal });
    const graph = nock(GRAPH_BASE_URL).get('/me').reply(401, caeBody, { 'WWW-Authenticate': challenge() });
    const result = await store.dispatch(profileApi.endpoints.me.initiate());
    expect(result.data).to.equal(undefined);
    const redirect = msal.callsTo('acquireTokenRedirect');
    expect(redirect).to.have.length(1);
    expect(redirect[0]!.request).to.include({ claims: CLAIMS });
    expect(store.getState().auth.status).to.equal('interaction_required');
    expect(navigations).to.deep.equal([]);
    graph.done();
  });

  it('a second claims challenge in a row is an error, not another token request or redirect', async () => {
    let n = 0;
    const msal = new FakeMsal({
      accounts: [makeAccount(HOME_ACCOUNT_ID)],
      onSilent: async (r) => makeResult(r.account!, r.scopes, `token-${++n}`),
    });
    const { store } = buildTestStore({ msal });
    const graph = nock(GRAPH_BASE_URL).get('/me').twice().reply(401, caeBody, { 'WWW-Authenticate': challenge() });
    const result = await store.dispatch(profileApi.endpoints.me.initiate());
    expect(result.error).to.include({ status: 401, code: 'InvalidAuthenticationToken' });
    expect(msal.callsTo('acquireTokenSilent')).to.have.length(2);
    expect(msal.callsTo('acquireTokenRedirect')).to.have.length(0);
    graph.done();
  });

  it('BFF 401 claims_challenge: navigates to the claims sign-in URL once; the same challenge again shows the banner instead', async () => {
    const { store, navigations, storage } = buildTestStore();
    const signInUrl = `/auth/consent?scopes=Mail.Read&claims=${encodeURIComponent(CLAIMS)}&returnTo=/mail`;
    const body = {
      error: 'login_required',
      message: 'Your organization requires you to sign in again before continuing.',
      signInUrl,
      reason: 'claims_challenge',
    };
    const api = nock(API_BASE_URL).get('/mail').query(true).twice().reply(401, body);
    await store.dispatch(mailApi.endpoints.mail.initiate({ top: 10, skip: 0 }));
    expect(navigations).to.deep.equal([signInUrl]);
    expect(storage.getItem(CLAIMS_REAUTH_KEY)).to.equal(signInUrl);
    expect(store.getState().auth.sessionExpired).to.equal(false);

    store.dispatch(bffApi.util.resetApiState());
    await store.dispatch(mailApi.endpoints.mail.initiate({ top: 10, skip: 0 }));
    expect(navigations).to.have.length(1);
    expect(store.getState().auth.sessionExpired).to.equal(true);
    api.done();
  });

  it("BFF 401 account_disabled: a signed-out state with the server's message, no navigation", async () => {
    const { store, navigations } = buildTestStore();
    const api = nock(API_BASE_URL).get('/mail').query(true).reply(401, {
      error: 'login_required',
      message: 'Your account has been disabled. Contact your administrator.',
      signInUrl: '/auth/signin',
      reason: 'account_disabled',
    });
    await store.dispatch(mailApi.endpoints.mail.initiate({ top: 10, skip: 0 }));
    // The session listener ends the local session right after (sessionEnded): the explanation must survive it.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(store.getState().session.endReason).to.not.equal(null);
    const auth = store.getState().auth;
    expect(auth).to.include({ sessionExpired: true, status: 'signed_out', sessionEndReason: 'account_disabled' });
    expect(auth.sessionEndMessage).to.match(/disabled/);
    expect(navigations).to.deep.equal([]);
    api.done();
  });
});
