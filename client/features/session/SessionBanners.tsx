// The idle notice ("You'll be signed out in 2 minutes — Stay signed in") and the sign-in-cancelled note; non-modal.
import { useEffect, useState } from 'react';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import type { AppThunk } from '../../app/withTypes';
import { checkSession } from './checkSession';
import { authNoticeDismissed } from './sessionActions';
import { selectAuthNotice, selectSession } from './sessionSlice';

const readNow = (): AppThunk<number> => (_dispatch, _getState, extra) => extra.now();

/** "2 minutes", "1 minute", "45 seconds". */
function describeRemaining(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  if (seconds >= 90) {
    const minutes = Math.round(seconds / 60);
    return `${minutes} minutes`;
  }
  if (seconds >= 60) return '1 minute';
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}

function IdleNotice({ expiresAt }: { expiresAt: number }) {
  const dispatch = useAppDispatch();
  const [now, setNow] = useState(() => dispatch(readNow()));
  const [staying, setStaying] = useState(false);
  useEffect(() => {
    const id = window.setInterval(() => setNow(dispatch(readNow())), 1000);
    return () => window.clearInterval(id);
  }, [dispatch]);
  const stay = async () => {
    setStaying(true);
    try {
      await dispatch(checkSession({ slide: true, force: true, endReason: 'idle_timeout' }));
    } finally {
      setStaying(false);
    }
  };
  return (
    <div className="banner banner--warning" role="status" aria-live="polite" data-testid="idle-notice">
      <div>
        <strong>You&apos;ll be signed out in {describeRemaining(expiresAt - now)}</strong>
        <p>You have not used the app for a while.</p>
      </div>
      <div className="banner__actions">
        <button
          type="button"
          className="button--primary"
          onClick={() => void stay()}
          disabled={staying}
          data-testid="stay-signed-in"
        >
          Stay signed in
        </button>
      </div>
    </div>
  );
}

export function SessionBanners() {
  const dispatch = useAppDispatch();
  const session = useAppSelector(selectSession);
  const notice = useAppSelector(selectAuthNotice);
  return (
    <>
      {session.status === 'active' && session.idleNotice && session.idleExpiresAt !== null && (
        <IdleNotice expiresAt={session.idleExpiresAt} />
      )}
      {notice?.code === 'signin_cancelled' && (
        <div className="banner banner--info" role="status" data-testid="signin-cancelled">
          <div>
            <p>Sign-in was cancelled. You are not signed in.</p>
          </div>
          <div className="banner__actions">
            <button type="button" onClick={() => dispatch(authNoticeDismissed())}>
              Dismiss
            </button>
          </div>
        </div>
      )}
    </>
  );
}
