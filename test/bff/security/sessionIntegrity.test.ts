import { expect } from 'chai';
import { createMemoryStores } from '../../../bff/store/memoryStores';
import { ALICE, BOB, homeAccountIdOf, tokenResponse } from '../../helpers/entraFixtures';
import {
  buildTestApp,
  getBootstrap,
  mockMetadata,
  parseBootstrapHtml,
  signIn,
  testConfig,
} from '../../helpers/testApp';
import { tokenEndpoint } from '../../helpers/tokenEndpoint';

function authorizeParams(location: string) {
  const url = new URL(location);
  return {
    state: url.searchParams.get('state')!,
    nonce: url.searchParams.get('nonce')!,
    prompt: url.searchParams.get('prompt'),
  };
}

describe('session and partition integrity', () => {
  beforeEach(() => mockMetadata());

  it('a consent round trip answered by another account is refused: 400 account_mismatch, session and partitions unchanged', async () => {
    const { agent, services } = buildTestApp();
    const a = agent();
    await signIn(a, ALICE);
    const start = await a.get('/auth/consent?scopes=Mail.Send&returnTo=/mail/send').expect(302);
    const { state, nonce } = authorizeParams(start.headers.location as string);
    tokenEndpoint().interceptor.reply(200, tokenResponse(BOB, { nonce, scope: 'Mail.Send openid profile' }));
    const res = await a.get(`/auth/callback?code=c&state=${state}`).set('Accept', 'application/json').expect(400);
    expect(res.body.error).to.equal('account_mismatch');
    expect((await a.get('/api/me').set('X-CSRF', '1').expect(200)).body.account.homeAccountId).to.equal(
      homeAccountIdOf(ALICE),
    );
    expect(await services.stores.tokenCache.get(homeAccountIdOf(ALICE))).not.to.contain(BOB.oid);
    expect(await services.stores.tokenCache.get(homeAccountIdOf(BOB))).to.equal(null);
  });

  it('a request in flight during sign-out cannot bring the destroyed session back', async () => {
    const config = testConfig();
    const stores = createMemoryStores(config);
    const realGet = stores.sessions.get.bind(stores.sessions);
    let hold: { loaded: () => void; release: Promise<void> } | null = null;
    stores.sessions.get = async (...args) => {
      const value = await realGet(...args);
      const h = hold;
      hold = null;
      if (h) {
        h.loaded();
        await h.release;
      }
      return value;
    };
    const { agent } = buildTestApp({ config, stores });
    const a = agent();
    await signIn(a, ALICE);
    // A prefetch leaves the spa code pending, so the page load below changes (and saves) the session.
    const prefetched = await a.get('/').set('Accept', 'text/html').set('Sec-Purpose', 'prefetch').expect(200);
    const boot = parseBootstrapHtml(prefetched.text);

    let release!: () => void;
    const loaded = new Promise<void>((resolve) => {
      hold = { loaded: resolve, release: new Promise<void>((r) => (release = r)) };
    });
    const inFlight = a
      .get('/')
      .set('Accept', 'text/html')
      .then((r) => r.status);
    await loaded; // the page load has read the session and is still running
    await a.get(boot.routes.signOut!).expect(302);
    release();
    expect(await inFlight).to.equal(200);
    await a.get('/api/me').set('X-CSRF', '1').expect(401);
    expect((stores.sessions as unknown as { size: number }).size).to.equal(0);
  });

  it('a fresh spa code minted in another tab keeps the sign-out link of this tab working', async () => {
    const { agent } = buildTestApp();
    const a = agent();
    await signIn(a, ALICE);
    const firstTab = await getBootstrap(a);
    const start = await a.get('/auth/spa-code?returnTo=/profile').expect(302);
    const { state, nonce, prompt } = authorizeParams(start.headers.location as string);
    expect(prompt).to.equal('none');
    tokenEndpoint().interceptor.reply(200, tokenResponse(ALICE, { nonce, spaCode: 'fresh-spa-code' }));
    await a.get(`/auth/callback?code=c&state=${state}`).expect(302);
    expect((await getBootstrap(a)).spaCode).to.equal('fresh-spa-code');
    await a.get(firstTab.routes.signOut!).expect(302);
    await a.get('/api/me').set('X-CSRF', '1').expect(401);
  });

  it('HEAD requests and prefetches do not use up the spa code; the page load gets it', async () => {
    const { agent } = buildTestApp();
    const a = agent();
    const { spaCode } = await signIn(a, ALICE);
    await a.head('/').set('Accept', 'text/html').expect(200);
    const prefetch = await a.get('/').set('Accept', 'text/html').set('Sec-Purpose', 'prefetch').expect(200);
    expect(prefetch.text).to.contain('"spaCode":null');
    await a.get('/').set('Accept', '*/*').set('Sec-Fetch-Dest', 'empty').expect(200);
    expect((await getBootstrap(a)).spaCode).to.equal(spaCode);
  });
});

describe('rate limits behind a proxy and per user', () => {
  beforeEach(() => mockMetadata());

  it('takes the client IP from the right of X-Forwarded-For, so a forged leftmost entry does not evade the limit', async () => {
    const { agent } = buildTestApp({ config: testConfig({ TRUST_PROXY: 'true', RATE_LIMIT_SIGNIN_PER_MINUTE: '30' }) });
    for (let i = 0; i < 30; i++) {
      await agent().get('/auth/signin').set('X-Forwarded-For', `10.0.0.${i}, 203.0.113.7`).expect(302);
    }
    await agent().get('/auth/signin').set('X-Forwarded-For', '10.9.9.9, 203.0.113.7').expect(429);
    await agent().get('/auth/signin').set('X-Forwarded-For', '203.0.113.8').expect(302);
  });

  it('limits fresh spa codes per user, so one user opening many tabs does not block a colleague behind the same IP', async () => {
    const { agent } = buildTestApp();
    const alice = agent();
    const bob = agent();
    await signIn(alice, ALICE);
    await signIn(bob, BOB);
    for (let i = 0; i < 30; i++) await alice.get('/auth/spa-code').expect(302);
    await alice.get('/auth/spa-code').expect(429);
    await bob.get('/auth/spa-code').expect(302);
  });
});
