import { expect } from 'chai';
import nock from 'nock';
import { ALICE, BOB, entraError, homeAccountIdOf, tokenResponse } from '../helpers/entraFixtures';
import { buildTestApp, getBootstrap, mockMetadata, signIn, startSignIn } from '../helpers/testApp';
import { tokenEndpoint } from '../helpers/tokenEndpoint';

describe('hybrid sign-in (BFF half)', () => {
  beforeEach(() => mockMetadata());

  it('redirects to authorize with PKCE S256, state, nonce and response_mode=query', async () => {
    const { agent } = buildTestApp();
    const { url } = await startSignIn(agent(), '/auth/signin?returnTo=/profile');
    expect(url.searchParams.get('response_mode')).to.equal('query');
    expect(url.searchParams.get('code_challenge_method')).to.equal('S256');
    expect(url.searchParams.get('code_challenge')).to.match(/^[\w-]{43}$/);
    expect(url.searchParams.get('state')).to.match(/^[\w-]{43}$/);
    expect(url.searchParams.get('nonce')).to.match(/^[\w-]{43}$/);
    expect(url.searchParams.get('redirect_uri')).to.equal('http://localhost:3000/auth/callback');
    expect(url.searchParams.get('scope')!.split(' ')).to.include.members([
      'User.Read',
      'Contacts.Read',
      'Mail.Read',
      'offline_access',
    ]);
  });

  it('the token request carries return_spa_code=1, the PKCE verifier, the nonce-bound code and the client secret', async () => {
    const { agent } = buildTestApp();
    const a = agent();
    const { tokenRequest } = await signIn(a, ALICE);
    expect(tokenRequest.return_spa_code).to.equal('1');
    expect(tokenRequest.grant_type).to.equal('authorization_code');
    expect(tokenRequest.code_verifier).to.match(/^[\w-]{64}$/);
    expect(tokenRequest.client_secret).to.equal('test-client-secret-value-1234567890');
    expect(tokenRequest.redirect_uri).to.equal('http://localhost:3000/auth/callback');
  });

  it('delivers the spa code in the bootstrap exactly once; a reload has spaCode: null', async () => {
    const { agent } = buildTestApp();
    const a = agent();
    const { spaCode } = await signIn(a, ALICE);
    const first = await getBootstrap(a);
    expect(first.spaCode).to.equal(spaCode);
    expect(first.account).to.include({
      homeAccountId: homeAccountIdOf(ALICE),
      username: ALICE.username,
      name: ALICE.name,
    });
    expect(first.routes.signOut).to.match(/^\/auth\/signout\?token=/);
    const second = await getBootstrap(a);
    expect(second.spaCode).to.equal(null);
    expect(second.account?.homeAccountId).to.equal(homeAccountIdOf(ALICE));
    const json = await a.get('/api/bootstrap').set('X-CSRF', '1').expect(200);
    expect(json.body.spaCode).to.equal(null);
  });

  it('serves the bootstrap with Cache-Control: no-store and a nonce on every script tag', async () => {
    const { agent } = buildTestApp();
    const res = await agent().get('/profile').set('Accept', 'text/html').expect(200);
    expect(res.headers['cache-control']).to.equal('no-store');
    const nonce = /script-src 'nonce-([^']+)'/.exec(res.headers['content-security-policy'] as string)![1];
    expect(res.text).to.contain(`<script nonce="${nonce}" defer src="/main.js">`);
  });

  it('signs in without a spa code (accounts Entra offers no hybrid code for) and bootstraps spaCode: null with the account', async () => {
    const { agent } = buildTestApp();
    const a = agent();
    await signIn(a, BOB, { spaCode: null });
    const boot = await getBootstrap(a);
    expect(boot.spaCode).to.equal(null);
    expect(boot.account?.homeAccountId).to.equal(homeAccountIdOf(BOB));
  });

  it('returns to the requested local path after the callback', async () => {
    const { agent } = buildTestApp();
    const a = agent();
    const { state, nonce } = await startSignIn(a, '/auth/signin?returnTo=%2Fprofile%3Ftab%3D2');
    tokenEndpoint().interceptor.reply(200, tokenResponse(ALICE, { nonce }));
    const res = await a.get(`/auth/callback?code=c1&state=${state}`).expect(302);
    expect(res.headers.location).to.equal('/profile?tab=2');
    expect(res.headers['referrer-policy']).to.equal('no-referrer');
  });

  describe('callback rejects bad transactions before redeeming (token endpoint never called, no session)', () => {
    const cases: Array<
      [string, (a: ReturnType<ReturnType<typeof buildTestApp>['agent']>, state: string) => Promise<string>]
    > = [
      ['a state mismatch', async () => `/auth/callback?code=c&state=${'x'.repeat(43)}`],
      ['a missing state', async () => '/auth/callback?code=c'],
      ['a replayed callback', async (_a, state) => `/auth/callback?code=c&state=${state}`],
    ];
    for (const [name, makeUrl] of cases) {
      it(`rejects ${name} with 400`, async () => {
        const { agent } = buildTestApp();
        const a = agent();
        const { state, nonce } = await startSignIn(a);
        if (name === 'a replayed callback') {
          tokenEndpoint().interceptor.reply(200, tokenResponse(ALICE, { nonce }));
          await a.get(`/auth/callback?code=c&state=${state}`).expect(302);
          await a.get('/auth/signout?token=wrong').expect(403);
        }
        const token = tokenEndpoint().interceptor.reply(200, {});
        const res = await a
          .get(await makeUrl(a, state))
          .set('Accept', 'text/html')
          .expect(400);
        expect(res.text).to.match(/invalid_login_transaction/);
        expect(token.isDone()).to.equal(false);
        nock.cleanAll();
        if (name !== 'a replayed callback') await a.get('/api/me').set('X-CSRF', '1').expect(401);
      });
    }

    it('rejects a callback from a browser without the transaction cookie', async () => {
      const { agent } = buildTestApp();
      const { state } = await startSignIn(agent());
      const token = tokenEndpoint().interceptor.reply(200, {});
      const other = agent();
      const res = await other.get(`/auth/callback?code=c&state=${state}`).expect(400);
      expect(res.text).to.match(/did not start this sign-in/);
      expect(token.isDone()).to.equal(false);
      nock.cleanAll();
      await other.get('/api/me').set('X-CSRF', '1').expect(401);
    });

    it('rejects an expired transaction', async () => {
      const { agent, services } = buildTestApp();
      const a = agent();
      const { state } = await startSignIn(a);
      // Age the stored transaction past its 10-minute lifetime.
      const tx = await services.stores.loginTransactions.take(state);
      await services.stores.loginTransactions.put(state, { ...tx!, createdAt: Date.now() - 11 * 60_000 }, 60_000);
      const token = tokenEndpoint().interceptor.reply(200, {});
      const res = await a.get(`/auth/callback?code=c&state=${state}`).expect(400);
      expect(res.text).to.match(/expired/);
      expect(token.isDone()).to.equal(false);
      nock.cleanAll();
    });
  });

  it('turns an already-redeemed code (AADSTS54005) into a clear 400, not a 500', async () => {
    const { agent } = buildTestApp();
    const a = agent();
    const { state } = await startSignIn(a);
    tokenEndpoint().interceptor.reply(
      400,
      entraError('invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed.'),
    );
    const res = await a.get(`/auth/callback?code=c&state=${state}`).set('Accept', 'application/json').expect(400);
    expect(res.body.error).to.equal('invalid_login_transaction');
    expect(res.body.message).to.match(/already used or has expired/);
  });

  it('shows the identity provider error text on a friendly page', async () => {
    const { agent } = buildTestApp();
    const a = agent();
    const { state } = await startSignIn(a);
    const res = await a
      .get(
        `/auth/callback?state=${state}&error=temporarily_unavailable&error_description=${encodeURIComponent('AADSTS90033: A transient error has occurred.')}`,
      )
      .set('Accept', 'text/html')
      .expect(400);
    expect(res.text).to.contain('AADSTS90033: A transient error has occurred.');
    expect(res.text).to.contain('temporarily unavailable');
  });

  it('keeps two users signed in side by side in separate partitions', async () => {
    const { agent, services } = buildTestApp();
    const alice = agent();
    const bob = agent();
    await signIn(alice, ALICE);
    await signIn(bob, BOB);
    const me1 = await alice.get('/api/me').set('X-CSRF', '1').expect(200);
    const me2 = await bob.get('/api/me').set('X-CSRF', '1').expect(200);
    expect(me1.body.account.homeAccountId).to.equal(homeAccountIdOf(ALICE));
    expect(me2.body.account.homeAccountId).to.equal(homeAccountIdOf(BOB));
    expect(JSON.stringify(me1.body)).not.to.match(/at-|rt-|token/i);
    const aliceBlob = (await services.stores.tokenCache.get(homeAccountIdOf(ALICE)))!;
    const bobBlob = (await services.stores.tokenCache.get(homeAccountIdOf(BOB)))!;
    expect(aliceBlob).to.contain(ALICE.oid).and.not.contain(BOB.oid);
    expect(bobBlob).to.contain(BOB.oid).and.not.contain(ALICE.oid);
  });

  it('writes a new user into their own partition even after another user (with an empty partition) signed in before', async () => {
    const { agent, services } = buildTestApp();
    await signIn(agent(), ALICE);
    await services.stores.tokenCache.delete(homeAccountIdOf(ALICE)); // Alice's partition is now empty
    await signIn(agent(), BOB);
    expect(await services.stores.tokenCache.get(homeAccountIdOf(ALICE))).to.equal(null);
    expect((await services.stores.tokenCache.get(homeAccountIdOf(BOB)))!).to.not.contain(ALICE.oid);
  });

  it('sign-out deletes the partition and the session, then goes to the end-session endpoint', async () => {
    const { agent, services } = buildTestApp();
    const a = agent();
    await signIn(a, ALICE);
    const boot = await getBootstrap(a);
    expect(await services.stores.tokenCache.get(homeAccountIdOf(ALICE))).to.be.a('string');
    const res = await a.get(boot.routes.signOut!).expect(302);
    const url = new URL(res.headers.location as string);
    expect(url.pathname).to.match(/\/oauth2\/v2.0\/logout$/);
    expect(url.searchParams.get('post_logout_redirect_uri')).to.equal('http://localhost:3000/');
    expect(await services.stores.tokenCache.get(homeAccountIdOf(ALICE))).to.equal(null);
    await a.get('/api/me').set('X-CSRF', '1').expect(401);
    expect((await getBootstrap(a)).account).to.equal(null);
  });

  it('refuses a sign-out link that does not carry the session token (cross-site sign-out)', async () => {
    const { agent } = buildTestApp();
    const a = agent();
    await signIn(a, ALICE);
    await a.get('/auth/signout').expect(403);
    await a.get('/api/me').set('X-CSRF', '1').expect(200);
  });

  it('answers /api/me with 401 JSON when anonymous', async () => {
    const { agent } = buildTestApp();
    const res = await agent().get('/api/me').set('X-CSRF', '1').expect(401);
    expect(res.body).to.deep.equal({
      error: 'login_required',
      message: 'You are not signed in, or your session has ended. Sign in again.',
      signInUrl: '/auth/signin',
    });
  });
});
