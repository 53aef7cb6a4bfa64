import { InteractionRequiredAuthError, ServerError } from '@azure/msal-browser';
import { expect } from 'chai';
import { acquireToken } from '../../client/features/auth/acquireToken';
import { signIn, signOut } from '../../client/features/auth/signOut';
import { FakeMsal, makeAccount, makeResult } from './helpers/fakeMsal';
import { buildTestStore, HOME_ACCOUNT_ID, testBootstrap } from './helpers/testStore';

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('acquireToken', () => {
  it('shares one MSAL call between concurrent requests for the same scopes', async () => {
    const gate = deferred<void>();
    const msal = new FakeMsal({
      accounts: [makeAccount(HOME_ACCOUNT_ID)],
      onSilent: async (r) => {
        await gate.promise;
        return makeResult(r.account!, r.scopes, 'token-1');
      },
    });
    const { store } = buildTestStore({ msal });
    const calls = [
      store.dispatch(acquireToken({ scopes: ['User.Read'] })),
      store.dispatch(acquireToken({ scopes: ['user.read'] })),
      store.dispatch(acquireToken({ scopes: ['User.Read'] })),
    ];
    gate.resolve();
    const results = await Promise.all(calls.map((c) => c.unwrap()));
    expect(msal.callsTo('acquireTokenSilent')).to.have.length(1);
    expect(results.map((r) => r.accessToken)).to.deep.equal(['token-1', 'token-1', 'token-1']);

    // Once settled, the next call asks MSAL again (MSAL's own cache answers it).
    await store.dispatch(acquireToken({ scopes: ['User.Read'] })).unwrap();
    expect(msal.callsTo('acquireTokenSilent')).to.have.length(2);
  });

  it('makes separate calls for different scopes and passes forceRefresh', async () => {
    const msal = new FakeMsal({
      accounts: [makeAccount(HOME_ACCOUNT_ID)],
      onSilent: async (r) => makeResult(r.account!, r.scopes),
    });
    const { store } = buildTestStore({ msal });
    await Promise.all([
      store.dispatch(acquireToken({ scopes: ['User.Read'] })),
      store.dispatch(acquireToken({ scopes: ['Contacts.Read'] })),
      store.dispatch(acquireToken({ scopes: ['User.Read'], forceRefresh: true })),
    ]);
    const requests = msal
      .callsTo('acquireTokenSilent')
      .map((c) => c.request as { scopes: string[]; forceRefresh: boolean });
    expect(requests.map((r) => [r.scopes.join(), r.forceRefresh])).to.deep.equal([
      ['User.Read', false],
      ['Contacts.Read', false],
      ['User.Read', true],
    ]);
    expect(store.getState().auth.grantedScopes).to.have.members(['User.Read', 'Contacts.Read']);
  });

  it('falls back to a redirect only when interaction is required', async () => {
    const account = makeAccount(HOME_ACCOUNT_ID);
    const msal = new FakeMsal({
      accounts: [account],
      onSilent: () => Promise.reject(new InteractionRequiredAuthError('consent_required', 'c')),
    });
    const { store } = buildTestStore({ msal });
    const result = await store.dispatch(acquireToken({ scopes: ['Contacts.Read'] }));
    expect(acquireToken.rejected.match(result) && result.payload?.interaction).to.equal(true);
    expect(msal.callsTo('acquireTokenRedirect')[0]!.request).to.deep.equal({
      account,
      loginHint: 'hint-adele',
      scopes: ['Contacts.Read'],
    });
    expect(store.getState().auth).to.include({ status: 'interaction_required', pendingInteraction: 'redirect' });
  });

  it('falls back to a redirect when Entra refuses the refresh token (invalid_grant: revoked or past the SPA lifetime)', async () => {
    const account = makeAccount(HOME_ACCOUNT_ID);
    const msal = new FakeMsal({
      accounts: [account],
      onSilent: () =>
        Promise.reject(
          new ServerError('invalid_grant', 'c', 'AADSTS700084: The refresh token was issued to a single page app'),
        ),
    });
    const { store } = buildTestStore({ msal });
    const result = await store.dispatch(acquireToken({ scopes: ['User.Read'] }));
    expect(acquireToken.rejected.match(result) && result.payload?.interaction).to.equal(true);
    expect(msal.callsTo('acquireTokenRedirect')).to.have.length(1);
  });

  it('starts only one redirect when several scopes need interaction at once', async () => {
    const msal = new FakeMsal({
      accounts: [makeAccount(HOME_ACCOUNT_ID)],
      onSilent: () => Promise.reject(new InteractionRequiredAuthError('interaction_required', 'c')),
    });
    const { store } = buildTestStore({ msal });
    const results = await Promise.all([
      store.dispatch(acquireToken({ scopes: ['User.Read'] })),
      store.dispatch(acquireToken({ scopes: ['Contacts.Read'] })),
    ]);
    expect(msal.callsTo('acquireTokenRedirect')).to.have.length(1);
    expect(results.map((r) => acquireToken.rejected.match(r) && r.payload?.interaction)).to.deep.equal([true, true]);
    // Later callers do not even ask MSAL while the page is navigating away.
    await store.dispatch(acquireToken({ scopes: ['User.Read'] }));
    expect(msal.callsTo('acquireTokenSilent')).to.have.length(2);
  });

  it('rejects with a readable error and no redirect on other failures', async () => {
    const msal = new FakeMsal({
      accounts: [makeAccount(HOME_ACCOUNT_ID)],
      onSilent: () => Promise.reject(new ServerError('server_error', 'c', 'AADSTS50000: boom\nTrace ID: x')),
    });
    const { store } = buildTestStore({ msal });
    const result = await store.dispatch(acquireToken({ scopes: ['User.Read'] }));
    expect(result.payload).to.deep.equal({
      code: 'server_error',
      message: 'Sign-in failed: AADSTS50000: boom',
      interaction: false,
    });
    expect(msal.callsTo('acquireTokenRedirect')).to.have.length(0);
  });

  it('rejects with no_account when MSAL has no account for the session', async () => {
    const { store } = buildTestStore();
    const result = await store.dispatch(acquireToken({ scopes: ['User.Read'] }));
    expect(result.payload).to.include({ code: 'no_account' });
  });
});

