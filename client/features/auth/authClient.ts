// The subset of msal-browser's PublicClientApplication the auth thunks use (tests inject a fake with this shape).
import type { IPublicClientApplication } from '@azure/msal-browser';

export type AuthClient = Pick<
  IPublicClientApplication,
  | 'handleRedirectPromise'
  | 'acquireTokenByCode'
  | 'acquireTokenSilent'
  | 'acquireTokenRedirect'
  | 'getAccount'
  | 'getActiveAccount'
  | 'setActiveAccount'
  | 'clearCache'
>;

/** An access token handed to a caller (never stored in Redux state). */
export interface TokenGrant {
  accessToken: string;
  scopes: string[];
  /** Epoch ms, or null when MSAL did not say. */
  expiresOn: number | null;
}

/** In-flight token requests keyed by scope set, so concurrent callers share one MSAL call. */
export type TokenRequestMap = Map<string, Promise<TokenOutcome>>;

export type TokenOutcome =
  { ok: true; grant: TokenGrant } | { ok: false; error: { code: string; message: string }; interaction: boolean };
