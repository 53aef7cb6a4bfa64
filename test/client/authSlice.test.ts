import { expect } from 'chai';
import { acquireToken } from '../../client/features/auth/acquireToken';
import { interactionStarted, sessionExpired, spaCodeConsumed } from '../../client/features/auth/authActions';
import {
  authSlice,
  authStateFromBootstrap,
  initialAuthState,
  type AuthState,
} from '../../client/features/auth/authSlice';
import { initializeAuth } from '../../client/features/auth/initializeAuth';
import { signOut } from '../../client/features/auth/signOut';
import { testBootstrap } from './helpers/testStore';

const reducer = authSlice.reducer;
const account = { homeAccountId: 'h.t', tenantId: 't', username: 'u@x.test', name: 'U' };
const redeeming = (): AuthState =>
  reducer(authStateFromBootstrap(testBootstrap().account), initializeAuth.pending('r1', undefined, { startedAt: 100 }));

describe('authSlice reducer', () => {
  it('starts idle with no account', () => {
    expect(reducer(undefined, { type: 'unknown' })).to.deep.equal(initialAuthState);
  });

  it('takes the server account from the bootstrap', () => {
    expect(authStateFromBootstrap(testBootstrap().account).serverAccount).to.deep.equal({
      homeAccountId: testBootstrap().account!.homeAccountId,
      tenantId: testBootstrap().account!.tenantId,
      username: 'adele@contoso.test',
      name: 'Adele Vance',
    });
  });

  it('idle → redeeming records the start time and clears a previous error', () => {
    const errored = { ...initialAuthState, status: 'error' as const, error: { code: 'x', message: 'y' } };
    const state = reducer(errored, initializeAuth.pending('r1', undefined, { startedAt: 100 }));
    expect(state).to.include({ status: 'redeeming', error: null });
    expect(state.timings).to.deep.equal({ startedAt: 100, authenticatedAt: null, durationMs: null });
  });

  it('redeeming → authenticated stores account, scopes, source and duration', () => {
    const state = reducer(
      redeeming(),
      initializeAuth.fulfilled(
        { kind: 'authenticated', account, scopes: ['User.Read'], source: 'hybrid_code', finishedAt: 350 },
        'r1',
      ),
    );
    expect(state).to.include({ status: 'authenticated', tokenSource: 'hybrid_code' });
    expect(state.account).to.deep.equal(account);
    expect(state.grantedScopes).to.deep.equal(['User.Read']);
    expect(state.timings).to.deep.equal({ startedAt: 100, authenticatedAt: 350, durationMs: 250 });
  });

  it('redeeming → interaction_required remembers which navigation started', () => {
    const state = reducer(
      redeeming(),
      initializeAuth.fulfilled({ kind: 'interaction_required', interaction: 'fresh_code' }, 'r1'),
    );
    expect(state).to.include({ status: 'interaction_required', pendingInteraction: 'fresh_code' });
  });

  it('redeeming → signed_out', () => {
    const state = reducer(redeeming(), initializeAuth.fulfilled({ kind: 'signed_out' }, 'r1'));
    expect(state).to.include({ status: 'signed_out', account: null });
  });

  it('redeeming → error keeps the typed error, or a generic one for unexpected failures', () => {
    const typed = reducer(
      redeeming(),
      initializeAuth.rejected(null, 'r1', undefined, { code: 'account_mismatch', message: 'm' }),
    );
    expect(typed).to.include({ status: 'error' });
    expect(typed.error).to.deep.equal({ code: 'account_mismatch', message: 'm' });
    const unexpected = reducer(redeeming(), initializeAuth.rejected(new Error('boom'), 'r1', undefined));
    expect(unexpected.error).to.deep.equal({ code: 'unexpected_error', message: 'boom' });
  });

  it('marks the spa code consumed', () => {
    expect(reducer(redeeming(), spaCodeConsumed()).spaCodeUsed).to.equal(true);
  });

  it('any state → interaction_required when a navigation starts', () => {
    const state = reducer({ ...initialAuthState, status: 'authenticated' }, interactionStarted('redirect'));
    expect(state).to.include({ status: 'interaction_required', pendingInteraction: 'redirect' });
  });

  it('merges scopes from later tokens without storing the token', () => {
    const state = reducer(
      { ...initialAuthState, status: 'authenticated', grantedScopes: ['User.Read'] },
      acquireToken.fulfilled({ accessToken: 'secret', scopes: ['Contacts.Read', 'User.Read'], expiresOn: null }, 'r2', {
        scopes: ['Contacts.Read'],
      }),
    );
    expect(state.grantedScopes).to.deep.equal(['User.Read', 'Contacts.Read']);
    expect(JSON.stringify(state)).not.to.contain('secret');
  });

  it('signOut pending → fulfilled ends signed_out; rejected only clears the flag', () => {
    const authed: AuthState = { ...initialAuthState, status: 'authenticated', account, grantedScopes: ['User.Read'] };
    const pending = reducer(authed, signOut.pending('r3'));
    expect(pending.signingOut).to.equal(true);
    expect(reducer(pending, signOut.fulfilled(undefined, 'r3'))).to.include({
      status: 'signed_out',
      account: null,
      signingOut: false,
    });
    expect(reducer(pending, signOut.rejected(new Error('x'), 'r3'))).to.include({
      status: 'authenticated',
      signingOut: false,
    });
  });

  it('session/expired → signed_out with the server account gone', () => {
    const authed: AuthState = { ...authStateFromBootstrap(testBootstrap().account), status: 'authenticated', account };
    const state = reducer(authed, sessionExpired({ signInUrl: '/auth/signin' }));
    expect(state).to.include({ status: 'signed_out', sessionExpired: true, serverAccount: null, account: null });
  });
});
