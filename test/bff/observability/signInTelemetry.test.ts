// A full hybrid sign-in and /api/mail against the emulator through a real HTTP listener, with metrics scraped over HTTP
// from the separate metrics listener and spans caught by an in-memory exporter: the counters move as expected, the
// trace trees have the right shape, and no token, code, cookie, account or secret appears in any span or metric.
import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { loadConfig } from '../../../config/loadConfig';
import type { Config } from '../../../config/types';
import { createApp } from '../../../bff/app';
import { compileIndexTemplate } from '../../../bff/bootstrap/indexTemplate';
import { createLogger } from '../../../bff/http/logger';
import { createMetrics, type BffMetrics } from '../../../bff/observability/metrics';
import { startMetricsServer, type RunningMetricsServer } from '../../../bff/observability/metricsServer';
import { instrumentStores } from '../../../bff/observability/instrumentStores';
import { createTracing } from '../../../bff/observability/tracing';
import { createServices, type Stores } from '../../../bff/services';
import { createMemoryStores } from '../../../bff/store/memoryStores';
import { createRedisStores } from '../../../bff/store/redisStores';
import { BOOTSTRAP_PLACEHOLDER } from '../../../shared-types/bootstrap';
import { AUTH_TELEMETRY_PATH } from '../../../shared-types/authTelemetry';
import type { RunningEmulator } from '../../../emulator/index';
import { signIn, type SignInResult } from '../../../bench/browser';
import { startTestEmulator } from '../../emulator/helpers';
import {
  deleteKeysWithPrefix,
  freePort,
  openInspector,
  probeRedis,
  TEST_REDIS_URL,
  uniqueKeyPrefix,
} from '../../helpers/redis';

const USER = 'adele.vance@contoso.example';
const SESSION_KEY = 'observability-test-session-key-0123456789abcdef';
const INDEX = `<!doctype html><html><head>${BOOTSTRAP_PLACEHOLDER}</head><body><div id="root"></div></body></html>`;

interface Stack {
  url: string;
  config: Readonly<Config>;
  stores: Stores;
  metrics: BffMetrics;
  exporter: InMemorySpanExporter;
  metricsServer: RunningMetricsServer;
  close(): Promise<void>;
}

/** Prometheus text → { 'name{labels}': value }, labels in exposition order. */
function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

