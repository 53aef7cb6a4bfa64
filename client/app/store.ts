// makeStore: builds a fresh store per page load (and per test) with runtime dependencies as the thunk extraArgument.
import { combineSlices, configureStore, type UnknownAction } from '@reduxjs/toolkit';
import type { BootstrapPayload } from '../../shared-types/bootstrap';
import type { AuthClient, TokenRequestMap } from '../features/auth/authClient';
import { authSlice, authStateFromBootstrap } from '../features/auth/authSlice';
import { bffApi } from '../api/bffApi';
import { graphApi } from '../api/graphApi';
import type { SessionCheckOutcome } from '../features/session/checkSession';
import { createLocalSessionChannel, type SessionChannel } from '../features/session/sessionChannel';
import { createSessionListener } from '../features/session/sessionListener';
import { sessionSlice, sessionStateFromBootstrap } from '../features/session/sessionSlice';
import { createMemoryStorage, type KeyValueStorage } from './storage';

/** Runtime dependencies, reachable from thunks (`extra`) and base queries (`api.extra`) only. */
export interface AppExtra {
  msal: AuthClient;
  bootstrap: BootstrapPayload;
  /** Top-level navigation (window.location.assign in the browser; a recorder in tests). */
  navigate: (url: string) => void;
  /** Per-tab storage (sessionStorage) for the fresh-code marker and the mail draft. */
  storage: KeyValueStorage;
  /** The current path + query, for `returnTo`. */
  currentPath: () => string;
  /** A monotonic clock in ms (performance.now in the browser). */
  now: () => number;
  /** Base URL of the BFF's JSON API: `/api` in the browser, absolute in tests. */
  apiBaseUrl: string;
  tokenRequests: TokenRequestMap;
  /** Tells the browser's other tabs about session changes (BroadcastChannel in the browser). */
  sessionChannel: SessionChannel;
  /** The session check in flight, shared by concurrent triggers. */
  sessionCheck: { current: Promise<SessionCheckOutcome> | null };
}

/** What a caller must supply; the rest has defaults that suit tests. */
export type AppExtraInput = Pick<AppExtra, 'msal' | 'bootstrap' | 'navigate'> &
  Partial<Omit<AppExtra, 'msal' | 'bootstrap' | 'navigate'>>;

const rootReducer = combineSlices(authSlice, sessionSlice, graphApi, bffApi);

export type RootState = ReturnType<typeof rootReducer>;

/** Keeps access tokens out of Redux DevTools: acquireToken's fulfilled payload carries one for its caller. */
function redactTokens<A extends UnknownAction>(action: A): A {
  const payload = (action as { payload?: unknown }).payload;
  if (typeof payload === 'object' && payload !== null && 'accessToken' in payload) {
    return { ...action, payload: { ...payload, accessToken: '[redacted]' } };
  }
  return action;
}

export function makeStore(options: { extra: AppExtraInput; preloadedState?: Partial<RootState> }) {
  const extra: AppExtra = {
    storage: createMemoryStorage(),
    currentPath: () => '/',
    now: () => Date.now(),
    apiBaseUrl: '/api',
    tokenRequests: new Map(),
    sessionChannel: createLocalSessionChannel(),
    sessionCheck: { current: null },
    ...options.extra,
  };
  const sessionListener = createSessionListener();
  return configureStore({
    reducer: rootReducer,
    preloadedState: {
      auth: authStateFromBootstrap(extra.bootstrap.account, extra.bootstrap.requiredRoles),
      session: sessionStateFromBootstrap(extra.bootstrap, extra.now()),
      ...options.preloadedState,
    },
    middleware: (getDefaultMiddleware) =>
      getDefaultMiddleware({ thunk: { extraArgument: extra } })
        .prepend(sessionListener.middleware)
        .concat(graphApi.middleware, bffApi.middleware),
    devTools: { actionSanitizer: redactTokens },
  });
}

export type AppStore = ReturnType<typeof makeStore>;
export type AppDispatch = AppStore['dispatch'];
