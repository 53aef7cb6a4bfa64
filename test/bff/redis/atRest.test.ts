import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { CacheCipher } from '../../../bff/tokenCache/cacheEncryption';
import { ALICE, BOB, homeAccountIdOf, tokenResponse } from '../../helpers/entraFixtures';
import { tokenEndpoint } from '../../helpers/tokenEndpoint';
import { mockMetadata } from '../../helpers/testApp';
import {
  deleteKeysWithPrefix,
  keysWithPrefix,
  openInspector,
  redisKey,
  redisTestConfig,
  requireRedis,
  uniqueKeyPrefix,
} from '../../helpers/redis';
import { Browser, sessionIdOf, sessionUserOf, signInAcross, startInstance, type BffInstance } from './bffInstances';

describe('what the BFF keeps in Redis', () => {
  const prefix = uniqueKeyPrefix();
  const oldKey = randomBytes(32).toString('base64');
  const newKey = randomBytes(32).toString('base64');
  let inspector: Redis;
  const instances: BffInstance[] = [];

  async function instance(keys: string[]): Promise<BffInstance> {
    mockMetadata(); // each instance discovers the authority once
    const i = await startInstance(redisTestConfig(prefix, { TOKEN_CACHE_KEYS: keys.join(',') }));
    instances.push(i);
    return i;
  }

  before(async function () {
    await requireRedis(this);
    inspector = openInspector();
  });

  after(async () => {
    await Promise.all(instances.map((i) => i.close()));
    if (!inspector) return;
    await deleteKeysWithPrefix(inspector, prefix);
    inspector.disconnect();
  });

  beforeEach(() => mockMetadata());

  it('holds no token, code, oid or user name in clear in any key value; prints the bytes per signed-in user', async () => {
    const bff = await instance([oldKey]);
    const browser = new Browser();
    // Start a second sign-in and leave it pending, so a login transaction is at rest too.
    const { accessToken, refreshToken, spaCode } = await signInAcross(browser, bff, ALICE);
    await new Browser().get(`${bff.url}/auth/signin`);
    const keys = await keysWithPrefix(inspector, prefix);
    const kinds = keys.map((k) => k.slice(prefix.length).split(':')[0]).sort();
    expect(kinds).to.deep.equal(['sess', 'sid', 'spa', 'tc', 'tcg', 'tx']);
    const needles = [
      accessToken,
      refreshToken,
      spaCode!,
      ALICE.oid,
      ALICE.username,
      ALICE.name,
      'access-',
      'refresh-',
      'secret',
      'AccessToken',
      'RefreshToken',
      'home_account_id',
    ];
    for (const key of keys) {
      const raw = (await inspector.getBuffer(key))!.toString('latin1');
      if (key.startsWith(`${prefix}tcg:`)) {
        // The partition's generation: a random id and nothing else (not sealed: there is nothing to hide in it).
        expect(raw).to.match(/^live:[A-Za-z0-9_-]{22}$/);
        continue;
      }
      expect(raw.charCodeAt(0), 'sealed-value format byte').to.equal(1);
      for (const needle of needles)
        expect(raw, `${key.slice(prefix.length, prefix.length + 5)} holds ${needle}`).not.to.contain(needle);
    }

    const cfg = bff.services.config;
    const perUser = {
      session: redisKey(cfg, `sess:${sessionIdOf(browser, cfg)}`),
      'token cache': redisKey(cfg, `tc:${homeAccountIdOf(ALICE)}`),
      'its generation': keys.find((k) => k.startsWith(`${prefix}tcg:`))!,
      'sid index': redisKey(cfg, `sid:${ALICE.sid}`),
    };
    const parts = await Promise.all(
      Object.entries(perUser).map(async ([name, key]) => ({
        name,
        bytes: Number(await inspector.memory('USAGE', key)),
        value: await inspector.strlen(key),
      })),
    );
    const total = parts.reduce((sum, p) => sum + p.bytes, 0);
    console.log(
      `      Redis memory per signed-in user (MEMORY USAGE): ${parts.map((p) => `${p.name} ${p.bytes} B (value ${p.value} B)`).join(' + ')} = ${total} B`,
    );
    expect(total).to.be.below(16_384);
  });

  it('a tampered partition reads as empty: the server asks the user to sign in again instead of failing', async () => {
    const bff = await instance([oldKey]);
    const browser = new Browser();
    await signInAcross(browser, bff, BOB);
    const user = await sessionUserOf(browser, bff);
    const cacheKey = redisKey(bff.services.config, `tc:${homeAccountIdOf(BOB)}`);
    const raw = (await inspector.getBuffer(cacheKey))!;
    raw[40]! ^= 0x20;
    await inspector.set(cacheKey, raw, 'KEEPTTL');
    const err = await bff.services.tokenService.acquire(user, ['Mail.Read']).catch((e: unknown) => e);
    expect(err).to.include({ name: 'InteractionRequiredAuthError' });
    expect((await browser.api(`${bff.url}/api/me`)).status).to.equal(200);
  });

  it("another user's blob copied into a partition is never served to that partition's user", async () => {
    const bff = await instance([oldKey]);
    const alice = new Browser();
    const bob = new Browser();
    await signInAcross(alice, bff, ALICE);
    await signInAcross(bob, bff, BOB);
    const cfg = bff.services.config;
    await inspector.copy(
      redisKey(cfg, `tc:${homeAccountIdOf(BOB)}`),
      redisKey(cfg, `tc:${homeAccountIdOf(ALICE)}`),
      'REPLACE',
    );
    expect(await bff.stores.tokenCache.get(homeAccountIdOf(ALICE))).to.equal(null);
    const err = await bff.services.tokenService
      .acquire(await sessionUserOf(alice, bff), ['Mail.Read'])
      .catch((e: unknown) => e);
    expect(err).to.include({ name: 'InteractionRequiredAuthError' });
  });

  it('key rotation: an instance with a new first key reads sessions and caches sealed with the old key and re-seals with the new one', async () => {
    const before = await instance([oldKey]);
    const browser = new Browser();
    await signInAcross(browser, before, ALICE);
    const sessionKey = redisKey(before.services.config, `sess:${sessionIdOf(browser, before.services.config)}`);
    const cacheKey = redisKey(before.services.config, `tc:${homeAccountIdOf(ALICE)}`);
    const oldId = new CacheCipher([Buffer.from(oldKey, 'base64')]).currentKeyId;
    const newId = new CacheCipher([Buffer.from(newKey, 'base64')]).currentKeyId;
    expect(CacheCipher.keyIdOf((await inspector.getBuffer(cacheKey))!)).to.equal(oldId);

    const rotated = await instance([newKey, oldKey]);
    // Key names rotate with the keys: the new instance reads the old names and moves what it rewrites to the new ones.
    const newSessionKey = redisKey(rotated.services.config, `sess:${sessionIdOf(browser, rotated.services.config)}`);
    const newCacheKey = redisKey(rotated.services.config, `tc:${homeAccountIdOf(ALICE)}`);
    expect(newSessionKey).not.to.equal(sessionKey);
    expect((await browser.api(`${rotated.url}/api/me`)).status).to.equal(200); // session read with the old key, rewritten
    expect(CacheCipher.keyIdOf((await inspector.getBuffer(newSessionKey))!)).to.equal(newId);
    expect(await inspector.exists(sessionKey)).to.equal(0);
    expect(await inspector.pttl(newSessionKey)).to.be.above(0);
    const user = await sessionUserOf(browser, rotated);
    const cached = await rotated.services.tokenService.acquire(user, ['Mail.Read']);
    expect(cached.accessToken).to.match(/^eyJ/);
    const refresh = tokenEndpoint('refresh_token').interceptor.reply(
      200,
      tokenResponse(ALICE, { nonce: null, spaCode: null }),
    );
    await rotated.services.tokenService.acquire(user, ['Mail.Read'], { forceRefresh: true });
    refresh.done();
    expect(CacheCipher.keyIdOf((await inspector.getBuffer(newCacheKey))!)).to.equal(newId);
    expect(await inspector.exists(cacheKey)).to.equal(0);

    // After the old key is dropped everywhere, values written since remain readable.
    const newOnly = await instance([newKey]);
    expect(await newOnly.stores.tokenCache.get(homeAccountIdOf(ALICE))).to.contain(ALICE.oid);
    expect((await browser.api(`${newOnly.url}/api/me`)).status).to.equal(200);
  });
  it('key names reveal no identity: after a sign-in, SCAN shows no sid, oid, tid, homeAccountId, session id, state or spa reference', async () => {
    const bff = await instance([oldKey]);
    const browser = new Browser();
    const { state } = await signInAcross(browser, bff, ALICE);
    const pending = new URL((await new Browser().get(`${bff.url}/auth/signin`)).headers.get('location')!);
    const cfg = bff.services.config;
    const sessionId = sessionIdOf(browser, cfg);
    const spaRef = (await bff.stores.sessions.get(sessionId))?.spaCodeRef;
    const keys = await keysWithPrefix(inspector, prefix);
    const secrets = {
      sid: ALICE.sid,
      oid: ALICE.oid,
      tid: ALICE.tid,
      homeAccountId: homeAccountIdOf(ALICE),
      'session id': sessionId,
      state,
      'pending state': pending.searchParams.get('state')!,
      ...(typeof spaRef === 'string' ? { 'spa reference': spaRef } : {}),
    };
    for (const key of keys) {
      for (const [what, value] of Object.entries(secrets)) {
        expect(key.toLowerCase(), `a key name carries the ${what}`).not.to.contain(value.toLowerCase());
      }
      // <prefix><namespace>:{<22-character base64url HMAC tag>}: one hash tag per key, nothing else.
      expect(key.slice(prefix.length)).to.match(/^(sess|tc|tcg|tx|spa|sid):\{[A-Za-z0-9_-]{22}\}$/);
    }
    // The same logical key always maps to the same name (any instance finds it), and the value stays bound to it.
    expect(await inspector.exists(redisKey(cfg, `sid:${ALICE.sid}`))).to.equal(1);
    expect(await inspector.exists(redisKey(cfg, `tc:${homeAccountIdOf(ALICE)}`))).to.equal(1);
    // The generation shares the partition's hash tag (one slot for the scripts over both).
    const partition = redisKey(cfg, `tc:${homeAccountIdOf(ALICE)}`);
    expect(keys).to.include(`${prefix}tcg:${partition.slice(partition.indexOf('{'))}`);
  });
});
