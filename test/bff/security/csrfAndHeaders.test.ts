import { expect } from 'chai';
import { ALICE, INSTANCE } from '../../helpers/entraFixtures';
import { buildTestApp, mockMetadata, signIn, startSignIn, testConfig } from '../../helpers/testApp';
import { tokenEndpoint } from '../../helpers/tokenEndpoint';

describe('CSRF defence on /api', () => {
  it('requires X-CSRF: 1 on every API request', async () => {
    const { agent } = buildTestApp();
    const res = await agent().get('/api/me').expect(403);
    expect(res.body).to.deep.include({ error: 'csrf_rejected' });
    await agent().get('/api/me').set('X-CSRF', '0').expect(403);
  });

  it('rejects cross-site fetch metadata and foreign origins on state-changing requests', async () => {
    const { agent } = buildTestApp();
    await agent().get('/api/me').set('X-CSRF', '1').set('Sec-Fetch-Site', 'cross-site').expect(403);
    const res = await agent()
      .post('/api/mail/send')
      .set('X-CSRF', '1')
      .set('Origin', 'https://evil.example')
      .send({})
      .expect(403);
    expect(res.body.error).to.equal('csrf_rejected');
  });

  it('never answers with CORS headers', async () => {
    const { agent } = buildTestApp();
    const res = await agent()
      .options('/api/me')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'GET');
    expect(res.headers['access-control-allow-origin']).to.equal(undefined);
    expect(res.headers['access-control-allow-credentials']).to.equal(undefined);
  });
});

describe('security headers', () => {
  beforeEach(() => mockMetadata());

  it('sends a strict nonce-based CSP and no-store on the bootstrap page', async () => {
    const { agent } = buildTestApp();
    const res = await agent().get('/').set('Accept', 'text/html').expect(200);
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).to.match(/script-src 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'/);
    expect(csp).to.contain("object-src 'none'").and.contain("base-uri 'none'").and.contain("frame-ancestors 'none'");
    expect(csp).to.contain(`connect-src 'self' ${INSTANCE} https://graph.microsoft.com`);
    expect(res.headers['cache-control']).to.equal('no-store');
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    expect(res.headers['x-frame-options']).to.equal('DENY');
    const second = await agent().get('/').set('Accept', 'text/html');
    expect(second.headers['content-security-policy']).not.to.equal(csp); // a fresh nonce per response
  });

  it('sends nosniff and no-store on JSON, and a locked-down CSP on error pages', async () => {
    const { agent } = buildTestApp();
    const json = await agent().get('/api/me').set('X-CSRF', '1').expect(401);
    expect(json.headers['x-content-type-options']).to.equal('nosniff');
    expect(json.headers['cache-control']).to.equal('no-store');
    const page = await agent().get('/auth/callback?state=x').set('Accept', 'text/html').expect(400);
    expect(page.headers['content-security-policy']).to.match(/^default-src 'none'/);
    expect(page.headers['referrer-policy']).to.equal('no-referrer');
    expect(page.text).not.to.match(/at \w+ \(|node_modules/); // no stack traces
  });

  it('sends HSTS and __Host- cookies when served over https', async () => {
    const { testConfig } = await import('../../helpers/testApp');
    const { agent } = buildTestApp({ config: testConfig({ PUBLIC_URL: 'https://app.example.com' }) });
    const a = agent();
    const res = await a.get('/auth/signin').expect(302);
    expect(res.headers['strict-transport-security']).to.match(/max-age=\d+/);
    const cookies = res.headers['set-cookie'] as unknown as string[];
    expect(cookies.some((c) => /^__Host-hsb-tx=.*; path=\/;.*secure.*httponly/i.test(c))).to.equal(true);
    expect(cookies.every((c) => !/domain=/i.test(c))).to.equal(true);
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, signed, and regenerates its id at sign-in', async () => {
    const { agent } = buildTestApp();
    const a = agent();
    await a.get('/').set('Accept', 'text/html');
    const { state, nonce } = await startSignIn(a);
    const { tokenResponse } = await import('../../helpers/entraFixtures');
    tokenEndpoint().interceptor.reply(200, tokenResponse(ALICE, { nonce }));
    const res = await a.get(`/auth/callback?code=c&state=${state}`).expect(302);
    const cookies = (res.headers['set-cookie'] as unknown as string[]).filter((c) => c.startsWith('hsb='));
    expect(cookies.at(-1))
      .to.match(/httponly/i)
      .and.match(/samesite=lax/i);
    expect((res.headers['set-cookie'] as unknown as string[]).some((c) => c.startsWith('hsb.sig='))).to.equal(true);
    const before = cookies.at(-1)!.split(';')[0];
    await signIn(a, ALICE);
    const after = await a.get('/api/me').set('X-CSRF', '1').expect(200);
    expect(after.body.account.username).to.equal(ALICE.username);
    expect(before).to.match(/^hsb=[\w-]{43}$/);
  });
});

describe('rate limiting', () => {
  beforeEach(() => mockMetadata());

  it('answers the sign-in start past the per-IP budget with 429 and Retry-After', async () => {
    const { agent } = buildTestApp({ config: testConfig({ RATE_LIMIT_SIGNIN_PER_MINUTE: '30' }) });
    for (let i = 0; i < 30; i++) await agent().get('/auth/signin').expect(302);
    const res = await agent().get('/auth/signin').set('Accept', 'application/json').expect(429);
    expect(Number(res.headers['retry-after'])).to.be.within(1, 60);
    expect(res.body.error).to.equal('rate_limited');
  });

  it('by default lets a morning rush of 300 users behind one NAT address start signing in within a minute', async () => {
    const { agent } = buildTestApp();
    const statuses = new Map<number, number>();
    for (let i = 0; i < 300; i++) {
      const { status } = await agent().get('/auth/signin');
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    expect(Object.fromEntries(statuses)).to.deep.equal({ 302: 300 });
  });
});

describe('malformed input', () => {
  beforeEach(() => mockMetadata());

  it('answers malformed JSON with 400 invalid_json and an oversized body with 413, both as JSON', async () => {
    const { agent } = buildTestApp();
    const a = agent();
    await signIn(a, ALICE);
    const bad = await a
      .post('/api/mail/send')
      .set('X-CSRF', '1')
      .set('Content-Type', 'application/json')
      .send('{"to":')
      .expect(400);
    expect(bad.body).to.deep.equal({
      error: 'invalid_json',
      message: 'The request body is not valid JSON. Send a JSON object with Content-Type: application/json.',
    });
    const big = await a
      .post('/api/mail/send')
      .set('X-CSRF', '1')
      .set('Content-Type', 'application/json')
      .send(`{"a":"${'x'.repeat(200_000)}"}`)
      .expect(413);
    expect(big.body.error).to.equal('payload_too_large');
  });
});
