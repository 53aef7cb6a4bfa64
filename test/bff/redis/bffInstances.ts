// BFF instances on real loopback ports over Redis, and a cookie-jar "browser" that can talk to any of them.
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Config } from '../../../config/types';
import { createLogger, type Logger } from '../../../bff/http/logger';
import type { Services, Stores } from '../../../bff/services';
import type { SessionUser } from '../../../bff/session/sessionAccess';
import { createRedisStores, type RedisStoresOptions } from '../../../bff/store/redisStores';
import { TENANT_ID, tokenResponse, type TestUser } from '../../helpers/entraFixtures';
import { buildTestApp, parseBootstrapHtml } from '../../helpers/testApp';
import { tokenEndpoint } from '../../helpers/tokenEndpoint';
import type { BootstrapPayload } from '../../../shared-types/bootstrap';
import type { Redis } from 'ioredis';
import { deleteKeysWithPrefix, openInspector, requireRedis } from '../../helpers/redis';

export interface BffInstance {
  url: string;
  services: Services;
  stores: Stores;
  server: Server;
  close(): Promise<void>;
}

/** One BFF process-equivalent: its own Redis connection, MSAL factory and memory; shares only Redis with the others. */
export async function startInstance(
  config: Readonly<Config>,
  log: Logger = createLogger('silent'),
  storeOptions: Omit<RedisStoresOptions, 'log'> = {},
): Promise<BffInstance> {
  const stores = await createRedisStores(config, { log, ...storeOptions });
  const { services, server: callback } = buildTestApp({ config, stores });
  const server = createServer(callback);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    services,
    stores,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await stores.close();
    },
  };
}

export interface InstancePair {
  a: BffInstance;
  b: BffInstance;
  inspector: Redis;
}

/**
 * Registers mocha hooks that start two instances sharing Redis (config's key prefix) and, afterwards, close them and
 * delete every key under `prefix`. The returned object is filled in by the `before` hook.
 */
export function twoInstancesSharingRedis(config: Readonly<Config>, prefix: string): InstancePair {
  const pair = {} as InstancePair;
  before(async function () {
    await requireRedis(this);
    pair.inspector = openInspector();
    [pair.a, pair.b] = await Promise.all([startInstance(config), startInstance(config)]);
  });
  after(async () => {
    await Promise.all([pair.a?.close(), pair.b?.close()]);
    if (!pair.inspector) return;
    await deleteKeysWithPrefix(pair.inspector, prefix);
    pair.inspector.disconnect();
  });
  return pair;
}

/** `n` distinct users (random oid and sid) in the test tenant. */
export function makeUsers(n: number): TestUser[] {
  return Array.from({ length: n }, (_, i) => ({
    oid: randomUUID(),
    tid: TENANT_ID,
    name: `User ${i}`,
    username: `user${i}@contoso.example`,
    sid: `sid-${randomUUID()}`,
  }));
}

/** A browser's cookie jar (host-only, path /) plus fetch without following redirects. */
export class Browser {
  readonly cookies = new Map<string, string>();

  async get(url: string, options: { accept?: string; headers?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: options.accept ?? 'text/html', ...options.headers };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { redirect: 'manual', headers });
    for (const line of res.headers.getSetCookie()) this.#store(line);
    return res;
  }

  /** A same-origin API call as the SPA makes it. */
  api(url: string): Promise<Response> {
    return this.get(url, { accept: 'application/json', headers: { 'x-csrf': '1' } });
  }

  async bootstrap(url: string): Promise<BootstrapPayload> {
    const res = await this.get(url);
    expect(res.status).to.equal(200);
    return parseBootstrapHtml(await res.text());
  }

  #store(line: string): void {
    const [pair = '', ...attributes] = line.split(';').map((s) => s.trim());
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    const expires = attributes.find((a) => /^expires=/i.test(a));
    const maxAge = attributes.find((a) => /^max-age=/i.test(a));
    const gone =
      value === '' ||
      (maxAge !== undefined && Number(maxAge.split('=')[1]) <= 0) ||
      (expires !== undefined && Date.parse(expires.slice(8)) <= Date.now());
    if (gone) this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}

export interface SignInResult {
  state: string;
  callbackUrl: string;
  spaCode: string | null;
  accessToken: string;
  refreshToken: string;
}

/**
 * Starts sign-in on `start` and completes the callback on `finish` (default: the same instance), with nock as Entra.
 * Returns the tokens Entra "issued", so tests can look for them in Redis.
 */
export async function signInAcross(
  browser: Browser,
  start: BffInstance,
  user: TestUser,
  options: { finish?: BffInstance; spaCode?: string | null; expiresIn?: number; tag?: string } = {},
): Promise<SignInResult> {
  const res = await browser.get(`${start.url}/auth/signin`);
  expect(res.status).to.equal(302);
  const authorize = new URL(res.headers.get('location')!);
  const state = authorize.searchParams.get('state')!;
  const nonce = authorize.searchParams.get('nonce')!;
  const tag = options.tag ?? Math.random().toString(36).slice(2);
  const accessToken = `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.access-${user.oid}-${tag}`;
  const refreshToken = `0.ARwA-refresh-${user.oid}-${tag}`;
  const spaCode = options.spaCode === undefined ? `spa-code-${tag}` : options.spaCode;
  const token = tokenEndpoint('authorization_code').interceptor.reply(
    200,
    tokenResponse(user, {
      nonce,
      spaCode,
      accessToken,
      refreshToken,
      ...(options.expiresIn ? { expiresIn: options.expiresIn } : {}),
    }),
  );
  const callbackUrl = `/auth/callback?code=web-code-${tag}&state=${state}`;
  const cb = await browser.get(`${(options.finish ?? start).url}${callbackUrl}`);
  expect(cb.status, 'callback status').to.equal(302);
  token.done();
  return { state, callbackUrl, spaCode, accessToken, refreshToken };
}

/** The session id behind the browser's session cookie (koa-session's external key). */
export function sessionIdOf(browser: Browser, config: Readonly<Config>): string {
  const id = browser.cookies.get(config.session.cookieName);
  if (!id) throw new Error('the browser has no session cookie');
  return decodeURIComponent(id);
}

/** The signed-in user exactly as the server stored it (for calling the token service directly). */
export async function sessionUserOf(browser: Browser, instance: BffInstance): Promise<SessionUser> {
  const session = await instance.stores.sessions.get(sessionIdOf(browser, instance.services.config));
  const user = session?.user as SessionUser | undefined;
  if (!user) throw new Error('no signed-in user in the session');
  return user;
}
