import { InteractionRequiredAuthError, ServerError } from '@azure/msal-browser';
import { expect } from 'chai';
import { initializeAuth } from '../../client/features/auth/initializeAuth';
import { FakeMsal, makeAccount, makeResult } from './helpers/fakeMsal';
import { buildTestStore, HOME_ACCOUNT_ID, testBootstrap } from './helpers/testStore';

const SCOPES = ['User.Read', 'Contacts.Read'];
const usedCode = () =>
  new ServerError(
    'invalid_grant',
    'corr',
    'AADSTS54005: OAuth2 Authorization code was already redeemed.',
    undefined,
    '54005',
    400,
  );
const expiredCode = () =>
  new ServerError(
    'invalid_grant',
    'corr',
    'AADSTS70008: The provided authorization code has expired.',
    undefined,
    '70008',
    400,
  );
const interactionRequired = () =>
  new InteractionRequiredAuthError('interaction_required', 'corr', 'AADSTS50076: MFA required');

describe('initializeAuth', () => {
  it('redeems the spa code exactly once when dispatched twice (StrictMode double effect)', async () => {
    const msal = new FakeMsal({ onCode: async (r) => makeResult(makeAccount(HOME_ACCOUNT_ID), r.scopes ?? []) });
    const { store } = buildTestStore({ msal });

    await Promise.all([store.dispatch(initializeAuth()), store.dispatch(initializeAuth())]);
    await store.dispatch(initializeAuth());

    expect(msal.callsTo('acquireTokenByCode')).to.have.length(1);
    expect(msal.callsTo('acquireTokenByCode')[0]!.request).to.deep.equal({ code: 'spa-code-1', scopes: SCOPES });
    const auth = store.getState().auth;
    expect(auth.status).to.equal('authenticated');
    expect(auth.tokenSource).to.equal('hybrid_code');
    expect(auth.account?.homeAccountId).to.equal(HOME_ACCOUNT_ID);
    expect(auth.grantedScopes).to.deep.equal(SCOPES);
    expect(auth.timings.durationMs).to.be.a('number').and.greaterThan(0);
    expect(msal.activeAccount?.homeAccountId).to.equal(HOME_ACCOUNT_ID);
  });

  it('calls handleRedirectPromise before redeeming', async () => {
    const msal = new FakeMsal({ onCode: async (r) => makeResult(makeAccount(HOME_ACCOUNT_ID), r.scopes ?? []) });
    const { store } = buildTestStore({ msal });
    await store.dispatch(initializeAuth());
    expect(msal.methods.slice(0, 2)).to.deep.equal(['handleRedirectPromise', 'acquireTokenByCode']);
  });

  it('keeps no token in the state after redemption', async () => {
    const msal = new FakeMsal({
      onCode: async (r) => makeResult(makeAccount(HOME_ACCOUNT_ID), r.scopes ?? [], 'secret-at'),
    });
    const { store } = buildTestStore({ msal });
    await store.dispatch(initializeAuth());
    expect(JSON.stringify(store.getState())).not.to.contain('secret-at');
  });

  it('falls back to silent, then the fresh-code route, then a redirect when the spa code was already used (54005)', async () => {
    const account = makeAccount(HOME_ACCOUNT_ID);
    const msal = new FakeMsal({
      accounts: [account],
      onCode: () => Promise.reject(usedCode()),
      onSilent: () => Promise.reject(interactionRequired()),
    });
    const first = buildTestStore({ msal });

    await first.store.dispatch(initializeAuth());
    expect(msal.methods.filter((m) => m.startsWith('acquire'))).to.deep.equal([
      'acquireTokenByCode',
      'acquireTokenSilent',
    ]);
    expect(first.navigations).to.deep.equal(['/auth/spa-code?returnTo=%2Fprofile%3Ftab%3D1']);
    expect(first.store.getState().auth).to.include({
      status: 'interaction_required',
      pendingInteraction: 'fresh_code',
    });

    // The fresh-code round trip came back with another unusable code: this time the redirect, never a loop.
    const second = buildTestStore({
      msal,
      storage: first.storage,
      bootstrap: testBootstrap({ spaCode: 'spa-code-2' }),
    });
    msal.calls.length = 0;
    await second.store.dispatch(initializeAuth());
    expect(second.navigations).to.deep.equal([]);
    const redirect = msal.callsTo('acquireTokenRedirect');
    expect(redirect).to.have.length(1);
    expect(redirect[0]!.request).to.deep.equal({ account, loginHint: 'hint-adele', scopes: SCOPES });
    expect(second.store.getState().auth).to.include({ status: 'interaction_required', pendingInteraction: 'redirect' });
  });

  it('uses the silent token when the spa code expired (70008) and the cache still holds the account', async () => {
    const account = makeAccount(HOME_ACCOUNT_ID);
    const msal = new FakeMsal({
      accounts: [account],
      onCode: () => Promise.reject(expiredCode()),
      onSilent: async (r) => makeResult(r.account!, r.scopes),
    });
    const { store, navigations } = buildTestStore({ msal });
    await store.dispatch(initializeAuth());
    expect(store.getState().auth).to.include({ status: 'authenticated', tokenSource: 'silent' });
    expect(navigations).to.deep.equal([]);
  });

  it('takes the same chain when spaCode is null and the MSAL cache is empty (new tab)', async () => {
    const msal = new FakeMsal();
    const h = buildTestStore({ msal, bootstrap: testBootstrap({ spaCode: null }) });
    await h.store.dispatch(initializeAuth());
    expect(msal.callsTo('acquireTokenByCode')).to.have.length(0);
    expect(msal.callsTo('acquireTokenSilent')).to.have.length(0);
    expect(h.navigations).to.deep.equal(['/auth/spa-code?returnTo=%2Fprofile%3Ftab%3D1']);
  });

  it('skips the fresh-code round trip when the BFF says Entra issues this account no spa code (new tab: one redirect)', async () => {
    const msal = new FakeMsal();
    const h = buildTestStore({ msal, bootstrap: testBootstrap({ spaCode: null, spaCodeUnavailable: true }) });
    await h.store.dispatch(initializeAuth());
    expect(h.navigations, 'fresh-code navigations').to.deep.equal([]);
    expect(msal.callsTo('acquireTokenRedirect')[0]!.request).to.deep.include({
      loginHint: 'hint-adele',
      scopes: SCOPES,
    });
    expect(h.store.getState().auth).to.include({ status: 'interaction_required', pendingInteraction: 'redirect' });
  });

  it('with spaCodeUnavailable, a cached MSAL account is still used silently before any redirect', async () => {
    const msal = new FakeMsal({
      accounts: [makeAccount(HOME_ACCOUNT_ID)],
      onSilent: async (r) => makeResult(r.account!, r.scopes),
    });
    const h = buildTestStore({ msal, bootstrap: testBootstrap({ spaCode: null, spaCodeUnavailable: true }) });
    await h.store.dispatch(initializeAuth());
    expect(h.store.getState().auth).to.include({ status: 'authenticated', tokenSource: 'silent' });
    expect(msal.callsTo('acquireTokenRedirect')).to.deep.equal([]);
  });

  it('reports fresh_code as the source when the fresh-code round trip delivers a usable code', async () => {
    const msal = new FakeMsal({ onCode: async (r) => makeResult(makeAccount(HOME_ACCOUNT_ID), r.scopes ?? []) });
    const first = buildTestStore({ msal: new FakeMsal(), bootstrap: testBootstrap({ spaCode: null }) });
    await first.store.dispatch(initializeAuth());
    const second = buildTestStore({ msal, storage: first.storage, bootstrap: testBootstrap({ spaCode: 'fresh' }) });
    await second.store.dispatch(initializeAuth());
    expect(second.store.getState().auth).to.include({ status: 'authenticated', tokenSource: 'fresh_code' });

    // Success clears the per-tab marker, so a later expiry in this tab may use the fresh-code route again.
    const third = buildTestStore({
      msal: new FakeMsal(),
      storage: first.storage,
      bootstrap: testBootstrap({ spaCode: null }),
    });
    await third.store.dispatch(initializeAuth());
    expect(third.navigations).to.have.length(1);
  });

  it('goes straight to the redirect with the login hint when the bootstrap carries spaCodeError', async () => {
    const msal = new FakeMsal();
    const h = buildTestStore({ msal, bootstrap: testBootstrap({ spaCode: null, spaCodeError: 'login_required' }) });
    await h.store.dispatch(initializeAuth());
    expect(msal.callsTo('acquireTokenByCode')).to.have.length(0);
    expect(msal.callsTo('acquireTokenRedirect')[0]!.request).to.deep.equal({
      account: undefined,
      loginHint: 'hint-adele',
      scopes: SCOPES,
    });
    expect(h.navigations).to.deep.equal([]);
  });

  it('clears the cache and fails closed when the redeemed account differs from the server session', async () => {
    const other = makeAccount('someone-else.tenant');
    const msal = new FakeMsal({ onCode: async (r) => makeResult(other, r.scopes ?? []) });
    const { store } = buildTestStore({ msal });
    await store.dispatch(initializeAuth());
    expect(msal.callsTo('clearCache')).to.have.length(1);
    expect(msal.callsTo('setActiveAccount')).to.have.length(0);
    const auth = store.getState().auth;
    expect(auth.status).to.equal('error');
    expect(auth.error?.code).to.equal('account_mismatch');
    expect(auth.error?.message).to.match(/different account/);
  });

  it('redirects with the bootstrap account and scopes when redemption needs interaction', async () => {
    const account = makeAccount(HOME_ACCOUNT_ID);
    const msal = new FakeMsal({
      accounts: [makeAccount('a.t'), account],
      onCode: () => Promise.reject(interactionRequired()),
    });
    const { store } = buildTestStore({ msal });
    await store.dispatch(initializeAuth());
    expect(msal.callsTo('acquireTokenRedirect')[0]!.request).to.deep.equal({
      account,
      loginHint: 'hint-adele',
      scopes: SCOPES,
    });
    expect(store.getState().auth.status).to.equal('interaction_required');
  });

  it('ends in the error state without a redirect when redemption fails for another reason, and retries without the spent code', async () => {
    const msal = new FakeMsal({
      onCode: () => Promise.reject(new ServerError('temporarily_unavailable', 'c', 'AADSTS90033: busy')),
    });
    const { store, navigations } = buildTestStore({ msal });
    await store.dispatch(initializeAuth());
    let auth = store.getState().auth;
    expect(auth.status).to.equal('error');
    expect(auth.error).to.deep.equal({
      code: 'temporarily_unavailable',
      message: 'The sign-in service is temporarily unavailable. Try again in a moment.',
    });
    expect(msal.callsTo('acquireTokenRedirect')).to.have.length(0);
    expect(navigations).to.deep.equal([]);

    // Retry: the code is not sent again; the recovery chain runs instead.
    await store.dispatch(initializeAuth());
    expect(msal.callsTo('acquireTokenByCode')).to.have.length(1);
    auth = store.getState().auth;
    expect(auth.status).to.equal('interaction_required');
    expect(navigations).to.have.length(1);
  });

  it('is authenticated from a redirect return without redeeming the code', async () => {
    const account = makeAccount(HOME_ACCOUNT_ID);
    const msal = new FakeMsal({ redirectResult: makeResult(account, SCOPES) });
    const { store } = buildTestStore({ msal });
    await store.dispatch(initializeAuth());
    expect(msal.callsTo('acquireTokenByCode')).to.have.length(0);
    expect(store.getState().auth).to.include({ status: 'authenticated', tokenSource: 'redirect' });
  });

  it('shows a readable error when the redirect return failed', async () => {
    const msal = new FakeMsal({
      redirectResult: new ServerError('access_denied', 'c', 'AADSTS65004: User declined to consent'),
    });
    const { store } = buildTestStore({ msal });
    await store.dispatch(initializeAuth());
    expect(store.getState().auth.error).to.deep.equal({ code: 'access_denied', message: 'Sign-in was declined.' });
  });

  it('picks the MSAL account by homeAccountId when the cache holds several', async () => {
    const mine = makeAccount(HOME_ACCOUNT_ID, 'adele@contoso.test');
    // Same username, different home account: matching by username or accounts[0] would pick the wrong one.
    const impostor = makeAccount('ffff.other-tenant', 'adele@contoso.test');
    const msal = new FakeMsal({
      accounts: [impostor, makeAccount('b.t'), mine],
      onSilent: async (r) => makeResult(r.account!, r.scopes),
    });
    const { store } = buildTestStore({ msal, bootstrap: testBootstrap({ spaCode: null }) });
    await store.dispatch(initializeAuth());
    expect(msal.callsTo('acquireTokenSilent')[0]!.request).to.include({ account: mine });
    expect(msal.callsTo('getAccount')[0]!.request).to.deep.equal({ homeAccountId: HOME_ACCOUNT_ID });
    expect(store.getState().auth).to.include({ status: 'authenticated', tokenSource: 'silent' });
  });

  it('is signed_out, acquires no token and clears leftover browser tokens when the server session is anonymous', async () => {
    const msal = new FakeMsal({ accounts: [makeAccount(HOME_ACCOUNT_ID)] });
    const { store } = buildTestStore({
      msal,
      bootstrap: testBootstrap({
        account: null,
        spaCode: null,
        routes: { signIn: '/auth/signin', signOut: null, freshSpaCode: '/auth/spa-code' },
      }),
    });
    await store.dispatch(initializeAuth());
    expect(msal.methods).to.deep.equal(['handleRedirectPromise', 'clearCache']);
    expect(store.getState().auth.status).to.equal('signed_out');
  });

  it('takes the fresh-code route when Entra refuses the cached refresh token (invalid_grant, e.g. revoked)', async () => {
    const msal = new FakeMsal({
      accounts: [makeAccount(HOME_ACCOUNT_ID)],
      onSilent: () =>
        Promise.reject(
          new ServerError('invalid_grant', 'c', 'AADSTS50173: The provided grant has expired due to it being revoked.'),
        ),
    });
    const h = buildTestStore({ msal, bootstrap: testBootstrap({ spaCode: null }) });
    await h.store.dispatch(initializeAuth());
    expect(h.navigations).to.deep.equal(['/auth/spa-code?returnTo=%2Fprofile%3Ftab%3D1']);
  });

  it('ends in error (not signed out) when the silent call fails for a non-interaction reason', async () => {
    const msal = new FakeMsal({
      accounts: [makeAccount(HOME_ACCOUNT_ID)],
      onSilent: () => Promise.reject(new ServerError('network_error', 'c', 'fetch failed')),
    });
    const { store, navigations } = buildTestStore({ msal, bootstrap: testBootstrap({ spaCode: null }) });
    await store.dispatch(initializeAuth());
    expect(store.getState().auth.status).to.equal('error');
    expect(navigations).to.deep.equal([]);
  });
});
