// Serializable value types shared by the auth slice, its thunks and the UI.

/** How the SPA got its first token on this page load. */
export type TokenSource = 'hybrid_code' | 'silent' | 'redirect' | 'fresh_code';
/** The top-level navigation the SPA started to get a token (the page is about to unload). */
export type PendingInteraction = 'redirect' | 'fresh_code' | 'sign_in';

export interface AccountSummary {
  homeAccountId: string;
  tenantId: string;
  username: string;
  name: string;
}

export interface AuthErrorInfo {
  /** Stable machine code: an MSAL/Entra error code or one of ours (`account_mismatch`, `no_account`). */
  code: string;
  message: string;
}
