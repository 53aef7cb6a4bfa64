// Wires the session feature to the browser window: the BFF's one-time auth notice, then the session watcher.
import type { AppStore } from '../../app/store';
import { parseAuthNotice, withoutAuthNotice } from './authNotice';
import { authNoticeReceived } from './sessionActions';
import { watchSession, type WatchDeps, type WatchHost } from './watchSession';

export interface FollowHost extends WatchHost {
  location: Pick<Location, 'pathname' | 'search' | 'hash'>;
  history: Pick<History, 'replaceState' | 'state'>;
}

/** Returns the function that stops following. */
export function followSession(store: AppStore, host: FollowHost, deps: WatchDeps): () => void {
  const notice = parseAuthNotice(host.location.search);
  if (notice) {
    store.dispatch(authNoticeReceived(notice));
    // Shown once: a reload or a shared link must not repeat it.
    host.history.replaceState(
      host.history.state,
      '',
      withoutAuthNotice(`${host.location.pathname}${host.location.search}${host.location.hash}`),
    );
  }
  return watchSession(store, host, deps);
}
