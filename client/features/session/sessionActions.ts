// Session events shared by the session feature and the auth slice (kept apart from both slices: no import cycle).
import { createAction } from '@reduxjs/toolkit';
import type { AuthNoticeCode } from '../../../shared-types/bootstrap';
import type { SessionEndReason } from './sessionChannel';

/** The server session's expiry as learned at `at` (extra.now() clock) from the BFF or another tab. */
export const sessionStateReceived = createAction<{
  idleExpiresInSeconds: number;
  absoluteExpiresInSeconds: number;
  at: number;
}>('session/stateReceived');
/** A session check started at `at`; other triggers within the check interval reuse its answer. */
export const sessionCheckStarted = createAction<{ at: number }>('session/checkStarted');
/** The server session is over (here or in another tab): nothing it covered may stay on screen. */
export const sessionEnded = createAction<{ reason: SessionEndReason }>('session/ended');
/** The idle notice is due (confirmed with the server just before). */
export const idleNoticeShown = createAction('session/idleNoticeShown');
/** An authorization round trip came back without success (from the BFF's `authNotice` query parameter). */
export const authNoticeReceived = createAction<{ code: AuthNoticeCode; scopes: string[] }>(
  'session/authNoticeReceived',
);
export const authNoticeDismissed = createAction('session/authNoticeDismissed');
