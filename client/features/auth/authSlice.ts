// The SPA's sign-in state machine: idle → redeeming → authenticated | interaction_required | signed_out | error.
import { createSlice } from '@reduxjs/toolkit';
import type { BootstrapAccount } from '../../../shared-types/bootstrap';
import { acquireToken } from './acquireToken';
import { interactionStarted, sessionExpired, spaCodeConsumed } from './authActions';
import type { AccountSummary, AuthErrorInfo, PendingInteraction, TokenSource } from './authTypes';
import { initializeAuth } from './initializeAuth';
import { signOut } from './signOut';
import { sessionEnded } from '../session/sessionActions';

export type AuthStatus = 'idle' | 'redeeming' | 'authenticated' | 'interaction_required' | 'signed_out' | 'error';

export interface AuthState {
  status: AuthStatus;
  /** The account the BFF session belongs to (from the bootstrap); null when anonymous. */
  serverAccount: AccountSummary | null;
  /** The server session's app roles (from the bootstrap). For the UI only: the BFF checks roles on every request. */
  serverRoles: string[];
  /** App role each BFF route needs (`/api/secret` → `Secrets.Read`). */
  requiredRoles: Record<string, string>;
  /** The MSAL account the SPA holds tokens for, once authenticated. */
  account: AccountSummary | null;
  grantedScopes: string[];
  tokenSource: TokenSource | null;
  pendingInteraction: PendingInteraction | null;
  error: AuthErrorInfo | null;
  /** performance.now()-style timestamps (ms); durationMs = authenticatedAt - startedAt. */
  timings: { startedAt: number | null; authenticatedAt: number | null; durationMs: number | null };
  /** The one-time spa code has been handed to MSAL; a retry must not redeem it again. */
  spaCodeUsed: boolean;
  /** The BFF answered 401: the server session is gone. */
  sessionExpired: boolean;
  /** Why the server ended the session (e.g. `account_disabled`) and what it said, when it said. */
  sessionEndReason: string | null;
  sessionEndMessage: string | null;
  signingOut: boolean;
}

export const initialAuthState: AuthState = {
  status: 'idle',
  serverAccount: null,
  serverRoles: [],
  requiredRoles: {},
  account: null,
  grantedScopes: [],
  tokenSource: null,
  pendingInteraction: null,
  error: null,
  timings: { startedAt: null, authenticatedAt: null, durationMs: null },
  spaCodeUsed: false,
  sessionExpired: false,
  sessionEndReason: null,
  sessionEndMessage: null,
  signingOut: false,
};

/** The auth state a page load starts from, given the server's view of the session. */
export function authStateFromBootstrap(
  account: BootstrapAccount | null,
  requiredRoles: Record<string, string> = {},
): AuthState {
  return {
    ...initialAuthState,
    serverAccount: account && summarizeAccount(account),
    serverRoles: account?.roles ?? [],
    requiredRoles,
  };
}

/** The role `route` needs that the signed-in user lacks, or null (no role needed, or held; case-insensitive like the BFF). */
export function missingRole(state: Pick<AuthState, 'serverRoles' | 'requiredRoles'>, route: string): string | null {
  const role = state.requiredRoles[route];
  if (!role) return null;
  return state.serverRoles.some((r) => r.toLowerCase() === role.toLowerCase()) ? null : role;
}

function summarizeAccount(a: {
  homeAccountId: string;
  tenantId: string;
  username: string;
  name?: string;
}): AccountSummary {
  return { homeAccountId: a.homeAccountId, tenantId: a.tenantId, username: a.username, name: a.name ?? a.username };
}

const mergeScopes = (a: string[], b: string[]): string[] => [...new Set([...a, ...b])];

export const authSlice = createSlice({
  name: 'auth',
  initialState: initialAuthState,
  reducers: {},
  extraReducers: (builder) => {
    builder
      .addCase(spaCodeConsumed, (state) => {
        state.spaCodeUsed = true;
      })
      .addCase(interactionStarted, (state, action) => {
        state.status = 'interaction_required';
        state.pendingInteraction = action.payload;
        state.error = null;
      })
      .addCase(initializeAuth.pending, (state, action) => {
        state.status = 'redeeming';
        state.error = null;
        state.pendingInteraction = null;
        state.timings = { startedAt: action.meta.startedAt, authenticatedAt: null, durationMs: null };
      })
      .addCase(initializeAuth.fulfilled, (state, { payload }) => {
        switch (payload.kind) {
          case 'authenticated':
            state.status = 'authenticated';
            state.account = payload.account;
            state.grantedScopes = payload.scopes;
            state.tokenSource = payload.source;
            state.pendingInteraction = null;
            state.timings.authenticatedAt = payload.finishedAt;
            state.timings.durationMs =
              state.timings.startedAt === null ? null : Math.max(0, payload.finishedAt - state.timings.startedAt);
            break;
          case 'interaction_required':
            state.status = 'interaction_required';
            state.pendingInteraction = payload.interaction;
            break;
          case 'signed_out':
            state.status = 'signed_out';
            state.account = null;
            break;
        }
      })
      .addCase(initializeAuth.rejected, (state, action) => {
        state.status = 'error';
        state.pendingInteraction = null;
        state.error = action.payload ?? {
          code: 'unexpected_error',
          message: action.error.message ?? 'Sign-in failed.',
        };
      })
      .addCase(acquireToken.fulfilled, (state, { payload }) => {
        state.grantedScopes = mergeScopes(state.grantedScopes, payload.scopes);
      })
      .addCase(signOut.pending, (state) => {
        state.signingOut = true;
      })
      .addCase(signOut.fulfilled, (state) => {
        state.signingOut = false;
        state.status = 'signed_out';
        state.account = null;
        state.grantedScopes = [];
      })
      .addCase(signOut.rejected, (state) => {
        state.signingOut = false;
      })
      .addMatcher(
        (action) => sessionExpired.match(action) || sessionEnded.match(action),
        (state, action) => {
          // Only a BFF 401 says why (e.g. account_disabled) and what to tell the user; the sessionEnded that follows it
          // (endLocalSession) keeps that explanation.
          if (sessionExpired.match(action)) {
            state.sessionEndReason = action.payload?.reason ?? null;
            state.sessionEndMessage = action.payload?.message ?? null;
          } else if (!state.sessionExpired) {
            state.sessionEndReason = null;
            state.sessionEndMessage = null;
          }
          state.sessionExpired = true;
          state.status = 'signed_out';
          state.serverAccount = null;
          state.account = null;
          state.grantedScopes = [];
          state.tokenSource = null;
          state.pendingInteraction = null;
          state.error = null;
        },
      );
  },
  selectors: {
    selectAuth: (state) => state,
    selectServerAccount: (state) => state.serverAccount,
    selectSessionExpired: (state) => state.sessionExpired,
  },
});

export const { selectAuth, selectServerAccount, selectSessionExpired } = authSlice.selectors;
