// What this tab knows about the server session: when it ends, when it was last confirmed, whether it is over.
import { createSlice } from '@reduxjs/toolkit';
import type { AuthNoticeCode, BootstrapPayload } from '../../../shared-types/bootstrap';
import {
  authNoticeDismissed,
  authNoticeReceived,
  idleNoticeShown,
  sessionCheckStarted,
  sessionEnded,
  sessionStateReceived,
} from './sessionActions';
import type { SessionEndReason } from './sessionChannel';

export interface SessionState {
  /** active: signed in as far as this tab knows; ended: the server session is over; anonymous: never signed in. */
  status: 'active' | 'ended' | 'anonymous';
  /** extra.now() times (ms) of the idle and absolute expiry; null when not signed in. */
  idleExpiresAt: number | null;
  absoluteExpiresAt: number | null;
  /** extra.now() of the last check (here or in another tab). */
  lastCheckedAt: number | null;
  idleNotice: boolean;
  endReason: SessionEndReason | null;
  authNotice: { code: AuthNoticeCode; scopes: string[] } | null;
}

const initialSessionState: SessionState = {
  status: 'anonymous',
  idleExpiresAt: null,
  absoluteExpiresAt: null,
  lastCheckedAt: null,
  idleNotice: false,
  endReason: null,
  authNotice: null,
};

/** The page load itself confirmed the session (the bootstrap was built from it): no check is needed right away. */
export function sessionStateFromBootstrap(bootstrap: BootstrapPayload, now: number): SessionState {
  const { idleExpiresInSeconds: idle, absoluteExpiresInSeconds: absolute } = bootstrap.session;
  if (!bootstrap.account || idle === null || absolute === null) return initialSessionState;
  return {
    ...initialSessionState,
    status: 'active',
    idleExpiresAt: now + idle * 1000,
    absoluteExpiresAt: now + absolute * 1000,
    lastCheckedAt: now,
  };
}

export const sessionSlice = createSlice({
  name: 'session',
  initialState: initialSessionState,
  reducers: {},
  extraReducers: (builder) => {
    builder
      .addCase(sessionCheckStarted, (state, { payload }) => {
        state.lastCheckedAt = payload.at;
      })
      .addCase(sessionStateReceived, (state, { payload }) => {
        if (state.status === 'ended') return;
        state.status = 'active';
        state.lastCheckedAt = payload.at;
        state.idleExpiresAt = payload.at + payload.idleExpiresInSeconds * 1000;
        state.absoluteExpiresAt = payload.at + payload.absoluteExpiresInSeconds * 1000;
        // Renewed (here, in another tab, or by any other request): the notice goes until it is due again.
        state.idleNotice = false;
      })
      .addCase(idleNoticeShown, (state) => {
        if (state.status === 'active') state.idleNotice = true;
      })
      .addCase(sessionEnded, (state, { payload }) => {
        state.status = 'ended';
        state.endReason = payload.reason;
        state.idleExpiresAt = null;
        state.absoluteExpiresAt = null;
        state.idleNotice = false;
        // A consent notice belongs to the session that asked.
        state.authNotice = state.authNotice?.code === 'signin_cancelled' ? state.authNotice : null;
      })
      .addCase(authNoticeReceived, (state, { payload }) => {
        state.authNotice = payload;
      })
      .addCase(authNoticeDismissed, (state) => {
        state.authNotice = null;
      });
  },
  selectors: {
    selectSession: (state) => state,
    selectAuthNotice: (state) => state.authNotice,
  },
});

export const { selectSession, selectAuthNotice } = sessionSlice.selectors;
