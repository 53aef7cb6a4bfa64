// Composition root: read the bootstrap → paint the shell → load the app chunk (store, MSAL; preloaded by index.html)
// and let it take over the same React root. Nothing imports it.
import { createRoot } from 'react-dom/client';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../shared-types/api';
import { BOOTSTRAP_ELEMENT_ID, type BootstrapPayload } from '../shared-types/bootstrap';
import { BootstrapError, parseBootstrapJson } from './app/bootstrap';
import { findRoute } from './app/routes';
import { Shell, StartupError } from './app/Shell';
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
  if (!response.ok) throw new Error(`GET /api/bootstrap answered HTTP ${response.status}`);
  return parseBootstrapJson(await response.text());
}

/** Users get what happened and what to do; the technical detail goes to the console for whoever supports them. */
function startupMessage(error: unknown): string {
  if (error instanceof BootstrapError)
    return 'The app and the server disagree about their settings. Reload; if it keeps happening, contact support.';
  if (error instanceof Error && /chunk|import|fetch/i.test(`${error.name} ${error.message}`)) {
    return 'Part of the app could not be downloaded. Check your connection and reload.';
  }
  return 'Something went wrong while starting. Reload; if it keeps happening, contact support.';
}

async function start(): Promise<void> {
  const root = createRoot(document.getElementById('root')!);
  try {
    // Started before anything else so the app chunk downloads while the shell paints.
    const app = import(/* webpackChunkName: "app" */ './app/startApp');
    app.catch(() => undefined); // awaited below; this only keeps an early failure from being reported as unhandled
    void findRoute(window.location.pathname)
      ?.load()
      .catch(() => undefined);
    const bootstrap = await loadBootstrap();
    root.render(<Shell account={bootstrap.account} />);
    await (await app).startApp(root, bootstrap);
  } catch (error) {
    console.error('start-up failed:', error);
    root.render(<StartupError message={startupMessage(error)} />);
  }
}

void start();
