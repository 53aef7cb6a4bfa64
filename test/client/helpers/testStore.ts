// Builds a store per test around a fake MSAL, a navigation recorder and in-memory storage.
import type { BootstrapPayload } from '../../../shared-types/bootstrap';
import { makeStore } from '../../../client/app/store';
import { createMemoryStorage, type KeyValueStorage } from '../../../client/app/storage';
import type { SessionChannel } from '../../../client/features/session/sessionChannel';
import { FakeMsal } from './fakeMsal';

export const HOME_ACCOUNT_ID = '00000000-0000-0000-0000-0000000000aa.8f5d3c2a-6b1e-4c9d-9a7f-2e4b6c8d0a11';
export const GRAPH_BASE_URL = 'https://graph.test/v1.0';
export const API_BASE_URL = 'http://bff.test/api';

export function testBootstrap(overrides: Partial<BootstrapPayload> = {}): BootstrapPayload {
  return {
    msal: {
      clientId: '3b6f2a1c-9d4e-4f7a-8c2b-5e1d7a9f0c22',
      authority: 'https://localhost:8443/8f5d3c2a-6b1e-4c9d-9a7f-2e4b6c8d0a11',
      knownAuthorities: ['localhost:8443'],
      redirectUri: 'http://localhost:3000/',
      postLogoutRedirectUri: 'http://localhost:3000/',
    },
    scopes: ['User.Read', 'Contacts.Read'],
    graphBaseUrl: GRAPH_BASE_URL,
    account: {
      homeAccountId: HOME_ACCOUNT_ID,
      tenantId: '8f5d3c2a-6b1e-4c9d-9a7f-2e4b6c8d0a11',
      username: 'adele@contoso.test',
      name: 'Adele Vance',
      loginHint: 'hint-adele',
      roles: ['Secrets.Read'],
    },
    spaCode: 'spa-code-1',
    spaCodeError: null,
    spaCodeUnavailable: false,
    session: {
      checkIntervalSeconds: 30,
      pollIntervalSeconds: 60,
      idleNoticeSeconds: 120,
      idleExpiresInSeconds: 3600,
      absoluteExpiresInSeconds: 43_200,
    },
    routes: { signIn: '/auth/signin', signOut: '/auth/signout?t=abc', freshSpaCode: '/auth/spa-code' },
    requiredRoles: { '/api/secret': 'Secrets.Read' },
    ...overrides,
  };
}

export interface TestHarness {
  store: ReturnType<typeof makeStore>;
  msal: FakeMsal;
  navigations: string[];
  storage: KeyValueStorage;
  bootstrap: BootstrapPayload;
}

export function buildTestStore(
  options: {
    msal?: FakeMsal;
    bootstrap?: BootstrapPayload;
    storage?: KeyValueStorage;
    path?: string;
    clock?: () => number;
    onNavigate?: (url: string) => void;
    sessionChannel?: SessionChannel;
  } = {},
): TestHarness {
  const msal = options.msal ?? new FakeMsal();
  const bootstrap = options.bootstrap ?? testBootstrap();
  const storage = options.storage ?? createMemoryStorage();
  const navigations: string[] = [];
  let t = 0;
  const store = makeStore({
    extra: {
      msal,
      bootstrap,
      navigate: (url) => {
        navigations.push(url);
        options.onNavigate?.(url);
      },
      storage,
      currentPath: () => options.path ?? '/profile?tab=1',
      now: options.clock ?? (() => (t += 10)),
      apiBaseUrl: API_BASE_URL,
      ...(options.sessionChannel ? { sessionChannel: options.sessionChannel } : {}),
    },
  });
  return { store, msal, navigations, storage, bootstrap };
}
