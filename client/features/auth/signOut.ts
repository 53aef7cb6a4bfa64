// signOut / signIn: top-level navigations to the BFF; sign-out clears the SPA's MSAL cache first.
import type { AppThunk } from '../../app/withTypes';
import { createAppAsyncThunk } from '../../app/withTypes';
import { clearSavedDraft } from '../mail/mailDraft';
import { interactionStarted } from './authActions';

/**
 * Clears this account's tokens from MSAL's cache and *then* navigates to the BFF's sign-out route: navigating first
 * could unload the page before sessionStorage is cleared. A failed clear still signs out on the server.
 */
export const signOut = createAppAsyncThunk('auth/signOut', async (_arg, { extra, dispatch }) => {
  const { msal, bootstrap } = extra;
  // The other tabs drop their tokens and data now, not at their next check; this tab's draft goes too (it is
  // personal data, and sessionStorage outlives the navigation).
  extra.sessionChannel.post({ type: 'ended', reason: 'signed_out' });
  dispatch(clearSavedDraft());
  const homeAccountId = bootstrap.account?.homeAccountId;
  const account = (homeAccountId ? msal.getAccount({ homeAccountId }) : null) ?? msal.getActiveAccount();
  try {
    await msal.clearCache(account ? { account } : undefined);
  } finally {
    extra.navigate(bootstrap.routes.signOut ?? '/');
  }
});

/** Starts a server sign-in that returns to the current page. */
export const signIn = (): AppThunk => (dispatch, _getState, extra) => {
  dispatch(interactionStarted('sign_in'));
  extra.navigate(`${extra.bootstrap.routes.signIn}?returnTo=${encodeURIComponent(extra.currentPath())}`);
};
