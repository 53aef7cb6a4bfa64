import { expect } from 'chai';
import { ALICE, BOB, INSTANCE, TENANT_ID, homeAccountIdOf } from '../../helpers/entraFixtures';
import { buildTestApp, mockMetadata, signIn, testConfig } from '../../helpers/testApp';

describe('front-channel logout', () => {
  beforeEach(() => mockMetadata());

  it('ends the session matching the sid and drops its partition, without the session cookie (cross-site iframe)', async () => {
    const { agent, services } = buildTestApp();
    const alice = agent();
    const bob = agent();
    await signIn(alice, ALICE);
    await signIn(bob, BOB);
    const res = await agent()
      .get(`/auth/frontchannel-logout?sid=${ALICE.sid}&iss=${encodeURIComponent(`${INSTANCE}/${TENANT_ID}/v2.0`)}`)
      .expect(200);
    expect(res.headers['x-frame-options']).to.equal(undefined);
    expect(res.headers['content-security-policy']).to.contain(`frame-ancestors ${INSTANCE}`);
    await alice.get('/api/me').set('X-CSRF', '1').expect(401);
    expect(await services.stores.tokenCache.get(homeAccountIdOf(ALICE))).to.equal(null);
    await bob.get('/api/me').set('X-CSRF', '1').expect(200);
    expect(await services.stores.tokenCache.get(homeAccountIdOf(BOB))).to.be.a('string');
  });

  it('answers an unknown sid with 200 and changes nothing', async () => {
    const { agent } = buildTestApp();
    const alice = agent();
    await signIn(alice, ALICE);
    await agent().get('/auth/frontchannel-logout?sid=unknown-sid').expect(200);
    await alice.get('/api/me').set('X-CSRF', '1').expect(200);
  });

  it('rejects a missing sid and a foreign issuer with 400', async () => {
    const { agent } = buildTestApp();
    const alice = agent();
    await signIn(alice, ALICE);
    await agent().get('/auth/frontchannel-logout').expect(400);
    await agent()
      .get(`/auth/frontchannel-logout?sid=${ALICE.sid}&iss=${encodeURIComponent('https://evil.example/x/v2.0')}`)
      .expect(400);
    await alice.get('/api/me').set('X-CSRF', '1').expect(200);
  });

  it('rate limits front-channel logout per client IP (429 with Retry-After), and the limit does not let a foreign iss through', async () => {
    const { agent } = buildTestApp({
      config: testConfig({ RATE_LIMIT_CALLBACK_PER_MINUTE: '5', TRUST_PROXY: 'true' }),
    });
    const alice = agent();
    await signIn(alice, ALICE);
    const fromAttacker = (path: string) =>
      agent().get(path).set('X-Forwarded-For', '203.0.113.7').set('Accept', 'application/json');
    for (let i = 0; i < 5; i++) await fromAttacker(`/auth/frontchannel-logout?sid=guess-${i}`).expect(200);
    const limited = await fromAttacker(`/auth/frontchannel-logout?sid=${ALICE.sid}`).expect(429);
    expect(Number(limited.headers['retry-after'])).to.be.within(1, 60);
    expect(limited.body.error).to.equal('rate_limited');
    await alice.get('/api/me').set('X-CSRF', '1').expect(200);
    // Another client IP still gets through, and a foreign issuer is still refused.
    const other = (path: string) => agent().get(path).set('X-Forwarded-For', '198.51.100.9');
    await other(
      `/auth/frontchannel-logout?sid=${ALICE.sid}&iss=${encodeURIComponent('https://evil.example/x/v2.0')}`,
    ).expect(400);
    await alice.get('/api/me').set('X-CSRF', '1').expect(200);
    await other(
      `/auth/frontchannel-logout?sid=${ALICE.sid}&iss=${encodeURIComponent(`${INSTANCE}/${TENANT_ID}/v2.0`)}`,
    ).expect(200);
    await alice.get('/api/me').set('X-CSRF', '1').expect(401);
  });
});
