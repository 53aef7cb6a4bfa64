// Reacts to session events raised elsewhere: a 401 from the BFF ends the session in this tab and in the others.
import { createListenerMiddleware } from '@reduxjs/toolkit';
import type { AppDispatch, RootState } from '../../app/store';
import { sessionExpired } from '../auth/authActions';
import { endLocalSession } from './endLocalSession';

/** One per store (never module-level): the listener holds no state of its own but must not be shared by stores. */
export function createSessionListener() {
  const listener = createListenerMiddleware();
  listener.startListening.withTypes<RootState, AppDispatch>()({
    actionCreator: sessionExpired,
    effect: async (_action, api) => {
      // After the request that got the 401 has settled, so its caller still sees the error it returned.
      await api.delay(0);
      await api.dispatch(endLocalSession({ reason: 'ended', broadcast: true }));
    },
  });
  return listener;
}
