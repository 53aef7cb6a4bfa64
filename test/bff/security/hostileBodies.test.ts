// Hostile request bodies and encodings against every /api route (read from the routers, so new routes are covered):
// deep nesting, compressed and corrupt-compressed bodies, odd charsets, huge numbers, garbage bytes → never a 5xx.
import type Router from '@koa/router';
import { expect } from 'chai';
import fc from 'fast-check';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import supertest from 'supertest';
import { createApiRouters } from '../../../bff/api/apiRouters';
import { MAX_JSON_DEPTH } from '../../../bff/http/jsonBody';
import { ALICE } from '../../helpers/entraFixtures';
import { healthyDownstreams } from '../../helpers/healthyDownstreams';
import { buildTestApp, mockMetadata, signIn, testConfig, type TestApp } from '../../helpers/testApp';

/** Every (method, path) the API routers answer, with path parameters filled in. */
function apiRoutes(app: TestApp): { method: string; path: string }[] {
  const routers: Router[] = createApiRouters(app.services);
  return routers.flatMap((r) =>
    r.stack.flatMap((layer) =>
      layer.methods
        .filter((m) => m !== 'HEAD')
        .map((method) => ({ method, path: String(layer.path).replace(/:(\w+)/g, 'x-$1') })),
    ),
  );
}

/** Nesting that fits the 100 kB limit: arrays, objects or both, around a payload, at any depth up to ~20 000. */
const deepJson = fc
  .record({
    depth: fc.oneof(fc.integer({ min: 1, max: MAX_JSON_DEPTH + 2 }), fc.integer({ min: 33, max: 20_000 })),
    kind: fc.constantFrom('array', 'object', 'mixed'),
    inside: fc.constantFrom('1', '"a@b.example"', 'null', '{}', '[]'),
    wrapInTo: fc.boolean(),
  })
  .map(({ depth, kind, inside, wrapInTo }) => {
    let open = '';
    let close = '';
    for (let i = 0; i < depth; i++) {
      const obj = kind === 'object' || (kind === 'mixed' && i % 2 === 1);
      open += obj ? '{"to":' : '[';
      close = (obj ? '}' : ']') + close;
    }
    const nested = open + inside + close;
    return wrapInTo ? `{"to":${nested},"subject":"s","body":"b"}` : nested;
  });

const jsonText = fc.oneof(
  deepJson,
  fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)),
  fc.constantFrom(
    '{"to":["a@b.example"],"subject":"s","body":"b"}',
    '{"to":"a@b.example","subject":"s","body":"b"}',
    '{"to":[1e999999],"subject":"s","body":"b"}',
    '{"to":[-0],"subject":{"a":[[[[]]]]},"body":["b"]}',
    '{"__proto__":{"admin":true}}',
    '{"constructor":{"prototype":{"x":1}}}',
    '{"to":["a@b.example"],"to":[{}],"subject":"s","body":"b"}',
    '\ufeff{"a":1}',
    '{"a":"\ud800"}',
    '',
    ' ',
    'null',
    '[]',
    '"' + 'x'.repeat(120_000) + '"',
  ),
);

const hostileRequest = fc.record({
  text: jsonText,
  bytes: fc.option(fc.uint8Array({ maxLength: 400 }), { freq: 6 }),
  compress: fc.constantFrom('none', 'none', 'gzip', 'deflate', 'br', 'corrupt'),
  encoding: fc.constantFrom(
    undefined,
    'identity',
    'gzip',
    'x-gzip',
    'GZIP',
    'deflate',
    'br',
    'zstd',
    'compress',
    'gzip, identity',
    'identity, gzip',
    ' gzip ',
    ',',
    'chunked',
    'ünïcode',
  ),
  contentType: fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=utf-16',
    'application/json; charset=latin1',
    'application/json; charset=bogus',
    'application/vnd.api+json',
    'application/csp-report',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
  ),
  routeIndex: fc.nat(),
  method: fc.constantFrom('route', 'route', 'POST', 'PUT', 'PATCH', 'DELETE'),
});

function bodyOf(r: { text: string; bytes: Uint8Array | null; compress: string }): Buffer {
  const raw = r.bytes ? Buffer.from(r.bytes) : Buffer.from(r.text);
  switch (r.compress) {
    case 'gzip':
      return gzipSync(raw);
    case 'deflate':
      return deflateSync(raw);
    case 'br':
      return brotliCompressSync(raw);
    case 'corrupt':
      return Buffer.concat([gzipSync(raw).subarray(0, 12), raw]);
    default:
      return raw;
  }
}

