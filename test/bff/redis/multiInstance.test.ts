import { expect } from 'chai';
import type { Redis } from 'ioredis';
import nock from 'nock';
import { ALICE, BOB, INSTANCE, TENANT_ID, homeAccountIdOf, tokenResponse } from '../../helpers/entraFixtures';
import { tokenEndpoint } from '../../helpers/tokenEndpoint';
import { mockMetadata } from '../../helpers/testApp';
import { keysWithPrefix, redisKey, redisTestConfig, uniqueKeyPrefix } from '../../helpers/redis';
import {
  Browser,
  sessionIdOf,
  sessionUserOf,
  signInAcross,
  twoInstancesSharingRedis,
  type BffInstance,
} from './bffInstances';

describe('several BFF instances sharing Redis', () => {
  const prefix = uniqueKeyPrefix();
  const config = redisTestConfig(prefix);
  const pair = twoInstancesSharingRedis(config, prefix);
  let inspector: Redis;
  let a: BffInstance;
  let b: BffInstance;
  before(() => ({ a, b, inspector } = pair));

  beforeEach(() => mockMetadata());

  it('a session started on A is signed in on B; B delivers the spa code once and A then sees null', async () => {
    const browser = new Browser();
    const { spaCode } = await signInAcross(browser, a, ALICE);
    const me = await browser.api(`${b.url}/api/me`);
    expect(me.status).to.equal(200);
    expect(((await me.json()) as { account: { homeAccountId: string } }).account.homeAccountId).to.equal(
      homeAccountIdOf(ALICE),
    );

    const first = await browser.bootstrap(`${b.url}/`);
    expect(first.spaCode).to.equal(spaCode);
    expect(first.account?.homeAccountId).to.equal(homeAccountIdOf(ALICE));
    const onA = await browser.bootstrap(`${a.url}/`);
    expect(onA.spaCode).to.equal(null);
    expect(onA.account?.homeAccountId).to.equal(homeAccountIdOf(ALICE));
    expect(await keysWithPrefix(inspector, `${prefix}spa:`)).to.deep.equal([]);
  });

  it('both instances race for one spa code: exactly one delivers it', async () => {
    const browser = new Browser();
    const { spaCode } = await signInAcross(browser, a, BOB);
    const [x, y] = await Promise.all([browser.bootstrap(`${a.url}/`), browser.bootstrap(`${b.url}/`)]);
    expect([x.spaCode, y.spaCode].filter((c) => c !== null)).to.deep.equal([spaCode]);
  });

  it('a callback replayed on the other instance is rejected with 400 and never reaches the token endpoint', async () => {
    const browser = new Browser();
    const { callbackUrl } = await signInAcross(browser, a, ALICE);
    const token = tokenEndpoint().interceptor.reply(200, {});
    const replay = await browser.get(`${b.url}${callbackUrl}`, { accept: 'application/json' });
    expect(replay.status).to.equal(400);
    expect(((await replay.json()) as { error: string }).error).to.equal('invalid_login_transaction');
    expect(token.isDone()).to.equal(false);
    nock.cleanAll();
  });

  it('the same callback arriving at both instances at once is redeemed exactly once', async () => {
    const browser = new Browser();
    const start = await browser.get(`${a.url}/auth/signin`);
    const authorize = new URL(start.headers.get('location')!);
    const state = authorize.searchParams.get('state')!;
    const token = tokenEndpoint().interceptor.reply(
      200,
      tokenResponse(ALICE, { nonce: authorize.searchParams.get('nonce') }),
    );
    const url = `/auth/callback?code=web-code-race&state=${state}`;
    // Two copies of the browser (same cookies), one per instance.
    const twin = new Browser();
    for (const [k, v] of browser.cookies) twin.cookies.set(k, v);
    const [r1, r2] = await Promise.all([browser.get(`${a.url}${url}`), twin.get(`${b.url}${url}`)]);
    expect([r1.status, r2.status].sort()).to.deep.equal([302, 400]);
    token.done();
  });

  it('sign-out on B removes the session and the partition for A too', async () => {
    const browser = new Browser();
    await signInAcross(browser, a, BOB);
    const sessionKey = redisKey(config, `sess:${sessionIdOf(browser, config)}`);
    expect(await inspector.exists(redisKey(config, `tc:${homeAccountIdOf(BOB)}`), sessionKey)).to.equal(2);
    const boot = await browser.bootstrap(`${b.url}/`);
    const out = await browser.get(`${b.url}${boot.routes.signOut!}`);
    expect(out.status).to.equal(302);
    expect(await inspector.exists(redisKey(config, `tc:${homeAccountIdOf(BOB)}`), sessionKey)).to.equal(0);
    expect(await a.stores.tokenCache.get(homeAccountIdOf(BOB))).to.equal(null);
    expect((await browser.api(`${a.url}/api/me`)).status).to.equal(401);
  });

  it("sign-out in one browser removes the user's server tokens for their other sessions too (one partition per user)", async () => {
    const laptop = new Browser();
    const phone = new Browser();
    await signInAcross(laptop, a, ALICE);
    await signInAcross(phone, b, ALICE);
    const phoneUser = await sessionUserOf(phone, b);
    const boot = await laptop.bootstrap(`${a.url}/`);
    expect((await laptop.get(`${a.url}${boot.routes.signOut!}`)).status).to.equal(302);
    // The phone's session still exists, but the server can no longer get tokens for it without the user.
    expect((await phone.api(`${b.url}/api/me`)).status).to.equal(200);
    const err = await b.services.tokenService.acquire(phoneUser, ['Mail.Read']).catch((e: unknown) => e);
    // MSAL's InteractionRequiredAuthError, which the API layer turns into 401 login_required.
    expect(err).to.include({ name: 'InteractionRequiredAuthError', errorCode: 'no_tokens_found' });
  });

  it('front-channel logout arriving at B ends the session started on A and drops the partition', async () => {
    const browser = new Browser();
    await signInAcross(browser, a, ALICE);
    const sessionKey = redisKey(config, `sess:${sessionIdOf(browser, config)}`);
    expect(await inspector.exists(redisKey(config, `sid:${ALICE.sid}`))).to.equal(1);
    const iss = encodeURIComponent(`${INSTANCE}/${TENANT_ID}/v2.0`);
    const res = await new Browser().get(`${b.url}/auth/frontchannel-logout?sid=${ALICE.sid}&iss=${iss}`);
    expect(res.status).to.equal(200);
    expect(
      await inspector.exists(
        sessionKey,
        redisKey(config, `tc:${homeAccountIdOf(ALICE)}`),
        redisKey(config, `sid:${ALICE.sid}`),
      ),
    ).to.equal(0);
    expect((await browser.api(`${a.url}/api/me`)).status).to.equal(401);
  });

  it('keeps users apart: interleaved sign-ins on both instances land in their own partitions', async () => {
    const alice = new Browser();
    const bob = new Browser();
    await signInAcross(alice, a, ALICE, { finish: a });
    await signInAcross(bob, b, BOB);
    const [aliceBlob, bobBlob] = await Promise.all([
      b.stores.tokenCache.get(homeAccountIdOf(ALICE)),
      a.stores.tokenCache.get(homeAccountIdOf(BOB)),
    ]);
    expect(aliceBlob).to.contain(ALICE.oid).and.not.contain(BOB.oid);
    expect(bobBlob).to.contain(BOB.oid).and.not.contain(ALICE.oid);
  });
});
