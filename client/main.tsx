// Composition root: read the bootstrap → create and initialize the PCA → makeStore({ extra }) → render. Nothing imports it.
import { BrowserPerformanceClient, PublicClientApplication, type Configuration } from '@azure/msal-browser';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Provider } from 'react-redux';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../shared-types/api';
import { BOOTSTRAP_ELEMENT_ID, type BootstrapPayload } from '../shared-types/bootstrap';
import { App } from './app/App';
import { parseBootstrapJson } from './app/bootstrap';
import { makeStore } from './app/store';
import { startAuthPerformanceBeacon } from './features/auth/authPerformanceBeacon';
import { followSession } from './features/session/followSession';
import { createSessionChannel } from './features/session/sessionChannel';
import './styles.css';

/** The BFF inlines the payload; the dev server's index.html has none, so ask the BFF (through the proxy). */
async function loadBootstrap(): Promise<BootstrapPayload> {
  const element = document.getElementById(BOOTSTRAP_ELEMENT_ID);
  if (element) {
    const payload = parseBootstrapJson(element.textContent ?? '');
    // The one-time spa code has no business staying in the DOM.
    element.remove();
    return payload;
  }
  const response = await fetch('/api/bootstrap', {
    headers: { [CSRF_HEADER]: CSRF_HEADER_VALUE, Accept: 'application/json' },
    credentials: 'include',
    cache: 'no-store',
  });
  if (!response.ok) throw new Error(`Could not load the app configuration (HTTP ${response.status}).`);
  return parseBootstrapJson(await response.text());
}

function StartupError({ error }: { error: unknown }) {
  return (
    <main className="main">
      <div className="banner banner--error" role="alert" data-testid="error-banner">
        <div>
          <strong>The app could not start</strong>
          <p>{error instanceof Error ? error.message : String(error)}</p>
        </div>
        <div className="banner__actions">
          <button type="button" onClick={() => window.location.reload()}>
            Reload
          </button>
        </div>
      </div>
    </main>
  );
}

async function start(): Promise<void> {
  const root = createRoot(document.getElementById('root')!);
  try {
    const bootstrap = await loadBootstrap();
    const { msal: m } = bootstrap;
    const auth: Configuration['auth'] = {
      clientId: m.clientId,
      authority: m.authority,
      knownAuthorities: m.knownAuthorities,
      redirectUri: m.redirectUri,
      postLogoutRedirectUri: m.postLogoutRedirectUri,
      ...(m.authorityMetadata && { authorityMetadata: m.authorityMetadata }),
      ...(m.cloudDiscoveryMetadata && { cloudDiscoveryMetadata: m.cloudDiscoveryMetadata }),
    };
    const msal = new PublicClientApplication({
      auth,
      // Without a performance client msal-browser measures nothing; with it, its timings go to the BFF's metrics.
      telemetry: { client: new BrowserPerformanceClient({ auth }) },
      // Per tab, cleared with the tab: a new tab gets its tokens through the fresh-code route instead.
      cache: { cacheLocation: 'sessionStorage' },
    });
    const flushAuthTimings = startAuthPerformanceBeacon(msal);
    window.addEventListener('pagehide', flushAuthTimings);
    await msal.initialize();
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
  } catch (error) {
    root.render(<StartupError error={error} />);
  }
}

void start();
