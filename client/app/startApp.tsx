// The app chunk's entry: PCA → makeStore({ extra }) → render the app in place of the shell. Loaded by main.tsx with
// import(), in parallel with the shell (index.html preloads this chunk and msal-browser's).
import { StrictMode } from 'react';
import type { Root } from 'react-dom/client';
import { Provider } from 'react-redux';
import type { BootstrapPayload } from '../../shared-types/bootstrap';
import { startAuthPerformanceBeacon } from '../features/auth/authPerformanceBeacon';
import { createAuthClient } from '../features/auth/createAuthClient';
import { followSession } from '../features/session/followSession';
import { createSessionChannel } from '../features/session/sessionChannel';
import { App } from './App';
import { makeStore } from './store';

export async function startApp(root: Root, bootstrap: BootstrapPayload): Promise<void> {
  const msal = await createAuthClient(bootstrap.msal);
  const flushAuthTimings = startAuthPerformanceBeacon(msal);
  window.addEventListener('pagehide', flushAuthTimings);
  const sessionChannel = createSessionChannel(window);
  const now = () => performance.now();
  const store = makeStore({
    extra: {
      msal,
      bootstrap,
      navigate: (url) => window.location.assign(url),
      storage: window.sessionStorage,
      currentPath: () => window.location.pathname + window.location.search,
      now,
      apiBaseUrl: '/api',
      sessionChannel,
    },
  });
  followSession(store, window, { channel: sessionChannel, bootstrap, now });
  root.render(
    <StrictMode>
      <Provider store={store}>
        <App />
      </Provider>
    </StrictMode>,
  );
}
