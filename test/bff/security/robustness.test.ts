import { expect } from 'chai';
import fc from 'fast-check';
import nock from 'nock';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import supertest from 'supertest';
import { renderBootstrapElement, serializeJsonForHtml } from '../../../bff/bootstrap/serializeBootstrap';
import { compileIndexTemplate } from '../../../bff/bootstrap/indexTemplate';
import { healthyDownstreams } from '../../helpers/healthyDownstreams';
import { ALICE, INSTANCE, METADATA_PATH, openIdConfiguration } from '../../helpers/entraFixtures';
import { INDEX_HTML, buildTestApp, parseBootstrapHtml, signIn, testConfig } from '../../helpers/testApp';

describe('bootstrap serializer properties (fast-check)', () => {
  const hostile = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.constantFrom(
      '</script>',
      '</SCRIPT >',
      '<!--',
      '-->',
      '<script>',
      '\u2028',
      '\u2029',
      '&',
      '<',
      '>',
      '"',
      "'",
      '\\',
      '</scr' + 'ipt',
    ),
  );
  const payload = fc.record({
    name: fc.array(hostile, { maxLength: 6 }).map((a) => a.join('')),
    extra: fc.jsonValue(),
    spaCode: fc.option(fc.string()),
  });

  it('round-trips, never contains </script, <!--, raw U+2028/2029, and yields exactly one bootstrap element (10 000 runs)', () => {
    const template = compileIndexTemplate(INDEX_HTML);
    fc.assert(
      fc.property(payload, (value) => {
        const json = serializeJsonForHtml(value);
        expect(JSON.parse(json)).to.deep.equal(JSON.parse(JSON.stringify(value)));
        expect(json.toLowerCase()).not.to.contain('</script');
        expect(json).not.to.contain('<!--');
        expect(json).not.to.match(/[\u2028\u2029]/);
        const html = template.render(renderBootstrapElement(value), 'n');
        expect(html.match(/id="bootstrap"/g)).to.have.length(1);
        expect(parseBootstrapHtml(html)).to.deep.equal(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 10_000 },
    );
  });
});

describe('hostile input never causes a 5xx', () => {
  let httpServer: Server;
  let restoreEnv: (() => void) | undefined;
  after(() => {
    httpServer?.close();
    restoreEnv?.();
  });

  it('1 000 random or oversized cookies, headers, query strings and bodies against every route: 0 responses >= 500', async function () {
    this.timeout(180_000);
    nock(INSTANCE).get(METADATA_PATH).optionally().reply(200, openIdConfiguration);
    const app = buildTestApp({
      config: testConfig({
        RATE_LIMIT_SIGNIN_PER_MINUTE: '2000',
        RATE_LIMIT_SPA_CODE_PER_USER_PER_MINUTE: '2000',
        RATE_LIMIT_CALLBACK_PER_MINUTE: '2000',
      }),
    });
    // One listening server for all requests (supertest would otherwise start one per request).
    httpServer = createServer(app.server).listen(0, '127.0.0.1');
    await once(httpServer, 'listening');
    const agent = () => supertest.agent(httpServer);
    const signedIn = agent();
    await signIn(signedIn, ALICE);
    restoreEnv = healthyDownstreams();
    const routes = [
      '/',
      '/profile',
      '/api/me',
      '/api/bootstrap',
      '/api/mail',
      '/api/mail/send',
      '/api/secret',
      '/auth/signin',
      '/auth/callback',
      '/auth/spa-code',
      '/auth/consent',
      '/auth/signout',
      '/auth/frontchannel-logout',
      '/healthz',
      '/readyz',
      '/main.js',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/api/unknown',
    ];
    const junk = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({ maxLength: 5000 }),
      fc.constantFrom('%', '%00', '../../', '{"a":', '[]', 'null', '\u0000'),
    );
    const request = fc.record({
      route: fc.constantFrom(...routes),
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH'),
      query: fc.dictionary(
        fc.constantFrom(
          'returnTo',
          'code',
          'state',
          'error',
          'error_description',
          'scopes',
          'claims',
          'token',
          'sid',
          'iss',
          'top',
          'skip',
          'name',
          'prompt',
        ),
        junk,
        { maxKeys: 4 },
      ),
      cookie: fc.option(junk),
      csrf: fc.boolean(),
      contentType: fc.constantFrom(
        'application/json',
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/xml',
      ),
      body: fc.option(
        fc.oneof(
          junk,
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.constant('x'.repeat(200_000)),
        ),
      ),
      useSession: fc.boolean(),
      accept: fc.constantFrom('text/html', 'application/json', '*/*'),
    });
    const samples = fc.sample(request, { numRuns: 1000, seed: 20261121 });
    const failures: string[] = [];
    for (const r of samples) {
      const qs = new URLSearchParams(r.query).toString();
      const url = `${r.route}${r.route.includes('?') ? '&' : '?'}${qs}`;
      const a = r.useSession ? signedIn : agent();
      let req = a[r.method.toLowerCase() as 'get'](url).set('Accept', r.accept);
      if (r.csrf) req = req.set('X-CSRF', '1');
      if (r.cookie !== null)
        req = req.set(
          'Cookie',
          `hsb=${encodeURIComponent(r.cookie)}; hsb.sig=${encodeURIComponent(r.cookie.slice(0, 20))}`,
        );
      if (r.body !== null && r.method !== 'GET' && r.method !== 'HEAD')
        req = req.set('Content-Type', r.contentType).send(r.body);
      let res;
      try {
        res = await req.timeout(5000).ok(() => true);
      } catch (err) {
        const e = err as { code?: string; message: string };
        // Node's HTTP parser or the client refusing a malformed request (e.g. an invalid header character) is fine.
        if (e.code === 'ERR_INVALID_CHAR' || e.code === 'ERR_HTTP_INVALID_HEADER_VALUE') continue;
        failures.push(`${r.method} ${url.slice(0, 120)} → ${e.code ?? ''} ${e.message.slice(0, 120)}`);
        continue;
      }
      if (res.status >= 500)
        failures.push(`${r.method} ${url.slice(0, 120)} → ${res.status} ${String(res.text).slice(0, 120)}`);
    }
    // Oversized headers are refused by Node's parser with 431 before the app runs.
    const address = httpServer.address() as { port: number };
    // A raw socket: the HTTP client interceptors nock installs are not involved.
    const bigStatus = await new Promise<string>((resolve, reject) => {
      const socket = connect(address.port, '127.0.0.1', () => {
        socket.write(
          `GET / HTTP/1.1\r\nHost: localhost\r\nCookie: hsb=${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`,
        );
      });
      let head = '';
      socket.on('data', (d) => (head += String(d)));
      socket.on('end', () => resolve(head.split(' ')[1] ?? ''));
      socket.on('error', reject);
    });
    expect(bigStatus).to.equal('431');
    expect(failures).to.deep.equal([]);
  });
});