describe('signOut', () => {
  it('awaits clearCache for the account before navigating to the sign-out route', async () => {
    const gate = deferred<void>();
    const account = makeAccount(HOME_ACCOUNT_ID);
    const msal = new FakeMsal({ accounts: [makeAccount('x.y'), account], onClearCache: () => gate.promise });
    const { store, navigations } = buildTestStore({ msal });

    const pending = store.dispatch(signOut());
    await new Promise((r) => setTimeout(r, 10));
    expect(navigations, 'navigated before the cache was cleared').to.deep.equal([]);
    expect(store.getState().auth.signingOut).to.equal(true);
    gate.resolve();
    await pending;

    expect(msal.callsTo('clearCache')[0]!.request).to.deep.equal({ account });
    expect(navigations).to.deep.equal(['/auth/signout?t=abc']);
    expect(store.getState().auth).to.include({ status: 'signed_out', signingOut: false });
  });

  it('still signs out on the server when clearing the cache fails', async () => {
    const msal = new FakeMsal({ onClearCache: () => Promise.reject(new Error('storage full')) });
    const { store, navigations } = buildTestStore({ msal });
    await store.dispatch(signOut());
    expect(navigations).to.deep.equal(['/auth/signout?t=abc']);
  });
});

describe('signIn', () => {
  it('navigates to the server sign-in with the current path as returnTo', () => {
    const { store, navigations } = buildTestStore({ bootstrap: testBootstrap({ account: null, spaCode: null }) });
    store.dispatch(signIn());
    expect(navigations).to.deep.equal(['/auth/signin?returnTo=%2Fprofile%3Ftab%3D1']);
    expect(store.getState().auth.pendingInteraction).to.equal('sign_in');
  });
});
