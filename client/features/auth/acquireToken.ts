// acquireToken: an access token for the given scopes (silent first, redirect only when interaction is required).
import { CacheLookupPolicy } from '@azure/msal-browser';
import type { AppExtra } from '../../app/store';
import { createAppAsyncThunk } from '../../app/withTypes';
import { interactionStarted } from './authActions';
import { isSilentInteractionRequired, toAuthErrorInfo } from './authErrors';
import type { TokenGrant, TokenOutcome } from './authClient';
import type { AuthErrorInfo } from './authTypes';

export interface AcquireTokenArgs {
  scopes: string[];
  /** Skip the cached access token (e.g. after the resource answered 401). */
  forceRefresh?: boolean;
  /** A claims challenge from the resource (CAE: JSON text): the new token must satisfy it (never from the cache). */
  claims?: string;
}

export interface AcquireTokenError extends AuthErrorInfo {
  /** True when a redirect was started: the page is about to unload. */
  interaction: boolean;
}

const requestKey = ({ scopes, forceRefresh, claims }: AcquireTokenArgs): string =>
  `${[...scopes]
    .map((s) => s.toLowerCase())
    .sort()
    .join(' ')}|${forceRefresh ? 'refresh' : 'cache'}|${claims ?? ''}`;

/**
 * Concurrent calls for the same scopes share one MSAL request (the promise map lives in `extra`, not in state).
 * The fulfilled payload carries the token to the caller only; no reducer stores it and DevTools see it redacted.
 */
export const acquireToken = createAppAsyncThunk<TokenGrant, AcquireTokenArgs, { rejectValue: AcquireTokenError }>(
  'auth/acquireToken',
  async (args, { extra, dispatch, getState, rejectWithValue }) => {
    const key = requestKey(args);
    let request = extra.tokenRequests.get(key);
    if (!request) {
      // A top-level navigation is already under way (MSAL allows one interaction per tab): do not start another.
      const navigating = () => getState().auth.status === 'interaction_required';
      request = requestToken(extra, args, navigating, () => dispatch(interactionStarted('redirect')));
      extra.tokenRequests.set(key, request);
      const forget = () => extra.tokenRequests.delete(key);
      void request.then(forget, forget);
    }
    const outcome = await request;
    return outcome.ok ? outcome.grant : rejectWithValue({ ...outcome.error, interaction: outcome.interaction });
  },
);

/** Never rejects, so a shared request cannot produce unhandled rejections. */
async function requestToken(
  extra: AppExtra,
  args: AcquireTokenArgs,
  navigating: () => boolean,
  onRedirect: () => void,
): Promise<TokenOutcome> {
  const { msal, bootstrap } = extra;
  const redirecting: TokenOutcome = {
    ok: false,
    error: { code: 'interaction_required', message: 'Redirecting to sign in…' },
    interaction: true,
  };
  if (navigating()) return redirecting;
  const homeAccountId = bootstrap.account?.homeAccountId;
  // Only the server session's account: never a leftover cached account of an ended session.
  const account = homeAccountId ? msal.getAccount({ homeAccountId }) : null;
  if (!account) {
    return { ok: false, error: { code: 'no_account', message: 'You are not signed in.' }, interaction: false };
  }
  try {
    const fresh = args.forceRefresh === true || args.claims !== undefined;
    const result = await msal.acquireTokenSilent({
      account,
      scopes: args.scopes,
      forceRefresh: fresh,
      cacheLookupPolicy: fresh ? CacheLookupPolicy.RefreshToken : CacheLookupPolicy.AccessTokenAndRefreshToken,
      ...(args.claims !== undefined && { claims: args.claims }),
    });
    return {
      ok: true,
      grant: {
        accessToken: result.accessToken,
        scopes: [...result.scopes],
        expiresOn: result.expiresOn?.getTime() ?? null,
      },
    };
  } catch (error) {
    if (!isSilentInteractionRequired(error)) return { ok: false, error: toAuthErrorInfo(error), interaction: false };
    if (navigating()) return redirecting;
    try {
      onRedirect();
      await msal.acquireTokenRedirect({
        account,
        loginHint: bootstrap.account?.loginHint ?? account.username,
        scopes: args.scopes,
        ...(args.claims !== undefined && { claims: args.claims }),
      });
      return redirecting;
    } catch (redirectError) {
      return { ok: false, error: toAuthErrorInfo(redirectError), interaction: false };
    }
  }
}
