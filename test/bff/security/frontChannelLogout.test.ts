import { expect } from 'chai';
import { ALICE, BOB, INSTANCE, TENANT_ID, homeAccountIdOf } from '../../helpers/entraFixtures';
import { buildTestApp, mockMetadata, signIn } from '../../helpers/testApp';

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
    await agent().get(`/auth/frontchannel-logout?sid=${ALICE.sid}&iss=${encodeURIComponent('https://evil.example/x/v2.0')}`).expect(400);
    await alice.get('/api/me').set('X-CSRF', '1').expect(200);
  });
});