describe('hostile bodies and encodings on every /api route', () => {
  let server: Server;
  let app: TestApp;
  let restoreEnv: (() => void) | undefined;
  before(async () => {
    app = buildTestApp({
      config: testConfig({ RATE_LIMIT_SIGNIN_PER_MINUTE: '2000', RATE_LIMIT_SPA_CODE_PER_USER_PER_MINUTE: '2000' }),
    });
    server = createServer(app.server).listen(0, '127.0.0.1');
    await once(server, 'listening');
  });
  after(() => {
    server.close();
    restoreEnv?.();
  });

  it('answers a 10 000-level nested recipient list with 400 json_too_deep, and any compressed body with 415', async () => {
    mockMetadata();
    const agent = supertest.agent(server);
    await signIn(agent, ALICE);
    const deep = `{"to":${'['.repeat(10_000)}${']'.repeat(10_000)},"subject":"s","body":"b"}`;
    const res = await agent
      .post('/api/mail/send')
      .set('X-CSRF', '1')
      .set('Content-Type', 'application/json')
      .send(deep);
    expect(res.status).to.equal(400);
    expect(res.body).to.deep.equal({
      error: 'json_too_deep',
      message: `The JSON body is nested too deeply (more than ${MAX_JSON_DEPTH} levels). Send a flat JSON object.`,
    });
    for (const [encoding, body] of [
      ['gzip', Buffer.from('{"to":["a@b.example"],"subject":"s","body":"b"}')],
      ['br', Buffer.from('not brotli')],
      ['deflate', Buffer.from('not deflate')],
      ['gzip', gzipSync('{"to":["a@b.example"],"subject":"s","body":"b"}')],
    ] as const) {
      const r = await agent
        .post('/api/mail/send')
        .set('X-CSRF', '1')
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', encoding)
        .send(body);
      expect(r.status, encoding).to.equal(415);
      expect(r.body.error).to.equal('unsupported_content_encoding');
      expect(r.body.message).to.match(/uncompressed/);
    }
  });

  it('2 000 generated hostile requests across every /api route, signed in and not: 0 responses >= 500, every error a JSON 4xx', async function () {
    this.timeout(240_000);
    const routes = [...apiRoutes(app), { method: 'POST', path: '/api/unknown' }];
    expect(routes.map((r) => `${r.method} ${r.path}`)).to.include.members([
      'POST /api/mail/send',
      'GET /api/me',
      'GET /api/mail',
      'GET /api/secret',
    ]);
    const signedIn = supertest.agent(server);
    mockMetadata();
    await signIn(signedIn, ALICE);
    restoreEnv = healthyDownstreams(4000);
    const failures: string[] = [];
    const samples = fc.sample(hostileRequest, { numRuns: 2_000, seed: 1_207 });
    for (const [i, r] of samples.entries()) {
      const route = routes[r.routeIndex % routes.length]!;
      const method = r.method === 'route' ? route.method : r.method;
      const agent = i % 4 === 0 ? supertest.agent(server) : signedIn;
      let req = agent[method.toLowerCase() as 'post'](route.path)
        .set('X-CSRF', '1')
        .set('Content-Type', r.contentType)
        .set('Accept', 'application/json');
      if (r.encoding !== undefined) req = req.set('Content-Encoding', r.encoding);
      let res;
      try {
        res = await req
          .send(bodyOf(r))
          .timeout(10_000)
          .ok(() => true);
      } catch (err) {
        const e = err as { code?: string; message: string };
        // The client refusing to send a header value (e.g. non-Latin-1) never reaches the server.
        if (e.code === 'ERR_INVALID_CHAR' || e.code === 'ERR_HTTP_INVALID_HEADER_VALUE') continue;
        failures.push(`${method} ${route.path} ${r.encoding ?? ''} → ${e.code ?? ''} ${e.message.slice(0, 100)}`);
        continue;
      }
      const what = `${method} ${route.path} enc=${String(r.encoding)} ${r.compress} ${r.contentType} body=${JSON.stringify(r.bytes ? '<bytes>' : r.text.slice(0, 60))}`;
      if (res.status >= 500) failures.push(`${what} → ${res.status} ${String(res.text).slice(0, 120)}`);
      else if (res.status >= 400 && !(typeof res.body?.error === 'string' && typeof res.body?.message === 'string')) {
        failures.push(`${what} → ${res.status} without a JSON error body`);
      }
    }
    expect(failures).to.deep.equal([]);
  });
});
