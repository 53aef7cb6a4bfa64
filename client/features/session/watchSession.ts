// Makes this tab follow the server session: other tabs' news, focus/visibility checks, a slow poll, idle timers.
import type { BootstrapPayload } from '../../../shared-types/bootstrap';
import type { AppStore } from '../../app/store';
import { checkSession } from './checkSession';
import { endLocalSession } from './endLocalSession';
import { idleNoticeShown, sessionStateReceived } from './sessionActions';
import type { SessionChannel } from './sessionChannel';

/** The browser features the watcher uses (a real window in the app, a stand-in in tests). */
export interface WatchHost {
  document: Pick<Document, 'visibilityState' | 'addEventListener' | 'removeEventListener'>;
  addEventListener(type: 'focus', listener: () => void): void;
  removeEventListener(type: 'focus', listener: () => void): void;
  setTimeout(handler: () => void, ms: number): number;
  clearTimeout(id: number): void;
  setInterval(handler: () => void, ms: number): number;
  clearInterval(id: number): void;
}

const MAX_DELAY_MS = 2 ** 31 - 1;
/** Spreads the timers of several tabs, so one asks and the others reuse its answer (shared over the channel). */
const JITTER_MS = 750;
/** How long after the known expiry the session is checked. */
const EXPIRY_GRACE_MS = 1_000;

export interface WatchDeps {
  /** The same channel and clock the store's thunks use (AppExtra). */
  channel: SessionChannel;
  bootstrap: BootstrapPayload;
  now: () => number;
  random?: () => number;
}

/** Starts following the session; returns the function that stops it. */
export function watchSession(store: AppStore, host: WatchHost, extra: WatchDeps): () => void {
  const { dispatch } = store;
  const random = extra.random ?? Math.random;
  const settings = () => store.getState().session;
  const bootstrapSession = () => extra.bootstrap.session;

  const unsubscribeChannel = extra.channel.subscribe((message) => {
    if (message.type === 'ended') void dispatch(endLocalSession({ reason: message.reason, broadcast: false }));
    else dispatch(sessionStateReceived({ ...message, at: extra.now() }));
  });

  const onVisible = () => {
    if (host.document.visibilityState === 'visible') void dispatch(checkSession());
  };
  host.document.addEventListener('visibilitychange', onVisible);
  host.addEventListener('focus', onVisible);

  const pollMs = bootstrapSession().pollIntervalSeconds * 1000;
  // Hidden tabs never poll: they check when they are looked at again.
  const poll = pollMs > 0 ? host.setInterval(onVisible, pollMs) : null;

  // Idle timers, rescheduled whenever the known expiry changes.
  let timers: number[] = [];
  let scheduledFor: string | null = null;
  const clearTimers = () => {
    for (const t of timers) host.clearTimeout(t);
    timers = [];
  };
  const at = (when: number, run: () => void) => {
    const delay = Math.min(MAX_DELAY_MS, Math.max(0, when - extra.now()) + random() * JITTER_MS);
    timers.push(host.setTimeout(run, delay));
  };
  const schedule = () => {
    const s = settings();
    const key = s.status === 'active' ? `${s.idleExpiresAt}|${s.absoluteExpiresAt}|${s.idleNotice}` : s.status;
    if (key === scheduledFor) return;
    scheduledFor = key;
    clearTimers();
    if (s.status !== 'active' || s.idleExpiresAt === null || s.absoluteExpiresAt === null) return;
    const noticeMs = bootstrapSession().idleNoticeSeconds * 1000;
    const idleAt = s.idleExpiresAt;
    if (noticeMs > 0 && !s.idleNotice) {
      // Confirm first: another request (or tab) may have renewed the session since this tab last asked.
      at(idleAt - noticeMs, () => {
        void dispatch(checkSession({ force: true, endReason: 'idle_timeout' })).then(() => {
          const now = settings();
          if (
            now.status === 'active' &&
            now.idleExpiresAt !== null &&
            now.idleExpiresAt - extra.now() <= noticeMs + 1_000
          ) {
            dispatch(idleNoticeShown());
          }
        });
      });
    }
    // A second after the expiry the server has certainly ended it (its answers are rounded down to whole seconds).
    const checkExpiry = () => {
      void dispatch(checkSession({ force: true, endReason: 'idle_timeout' })).then(() => {
        const after = settings();
        // Still active with the same, passed expiry (clock skew, a slow answer): ask again shortly.
        if (after.status === 'active' && after.idleExpiresAt === idleAt && idleAt <= extra.now())
          at(extra.now() + EXPIRY_GRACE_MS, checkExpiry);
      });
    };
    at(Math.min(idleAt, s.absoluteExpiresAt) + EXPIRY_GRACE_MS, checkExpiry);
  };
  const unsubscribeStore = store.subscribe(schedule);
  schedule();

  return () => {
    unsubscribeChannel();
    unsubscribeStore();
    clearTimers();
    if (poll !== null) host.clearInterval(poll);
    host.document.removeEventListener('visibilitychange', onVisible);
    host.removeEventListener('focus', onVisible);
  };
}
