// checkSession: confirms the BFF session (GET /api/session) at most once per check interval per browser.
import { CSRF_HEADER, CSRF_HEADER_VALUE, type SessionResponse } from '../../../shared-types/api';
import { createAppAsyncThunk } from '../../app/withTypes';
import { endLocalSession } from './endLocalSession';
import { sessionCheckStarted, sessionStateReceived } from './sessionActions';
import type { SessionEndReason } from './sessionChannel';

export type SessionCheckOutcome = 'active' | 'ended' | 'anonymous' | 'unknown';

export interface CheckSessionArgs {
  /** Extend the session too (user activity, "Stay signed in"); a plain check never does. */
  slide?: boolean;
  /** Ask even within the check interval (timers, "Stay signed in"); an answer younger than 2 s is still reused. */
  force?: boolean;
  /** How the end is explained when the session turns out to be over. */
  endReason?: SessionEndReason;
}

/** Answers younger than this are reused even by forced checks (all tabs' timers fire at about the same time). */
const FRESH_MS = 2_000;

function isSessionResponse(v: unknown): v is SessionResponse {
  const o = v as Partial<SessionResponse> | null;
  return typeof o === 'object' && o !== null && typeof o.signedIn === 'boolean';
}

export const checkSession = createAppAsyncThunk<SessionCheckOutcome, CheckSessionArgs | undefined>(
  'session/check',
  async (args = {}, { extra, getState, dispatch }) => {
    const session = getState().session;
    if (session.status === 'ended') return 'ended';
    if (session.status === 'anonymous') return 'anonymous';
    const now = extra.now();
    const age = session.lastCheckedAt === null ? Infinity : now - session.lastCheckedAt;
    const interval = extra.bootstrap.session.checkIntervalSeconds * 1000;
    // An answer that says the session should be over by now is never reused: that is exactly what is being checked.
    const due = session.idleExpiresAt !== null && session.idleExpiresAt <= now;
    if (!args.slide && !due && age < (args.force ? FRESH_MS : interval)) return 'active';
    if (args.slide && !args.force && age < interval) return 'active';

    // One request at a time per tab; concurrent triggers (three Graph calls of one page) share it.
    extra.sessionCheck.current ??= (async (): Promise<SessionCheckOutcome> => {
      dispatch(sessionCheckStarted({ at: now }));
      let body: unknown;
      try {
        const response = await fetch(`${extra.apiBaseUrl}/session${args.slide ? '?slide=true' : ''}`, {
          headers: { [CSRF_HEADER]: CSRF_HEADER_VALUE, Accept: 'application/json' },
          credentials: 'include',
          cache: 'no-store',
        });
        if (!response.ok) return 'unknown';
        body = await response.json();
      } catch {
        // Offline or the BFF is restarting: not a reason to sign out; the next trigger asks again.
        return 'unknown';
      }
      if (!isSessionResponse(body)) return 'unknown';
      const expected = extra.bootstrap.account?.homeAccountId;
      if (
        !body.signedIn ||
        body.accountId !== expected ||
        body.idleExpiresInSeconds === null ||
        body.absoluteExpiresInSeconds === null
      ) {
        await dispatch(endLocalSession({ reason: args.endReason ?? 'ended', broadcast: true }));
        return 'ended';
      }
      const state = {
        idleExpiresInSeconds: body.idleExpiresInSeconds,
        absoluteExpiresInSeconds: body.absoluteExpiresInSeconds,
      };
      dispatch(sessionStateReceived({ ...state, at: extra.now() }));
      extra.sessionChannel.post({ type: 'state', ...state });
      return 'active';
    })().finally(() => {
      extra.sessionCheck.current = null;
    });
    return extra.sessionCheck.current;
  },
);
