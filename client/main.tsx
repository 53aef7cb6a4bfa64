// Composition root: read the bootstrap → create and initialize the PCA → makeStore({ extra }) → render. Nothing imports it.
import { PublicClientApplication } from '@azure/msal-browser';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Provider } from 'react-redux';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../shared-types/api';
import { BOOTSTRAP_ELEMENT_ID, type BootstrapPayload } from '../shared-types/bootstrap';
import { App } from './app/App';
import { parseBootstrapJson } from './app/bootstrap';
import { makeStore } from './app/store';
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
    const msal = new PublicClientApplication({
      auth: {
        clientId: m.clientId,
        authority: m.authority,
        knownAuthorities: m.knownAuthorities,
        redirectUri: m.redirectUri,
        postLogoutRedirectUri: m.postLogoutRedirectUri,
        ...(m.authorityMetadata && { authorityMetadata: m.authorityMetadata }),
        ...(m.cloudDiscoveryMetadata && { cloudDiscoveryMetadata: m.cloudDiscoveryMetadata }),
        // CAE: the Graph base query answers claims challenges, so Entra may issue long-lived, revocable tokens.
        clientCapabilities: ['cp1'],
      },
      // Per tab, cleared with the tab: a new tab gets its tokens through the fresh-code route instead.
      cache: { cacheLocation: 'sessionStorage' },
    });
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
