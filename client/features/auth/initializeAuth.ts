// initializeAuth: the page-load sign-in of the SPA (redirect return, spa-code redemption, and the recovery chain).
import { CacheLookupPolicy, type AuthenticationResult } from '@azure/msal-browser';
import type { AppExtra } from '../../app/store';
import { createAppAsyncThunk } from '../../app/withTypes';
import { interactionStarted, spaCodeConsumed } from './authActions';
import {
  ACCOUNT_MISMATCH,
  isInteractionRequired,
  isSilentInteractionRequired,
  isUnusableCode,
  toAuthErrorInfo,
} from './authErrors';
import type { AccountSummary, AuthErrorInfo, PendingInteraction, TokenSource } from './authTypes';
import { clearFreshCodeTried, hasTriedFreshCode, markFreshCodeTried } from './freshCodeAttempt';

export type InitializeOutcome =
  | { kind: 'authenticated'; account: AccountSummary; scopes: string[]; source: TokenSource; finishedAt: number }
  | { kind: 'interaction_required'; interaction: PendingInteraction }
  | { kind: 'signed_out' };

/** Thrown inside the flow to end it in the error state with a specific message. */
class AuthFlowError extends Error {
  constructor(readonly info: AuthErrorInfo) {
    super(info.message);
  }
}

type Dispatch = (action: ReturnType<typeof interactionStarted>) => unknown;

/**
 * Runs once per page load (the `condition` makes React StrictMode's second effect a no-op) and again only from the
 * error state (Retry). Order:
 * 1. handleRedirectPromise: returning from a fallback redirect → authenticated, no redemption;
 * 2. no server account → signed_out; `spaCodeError` → redirect with the login hint;
 * 3. spa code → acquireTokenByCode exactly once; InteractionRequired → redirect; invalid_grant → step 4;
 * 4. recovery for a new tab / reload / lost or used code: silent for the bootstrap account → fresh spa code
 *    (once per tab; skipped when the BFF says Entra issues this account none) → redirect with the login hint. The user is never left silently signed out.
 */
export const initializeAuth = createAppAsyncThunk<
  InitializeOutcome,
  void,
  { rejectValue: AuthErrorInfo; pendingMeta: { startedAt: number } }
>(
  'auth/initialize',
  async (_arg, { extra, getState, dispatch, rejectWithValue }) => {
    const { msal, bootstrap } = extra;
    try {
      const returned = await msal.handleRedirectPromise();
      if (returned) return await completeSignIn(extra, returned, 'redirect');

      if (!bootstrap.account) {
        // The server session is gone (signed out elsewhere, expired): drop whatever this tab still caches for it.
        await msal.clearCache();
        return { kind: 'signed_out' };
      }
      if (bootstrap.spaCodeError) return await startRedirect(extra, dispatch);

      if (bootstrap.spaCode && !getState().auth.spaCodeUsed) {
        // Recorded before the call: even if this attempt fails, a retry must not send the code again.
        dispatch(spaCodeConsumed());
        const source: TokenSource = hasTriedFreshCode(extra.storage) ? 'fresh_code' : 'hybrid_code';
        try {
          const result = await msal.acquireTokenByCode({ code: bootstrap.spaCode, scopes: bootstrap.scopes });
          return await completeSignIn(extra, result, source);
        } catch (error) {
          if (isInteractionRequired(error)) return await startRedirect(extra, dispatch);
          if (!isUnusableCode(error)) throw error;
          // The code is spent or expired: fall through to the recovery chain.
        }
      }
      return await recover(extra, dispatch);
    } catch (error) {
      return rejectWithValue(error instanceof AuthFlowError ? error.info : toAuthErrorInfo(error));
    }
  },
  {
    condition: (_arg, { getState }) => {
      const { status } = getState().auth;
      return status === 'idle' || status === 'error';
    },
    getPendingMeta: (_base, { extra }) => ({ startedAt: extra.now() }),
  },
);

async function recover(extra: AppExtra, dispatch: Dispatch): Promise<InitializeOutcome> {
  const { msal, bootstrap, storage } = extra;
  const homeAccountId = bootstrap.account!.homeAccountId;
  // By homeAccountId, never by username or accounts[0]: the cache may hold other people's accounts.
  const account = msal.getAccount({ homeAccountId });
  if (account) {
    try {
      const result = await msal.acquireTokenSilent({
        account,
        scopes: bootstrap.scopes,
        // Cache and refresh token only: the hidden-iframe fallback cannot work under the BFF's CSP and third-party
        // cookie blocking, and would only add a timeout before the fallbacks below.
        cacheLookupPolicy: CacheLookupPolicy.AccessTokenAndRefreshToken,
      });
      return await completeSignIn(extra, result, 'silent');
    } catch (error) {
      if (!isSilentInteractionRequired(error)) throw error;
    }
  }
  // No spa code for this account at sign-in (personal accounts): a prompt=none fresh code cannot bring one either.
  if (!bootstrap.spaCodeUnavailable && !hasTriedFreshCode(storage)) {
    markFreshCodeTried(storage, Date.now());
    dispatch(interactionStarted('fresh_code'));
    extra.navigate(`${bootstrap.routes.freshSpaCode}?returnTo=${encodeURIComponent(extra.currentPath())}`);
    return { kind: 'interaction_required', interaction: 'fresh_code' };
  }
  return startRedirect(extra, dispatch);
}

async function startRedirect(extra: AppExtra, dispatch: Dispatch): Promise<InitializeOutcome> {
  const { msal, bootstrap } = extra;
  const expected = bootstrap.account!;
  const account = msal.getAccount({ homeAccountId: expected.homeAccountId }) ?? undefined;
  dispatch(interactionStarted('redirect'));
  await msal.acquireTokenRedirect({
    account,
    loginHint: expected.loginHint ?? expected.username,
    scopes: bootstrap.scopes,
  });
  return { kind: 'interaction_required', interaction: 'redirect' };
}

/** Binds the MSAL result to the server session's account, or fails closed. */
async function completeSignIn(
  extra: AppExtra,
  result: AuthenticationResult,
  source: TokenSource,
): Promise<InitializeOutcome> {
  const { msal, bootstrap } = extra;
  const expected = bootstrap.account;
  if (!expected) {
    // A redirect result without a server session: do not keep tokens the BFF does not know about.
    await msal.clearCache();
    return { kind: 'signed_out' };
  }
  if (result.account?.homeAccountId !== expected.homeAccountId) {
    await msal.clearCache();
    throw new AuthFlowError(ACCOUNT_MISMATCH);
  }
  msal.setActiveAccount(result.account);
  clearFreshCodeTried(extra.storage);
  return {
    kind: 'authenticated',
    account: {
      homeAccountId: result.account.homeAccountId,
      tenantId: result.account.tenantId,
      username: result.account.username,
      name: result.account.name ?? expected.name,
    },
    scopes: [...result.scopes],
    source,
    finishedAt: extra.now(),
  };
}
