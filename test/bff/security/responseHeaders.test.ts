// Permissions-Policy and Cross-Origin-Resource-Policy on every kind of response; source maps are never served.
import { expect } from 'chai';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import webpackConfig from '../../../webpack.config';
import { ALICE, openIdConfiguration } from '../../helpers/entraFixtures';
import { buildTestApp, mockMetadata, signIn, testConfig } from '../../helpers/testApp';

describe('headers on every response', () => {
  let dist: string;
  before(() => {
    dist = mkdtempSync(join(tmpdir(), 'hsb-dist-'));
    writeFileSync(join(dist, 'main.0123abcd.js'), 'console.log(1)\n');
    writeFileSync(join(dist, 'main.0123abcd.js.map'), '{"version":3,"sources":["client/main.tsx"]}');
    writeFileSync(join(dist, 'styles.css'), 'body{}');
  });
  after(() => rmSync(dist, { recursive: true, force: true }));
  beforeEach(() => mockMetadata());

  it('sends Permissions-Policy and Cross-Origin-Resource-Policy: same-origin on pages, assets, redirects, JSON, errors, 404/405/413/415/429', async function () {
    this.timeout(60_000);
    const { agent } = buildTestApp({
      config: testConfig({
        CLIENT_DIST_DIR: dist,
        RATE_LIMIT_SIGNIN_PER_MINUTE: '3',
        ENTRA_AUTHORITY_METADATA: JSON.stringify(openIdConfiguration),
      }),
    });
    const signedIn = agent();
    await signIn(signedIn, ALICE);
    const routes = [
      '/',
      '/profile',
      '/main.0123abcd.js',
      '/styles.css',
      '/nope.js',
      '/api/me',
      '/api/mail/send',
      '/api/unknown',
      '/auth/signin',
      '/auth/callback',
      '/auth/consent',
      '/auth/spa-code',
      '/auth/signout',
      '/auth/frontchannel-logout?sid=x',
      '/healthz',
      '/readyz',
    ];
    const requests = fc.sample(
      fc.record({
        route: fc.constantFrom(...routes),
        method: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'),
        accept: fc.constantFrom('text/html', 'application/json', '*/*'),
        signedIn: fc.boolean(),
        body: fc.constantFrom(undefined, '{"a":', `{"a":"${'x'.repeat(120_000)}"}`, '{}'),
        encoding: fc.constantFrom(undefined, 'gzip'),
      }),
      { numRuns: 300, seed: 99 },
    );
    const statuses = new Set<number>();
    const missing: string[] = [];
    for (const r of requests) {
      const client = r.signedIn ? signedIn : agent();
      const method = r.method.toLowerCase() as 'get';
      let req = client[method](r.route).set('Accept', r.accept).set('X-CSRF', '1');
      if (r.encoding) req = req.set('Content-Encoding', r.encoding);
      if (r.body !== undefined && r.method !== 'GET' && r.method !== 'HEAD')
        req = req.set('Content-Type', 'application/json').send(r.body);
      const res = await req.ok(() => true);
      statuses.add(res.status);
      if (
        res.headers['cross-origin-resource-policy'] !== 'same-origin' ||
        !/camera=\(\)/.test(res.headers['permissions-policy'] ?? '') ||
        res.headers['x-content-type-options'] !== 'nosniff'
      ) {
        missing.push(`${r.method} ${r.route} → ${res.status}`);
      }
    }
    expect(missing).to.deep.equal([]);
    // The sample must really cover every kind of answer.
    for (const s of [200, 302, 400, 401, 404, 405, 413, 415, 429])
      expect([...statuses], `status ${s} covered`).to.include(s);
  });

  it('denies camera, microphone, geolocation and payment to the page and its frames', async () => {
    const res = await buildTestApp().agent().get('/').set('Accept', 'text/html').expect(200);
    for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb'])
      expect(res.headers['permissions-policy']).to.contain(`${feature}=()`);
  });

  it('never serves source maps, however the name is spelled', async () => {
    const { agent } = buildTestApp({ config: testConfig({ CLIENT_DIST_DIR: dist }) });
    await agent().get('/main.0123abcd.js').expect(200);
    for (const path of [
      '/main.0123abcd.js.map',
      '/main.0123abcd.js.MAP',
      '/main.0123abcd.js.ma%70',
      '/main.0123abcd.js%2emap',
    ]) {
      const res = await agent().get(path).set('Accept', '*/*');
      // 404, or the SPA's page for a name that is not a file; never the map.
      expect(res.status, path).to.be.oneOf([404, 200]);
      expect(res.text, path).not.to.contain('client/main.tsx');
    }
  });

  it('builds production bundles with hidden source maps (no sourceMappingURL in the served JavaScript)', () => {
    const production = webpackConfig({}, { mode: 'production' });
    expect(production.devtool).to.be.oneOf([false, 'hidden-source-map', 'hidden-nosources-source-map']);
  });
});
