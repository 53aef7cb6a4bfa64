// Ends the session in this tab: nothing the server session covered stays on screen, in MSAL's cache or in storage.
import { createAppAsyncThunk } from '../../app/withTypes';
import { bffApi } from '../../api/bffApi';
import { clearSavedDraft } from '../mail/mailDraft';
import { graphApi } from '../../api/graphApi';
import { sessionEnded } from './sessionActions';
import type { SessionEndReason } from './sessionChannel';

/**
 * Order matters: the state change first (guards swap pages for sign-in prompts on the next render), then the cached
 * API data (profile, contacts, mail, secret) and the mail draft, then MSAL's token cache; finally the other tabs are
 * told, unless the news came from one of them.
 */
export const endLocalSession = createAppAsyncThunk(
  'session/endLocal',
  async ({ reason, broadcast }: { reason: SessionEndReason; broadcast: boolean }, { dispatch, extra, getState }) => {
    const alreadyEnded = getState().session.status === 'ended';
    dispatch(sessionEnded({ reason }));
    dispatch(graphApi.util.resetApiState());
    dispatch(bffApi.util.resetApiState());
    dispatch(clearSavedDraft());
    try {
      await extra.msal.clearCache();
    } catch {
      // Nothing else can be done here; the token cache is per tab and goes with it.
    }
    if (broadcast && !alreadyEnded) extra.sessionChannel.post({ type: 'ended', reason });
  },
);