describe('observability: a sign-in and /api/mail, traced and counted', function () {
  this.timeout(60_000);
  let emu: RunningEmulator;
  let tracing: Awaited<ReturnType<typeof createTracing>>;
  const exporter = new InMemorySpanExporter();

  before(async () => {
    emu = await startTestEmulator();
    tracing = await createTracing({ serviceName: 'hsb-test', exporter });
  });
  after(async () => {
    await tracing?.shutdown();
    await emu?.close();
  });

  async function startStack(store: 'memory' | 'redis', redisPrefix = ''): Promise<Stack> {
    const port = await freePort();
    const config = loadConfig({
      AUTH_MODE: 'emulator',
      NODE_ENV: 'test',
      PORT: String(port),
      PUBLIC_URL: `http://localhost:${port}`,
      SESSION_KEYS: SESSION_KEY,
      CLIENT_DIST_DIR: 'test/fixtures/no-dist',
      EMULATOR_ENTRA_PORT: String(emu.ports.entra),
      EMULATOR_GRAPH_PORT: String(emu.ports.graph),
      EMULATOR_KEYVAULT_PORT: String(emu.ports.keyVault),
      EMULATOR_MI_PORT: String(emu.ports.managedIdentity),
      STORE: store,
      ...(store === 'redis' ? { REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: redisPrefix } : {}),
    });
    const metrics = createMetrics();
    const observability = { tracer: tracing.tracer, metrics };
    const base = store === 'memory' ? createMemoryStores(config) : await createRedisStores(config);
    const stores = instrumentStores(base, store, observability);
    const app = createApp({
      ...createServices({ config, log: createLogger('silent'), stores, observability }),
      indexTemplate: { get: async () => compileIndexTemplate(INDEX) },
    });
    const server: Server = createServer(app.callback());
    await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
    const metricsServer = await startMetricsServer(metrics.registry, 0, '127.0.0.1');
    exporter.reset();
    return {
      url: `http://localhost:${port}`,
      config,
      stores: base,
      metrics,
      exporter,
      metricsServer,
      async close() {
        await metricsServer.close();
        server.closeAllConnections();
        await new Promise<void>((ok) => server.close(() => ok()));
        await base.close();
      },
    };
  }

  async function scrape(stack: Stack): Promise<Map<string, number>> {
    const res = await fetch(`http://127.0.0.1:${stack.metricsServer.port}/metrics`);
    expect(res.status).to.equal(200);
    return parseMetrics(await res.text());
  }

  const spans = () => exporter.getFinishedSpans();
  const childrenOf = (parent: ReadableSpan) =>
    spans().filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);
  const descendantsOf = (parent: ReadableSpan): ReadableSpan[] =>
    childrenOf(parent).flatMap((c) => [c, ...descendantsOf(c)]);
  const serverSpan = (name: string) => {
    const found = spans().filter((s) => s.kind === SpanKind.SERVER && s.name === name);
    expect(
      found,
      `one SERVER span "${name}" (have: ${[...new Set(spans().map((s) => s.name))].join(', ')})`,
    ).to.have.length(1);
    return found[0]!;
  };

  /** Every string the BFF must never put in telemetry, gathered from the sign-in itself and the user's token cache. */
  async function secretsOf(stack: Stack, result: SignInResult): Promise<string[]> {
    const jar = result.browser.jar(stack.url);
    const blob = (await stack.stores.tokenCache.get(result.homeAccountId)) ?? '';
    const cache = JSON.parse(blob) as Record<string, Record<string, { secret?: string }>>;
    const tokens = ['AccessToken', 'RefreshToken', 'IdToken'].flatMap((kind) =>
      Object.values(cache[kind] ?? {}).map((e) => e.secret ?? ''),
    );
    expect(tokens.filter(Boolean).length, 'tokens found in the cache').to.be.at.least(3);
    const callback = emu.admin.requests({ service: 'entra', pathIncludes: '/token' }).map((r) => r.form?.code ?? '');
    return [
      ...tokens,
      ...callback,
      ...jar.values(),
      result.spaCode,
      result.homeAccountId,
      result.homeAccountId.split('.')[0]!,
      USER,
      'Adele',
      emu.clientSecret,
      SESSION_KEY,
    ].filter((s) => s && s.length >= 5);
  }

  function expectNoSecrets(stack: Stack, secrets: string[], metricsText: string): void {
    const texts: string[] = [metricsText];
    for (const s of spans()) {
      texts.push(s.name);
      for (const v of Object.values(s.attributes)) texts.push(String(v));
      for (const e of s.events) texts.push(e.name, ...Object.values(e.attributes ?? {}).map(String));
    }
    const all = texts.join('\n');
    for (const secret of secrets)
      expect(all.includes(secret), `telemetry contains a secret or personal value (${secret.slice(0, 6)}…)`).to.equal(
        false,
      );
    expect(all).not.to.match(/eyJ[\w-]{10,}\./, 'a JWT');
    expect(all).not.to.match(/[?&](code|state|spa_code)=/, 'a query string with a code');
  }

  it('a sign-in moves the funnel, spa-code, token and downstream counters, and its trace has the token call under the callback', async () => {
    const stack = await startStack('memory');
    try {
      const before = await scrape(stack);
      expect(before.get('hsb_signins_total{event="completed",reason=""}') ?? 0).to.equal(0);

      const result = await signIn(stack.url, USER);
      const m = await scrape(stack);
      expect(m.get('hsb_signins_total{event="started",reason=""}')).to.equal(1);
      expect(m.get('hsb_signins_total{event="completed",reason=""}')).to.equal(1);
      expect(m.get('hsb_spa_codes_total{event="issued"}')).to.equal(1);
      expect(m.get('hsb_spa_codes_total{event="delivered"}')).to.equal(1);
      expect(
        m.get('hsb_server_token_acquisitions_total{source="identity_provider",flow="by_code",outcome="success"}'),
      ).to.equal(1);
      expect(m.get('hsb_downstream_requests_total{target="entra",status="200"}')).to.be.at.least(1);
      expect(m.get('hsb_active_sessions')).to.equal(1);
      expect(m.get('hsb_http_requests_total{method="GET",route="/auth/callback",status="302"}')).to.equal(1);
      expect(m.get('hsb_http_requests_total{method="GET",route="/* (SPA page)",status="200"}')).to.equal(1);
      expect(
        m.get('hsb_store_operation_duration_seconds_count{store="spa_codes",operation="take",backend="memory"}'),
      ).to.equal(1);

      const callback = serverSpan('GET /auth/callback');
      const redeem = childrenOf(callback).find((s) => s.name === 'msal.acquireTokenByCode');
      expect(redeem, 'msal.acquireTokenByCode under the callback span').to.not.equal(undefined);
      expect(redeem!.attributes['msal.token_source']).to.equal('identity_provider');
      const post = childrenOf(redeem!).find((s) => s.name === 'POST entra');
      expect(post?.kind).to.equal(SpanKind.CLIENT);
      expect(post?.attributes).to.include({
        'oauth.grant_type': 'authorization_code',
        'http.response.status_code': 200,
        'hsb.downstream.target': 'entra',
      });
      expect([redeem!, post!].map((s) => s.spanContext().traceId)).to.deep.equal([
        callback.spanContext().traceId,
        callback.spanContext().traceId,
      ]);

      // /api/mail: a cache hit for the server token, then Graph — under the caller's traceparent.
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const parentId = '00f067aa0ba902b7';
      const res = await fetch(`${stack.url}/api/mail?top=5`, {
        headers: {
          cookie: result.browser.cookieHeader(stack.url),
          'x-csrf': '1',
          accept: 'application/json',
          traceparent: `00-${traceId}-${parentId}-01`,
        },
      });
      expect(res.status).to.equal(200);
      const mail = serverSpan('GET /api/mail');
      expect(mail.spanContext().traceId).to.equal(traceId);
      expect(mail.parentSpanContext?.spanId).to.equal(parentId);
      const silent = childrenOf(mail).find((s) => s.name === 'msal.acquireTokenSilent');
      expect(silent?.attributes['msal.token_source']).to.equal('cache');
      const graph = childrenOf(mail).find((s) => s.name === 'GET graph');
      expect(graph?.attributes).to.include({ 'url.path': '/v1.0/me/messages', 'http.response.status_code': 200 });
      const after = await scrape(stack);
      expect(after.get('hsb_server_token_acquisitions_total{source="cache",flow="silent",outcome="success"}')).to.equal(
        1,
      );
      expect(after.get('hsb_downstream_requests_total{target="graph",status="200"}')).to.equal(1);

      const metricsText = await (await fetch(`http://127.0.0.1:${stack.metricsServer.port}/metrics`)).text();
      expectNoSecrets(stack, await secretsOf(stack, result), metricsText);
    } finally {
      await stack.close();
    }
  });

  it('a replayed callback counts as a failed sign-in with its reason; Graph throttling is visible by status', async () => {
    const stack = await startStack('memory');
    try {
      const result = await signIn(stack.url, USER);
      // Replaying the same callback: the login transaction is single-use.
      const replay = await result.browser.request(
        `${stack.url}/auth/callback?code=replayed-code-value&state=replayed-state-value`,
      );
      expect(replay.status).to.equal(400);
      emu.admin.fail({
        endpoint: 'graph',
        path: '/me/messages',
        status: 429,
        headers: { 'Retry-After': '30' },
        body: { error: { code: 'TooManyRequests', message: 'slow down' } },
      });
      const throttled = await fetch(`${stack.url}/api/mail`, {
        headers: { cookie: result.browser.cookieHeader(stack.url), 'x-csrf': '1', accept: 'application/json' },
      });
      expect(throttled.status).to.equal(429);
      const m = await scrape(stack);
      expect(m.get('hsb_signins_total{event="failed",reason="invalid_login_transaction"}')).to.equal(1);
      expect(m.get('hsb_downstream_requests_total{target="graph",status="429"}')).to.equal(1);
      expect(m.get('hsb_http_requests_total{method="GET",route="/api/mail",status="429"}')).to.equal(1);
    } finally {
      emu.admin.reset();
      await stack.close();
    }
  });

  it('the SPA beacon becomes metrics; it needs the CSRF header, refuses extra fields and is rate-limited', async () => {
    const stack = await startStack('memory');
    try {
      const post = (body: unknown, headers: Record<string, string> = { 'x-csrf': '1' }) =>
        fetch(`${stack.url}${AUTH_TELEMETRY_PATH}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
          body: JSON.stringify(body),
        });
      const events = [
        { operation: 'acquireTokenByCode', durationMs: 420, success: true },
        { operation: 'acquireTokenSilent', durationMs: 35, success: false, errorCode: 'interaction_required' },
      ];
      expect((await post({ events })).status).to.equal(204);
      expect((await post({ events }, {})).status, 'no CSRF header').to.equal(403);
      const extra = await post({ events: [{ ...events[0], account: 'adele.vance@contoso.example' }] });
      expect(extra.status).to.equal(400);
      expect(((await extra.json()) as { error: string }).error).to.equal('invalid_telemetry');
      expect((await post({ events: [{ operation: 'getAllAccounts', durationMs: 1, success: true }] })).status).to.equal(
        400,
      );
      let limited = 0;
      for (let i = 0; i < 12; i++) if ((await post({ events })).status === 429) limited++;
      expect(limited, 'beacons beyond 12 per minute are refused').to.be.at.least(1);

      const m = await scrape(stack);
      expect(
        m.get('hsb_spa_auth_events_total{operation="acquireTokenByCode",outcome="success",error=""}'),
      ).to.be.at.least(1);
      expect(
        m.get(
          'hsb_spa_auth_events_total{operation="acquireTokenSilent",outcome="failure",error="interaction_required"}',
        ),
      ).to.be.at.least(1);
      expect(
        m.get('hsb_spa_auth_duration_seconds_count{operation="acquireTokenByCode",outcome="success"}'),
      ).to.be.at.least(1);
      expect(m.get('hsb_spa_beacon_rejected_total{reason="rate_limited"}')).to.be.at.least(1);
      expect(m.get('hsb_spa_beacon_rejected_total{reason="invalid"}')).to.equal(2);
      const text = await (await fetch(`http://127.0.0.1:${stack.metricsServer.port}/metrics`)).text();
      expect(text).not.to.include('adele');
      // Only /metrics is served on the metrics listener, and /metrics is not on the public one.
      expect((await fetch(`http://127.0.0.1:${stack.metricsServer.port}/`)).status).to.equal(404);
      expect((await fetch(`${stack.url}/metrics`, { headers: { accept: 'application/json' } })).status).to.equal(404);
    } finally {
      await stack.close();
    }
  });

  it('the beacon budget is per signed-in account, not per client IP (users behind one egress address do not share it)', async () => {
    const stack = await startStack('memory');
    try {
      const events = [{ operation: 'acquireTokenSilent', durationMs: 12, success: true }];
      const post = (cookie?: string) =>
        fetch(`${stack.url}${AUTH_TELEMETRY_PATH}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            'x-csrf': '1',
            ...(cookie ? { cookie } : {}),
          },
          body: JSON.stringify({ events }),
        });
      const statuses = async (n: number, cookie?: string) => {
        const out: number[] = [];
        for (let i = 0; i < n; i++) out.push((await post(cookie)).status);
        return out;
      };
      // Without a session: 12 a minute from this address, then 429.
      const anonymous = await statuses(13);
      expect(anonymous.slice(0, 12), 'anonymous beacons within the budget').to.deep.equal(Array(12).fill(204));
      expect(anonymous[12], 'the 13th anonymous beacon').to.equal(429);

      // Two users signed in from the same (exhausted) address each still have their own 60.
      const adele = (await signIn(stack.url, USER)).browser.cookieHeader(stack.url);
      const alex = (await signIn(stack.url, 'alex.wilber@contoso.example')).browser.cookieHeader(stack.url);
      const adeleRun = await statuses(61, adele);
      expect(adeleRun.filter((s) => s === 204).length, "adele's accepted beacons").to.equal(60);
      expect(adeleRun[60], "adele's 61st beacon").to.equal(429);
      expect(await statuses(3, alex), "alex's beacons after adele spent hers").to.deep.equal([204, 204, 204]);
    } finally {
      await stack.close();
    }
  });

  it('with the Redis store, store operations are child spans of the request (no keys or values recorded)', async function () {
    const problem = await probeRedis();
    if (problem) {
      if (process.env.CI === 'true') throw new Error(`Redis is required in CI: ${problem}`);
      this.skip();
    }
    const prefix = uniqueKeyPrefix();
    const stack = await startStack('redis', prefix);
    const inspector = openInspector();
    try {
      const result = await signIn(stack.url, USER);
      const res = await fetch(`${stack.url}/api/mail?top=5`, {
        headers: { cookie: result.browser.cookieHeader(stack.url), 'x-csrf': '1', accept: 'application/json' },
      });
      expect(res.status).to.equal(200);
      const mail = serverSpan('GET /api/mail');
      expect(childrenOf(mail).map((s) => s.name)).to.include('redis sessions.get');
      // The token cache is read by MSAL's cache plugin, inside the silent call.
      const silent = childrenOf(mail).find((s) => s.name === 'msal.acquireTokenSilent')!;
      expect(childrenOf(silent).map((s) => s.name)).to.include('redis token_cache.read');
      expect(descendantsOf(mail).filter((s) => s.attributes['db.system.name'] === 'redis').length).to.be.at.least(2);
      const callback = serverSpan('GET /auth/callback');
      expect(childrenOf(callback).map((s) => s.name)).to.include.members([
        'redis login_transactions.take',
        'redis spa_codes.put',
      ]);
      const m = await scrape(stack);
      expect(
        m.get('hsb_store_operation_duration_seconds_count{store="sessions",operation="get",backend="redis"}'),
      ).to.be.at.least(1);
      expect(m.has('hsb_active_sessions'), 'no session count for Redis').to.equal(false);
      const metricsText = await (await fetch(`http://127.0.0.1:${stack.metricsServer.port}/metrics`)).text();
      expectNoSecrets(stack, await secretsOf(stack, result), metricsText);
    } finally {
      await stack.close();
      await deleteKeysWithPrefix(inspector, prefix);
      inspector.disconnect();
    }
  });
});
