// Builds the real BFF (createApp) with test config, memory stores and a fixed index.html; plus sign-in helpers over nock.
import { expect } from 'chai';
import nock from 'nock';
import request from 'supertest';
import { loadConfig } from '../../config/loadConfig';
import type { Config } from '../../config/types';
import { createApp } from '../../bff/app';
import { compileIndexTemplate } from '../../bff/bootstrap/indexTemplate';
import { createLogger, type Logger } from '../../bff/http/logger';
import { createServices, type Services } from '../../bff/services';
import { createMemoryStores } from '../../bff/store/memoryStores';
import type { Stores } from '../../bff/store/stores';
import type { BootstrapPayload } from '../../shared-types/bootstrap';
import { BOOTSTRAP_PLACEHOLDER } from '../../shared-types/bootstrap';
import {
  AUTHORITY,
  CLIENT_ID,
  CLIENT_SECRET,
  INSTANCE,
  METADATA_PATH,
  TENANT_ID,
  openIdConfiguration,
  tokenResponse,
  type TestUser,
} from './entraFixtures';
import { tokenEndpoint } from './tokenEndpoint';

export const TEST_SESSION_KEY = 'test-session-key-0123456789abcdefghijklmnop';
export const INDEX_HTML = `<!doctype html><html><head><meta charset="utf-8">${BOOTSTRAP_PLACEHOLDER}<script defer src="/main.js"></script></head><body><div id="root"></div></body></html>`;

export function testConfig(overrides: Record<string, string> = {}): Readonly<Config> {
  return loadConfig({
    NODE_ENV: 'test',
    AUTH_MODE: 'entra',
    ENTRA_TENANT_ID: TENANT_ID,
    ENTRA_CLIENT_ID: CLIENT_ID,
    ENTRA_CLIENT_SECRET: CLIENT_SECRET,
    SESSION_KEYS: TEST_SESSION_KEY,
    PUBLIC_URL: 'http://localhost:3000',
    GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0',
    KEY_VAULT_URL: 'https://contoso-vault.vault.azure.net',
    KEY_VAULT_SECRET_NAMES: 'app-secret',
    CLIENT_DIST_DIR: 'test/fixtures/no-dist',
    ...overrides,
  });
}

export interface TestApp {
  services: Services;
  agent: () => ReturnType<typeof request.agent>;
  server: ReturnType<ReturnType<typeof createApp>['callback']>;
}

export function buildTestApp(
  options: {
    config?: Readonly<Config>;
    stores?: Stores;
    indexHtml?: string;
    log?: Logger;
    /** Swaps any service or client (e.g. the managed-identity provider, Graph) before the app is built. */
    adjustServices?: (services: Services) => Services;
  } = {},
): TestApp {
  const config = options.config ?? testConfig();
  const stores = options.stores ?? createMemoryStores(config);
  const template = compileIndexTemplate(options.indexHtml ?? INDEX_HTML);
  const base: Services = {
    ...createServices({ config, log: options.log ?? createLogger('silent'), stores }),
    indexTemplate: { get: async () => template },
  };
  const services = options.adjustServices ? options.adjustServices(base) : base;
  const app = createApp(services);
  const server = app.callback();
  return { services, server, agent: () => request.agent(server) };
}

/** The openid-configuration, fetched at most once per app (the BFF caches it). Optional: not every test signs in. */
export function mockMetadata(): nock.Scope {
  return nock(INSTANCE).get(METADATA_PATH).optionally().reply(200, openIdConfiguration);
}

export interface AuthorizeRedirect {
  url: URL;
  state: string;
  nonce: string;
  codeChallenge: string;
}

export async function startSignIn(
  agent: ReturnType<typeof request.agent>,
  path = '/auth/signin',
): Promise<AuthorizeRedirect> {
  const res = await agent.get(path).expect(302);
  const url = new URL(res.headers.location as string);
  expect(`${url.origin}${url.pathname}`).to.equal(`${AUTHORITY}/oauth2/v2.0/authorize`);
  return {
    url,
    state: url.searchParams.get('state')!,
    nonce: url.searchParams.get('nonce')!,
    codeChallenge: url.searchParams.get('code_challenge')!,
  };
}

/** Signs `user` in through the real routes with nock as Entra; returns the captured token request body. */
export async function signIn(
  agent: ReturnType<typeof request.agent>,
  user: TestUser,
  options: { spaCode?: string | null; returnTo?: string; tokenBody?: (body: Record<string, string>) => void } = {},
): Promise<{ tokenRequest: Record<string, string>; spaCode: string | null }> {
  const { state, nonce } = await startSignIn(
    agent,
    options.returnTo ? `/auth/signin?returnTo=${encodeURIComponent(options.returnTo)}` : '/auth/signin',
  );
  const spaCode =
    options.spaCode === undefined
      ? `spa-${user.oid.slice(0, 8)}-${Math.random().toString(36).slice(2)}`
      : options.spaCode;
  const endpoint = tokenEndpoint('authorization_code');
  const token = endpoint.interceptor.reply(200, tokenResponse(user, { nonce, spaCode }));
  await agent
    .get(`/auth/callback?code=web-code-${Math.random().toString(36).slice(2)}&state=${state}&session_state=abc`)
    .expect(302);
  token.done();
  return { tokenRequest: endpoint.lastRequest(), spaCode };
}

export async function getBootstrap(agent: ReturnType<typeof request.agent>, path = '/'): Promise<BootstrapPayload> {
  const res = await agent.get(path).set('Accept', 'text/html').expect(200);
  return parseBootstrapHtml(res.text);
}

export function parseBootstrapHtml(html: string): BootstrapPayload {
  const m = /<script type="application\/json" id="bootstrap">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error('no bootstrap element');
  return JSON.parse(m[1]!) as BootstrapPayload;
}
