import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { StoreUnavailableError } from '../../../bff/http/errors';
import { createLogger } from '../../../bff/http/logger';
import { RedisSessionStore } from '../../../bff/session/redisSessionStore';
import { createRedisConnection, reconnectDelay, type RedisConnection } from '../../../bff/store/redisClient';
import { RedisOneTimeStore } from '../../../bff/store/redisOneTimeStore';
import { CacheCipher } from '../../../bff/tokenCache/cacheEncryption';
import { RedisTokenCacheStore } from '../../../bff/tokenCache/redisTokenCacheStore';
import {
  TEST_REDIS_URL,
  deleteKeysWithPrefix,
  freePort,
  keysWithPrefix,
  openInspector,
  redisStoreConfig,
  requireRedis,
  uniqueKeyPrefix,
} from '../../helpers/redis';

/** A logger whose lines the test can read. */
function capturingLogger() {
  const lines: string[] = [];
  return { lines, log: createLogger('warn', { write: (s: string) => void lines.push(s) }) };
}

describe('Redis stores (real Redis)', () => {
  const prefix = uniqueKeyPrefix();
  const key1 = randomBytes(32);
  const key2 = randomBytes(32);
  let inspector: Redis;
  const connections: RedisConnection[] = [];

  function connect(commandTimeoutMs = 1_000, storeKeys: Buffer[] = [key1]): RedisConnection {
    const c = createRedisConnection(
      redisStoreConfig(TEST_REDIS_URL, { keyPrefix: prefix, commandTimeoutMs }),
      createLogger('silent'),
      { storeKeys },
    );
    connections.push(c);
    return c;
  }
  const ready = (c: RedisConnection) =>
    new Promise<void>((resolve) => (c.redis.status === 'ready' ? resolve() : c.redis.once('ready', () => resolve())));

  before(async function () {
    await requireRedis(this);
    inspector = openInspector();
  });

  after(async () => {
    if (!inspector) return;
    await deleteKeysWithPrefix(inspector, prefix);
    expect(await keysWithPrefix(inspector, prefix)).to.deep.equal([]);
    await Promise.all(connections.map((c) => c.close()));
    inspector.disconnect();
  });

  describe('RedisOneTimeStore (login transactions, spa codes)', () => {
    it('take returns the value once, then null; the value at rest is sealed', async () => {
      const c = connect();
      await ready(c);
      const store = new RedisOneTimeStore<{ code: string }>(c, new CacheCipher([key1]), 'spa', createLogger('silent'));
      await store.put('ref-1', { code: 'spa-code-secret-1' }, 60_000);
      const raw = await inspector.getBuffer(c.key('spa:ref-1'));
      expect(raw!.toString('latin1')).not.to.contain('spa-code-secret-1');
      const pttl = await inspector.pttl(c.key('spa:ref-1'));
      expect(pttl).to.be.within(55_000, 60_000);
      expect(await store.take('ref-1')).to.deep.equal({ code: 'spa-code-secret-1' });
      expect(await store.take('ref-1')).to.equal(null);
      expect(await inspector.exists(c.key('spa:ref-1'))).to.equal(0);
    });

    it('expires values after their TTL', async () => {
      const c = connect();
      await ready(c);
      const store = new RedisOneTimeStore<string>(c, new CacheCipher([key1]), 'tx', createLogger('silent'));
      await store.put('short', 'v', 30);
      await new Promise((r) => setTimeout(r, 80));
      expect(await store.take('short')).to.equal(null);
    });

    it('exactly one of 20 concurrent takes over 4 separate connections gets the value (GETDEL is atomic)', async () => {
      const stores = [0, 1, 2, 3].map(
        () => new RedisOneTimeStore<string>(connect(), new CacheCipher([key1]), 'tx', createLogger('silent')),
      );
      await Promise.all(connections.map(ready));
      await stores[0]!.put('state-x', 'the-transaction', 60_000);
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => stores[i % 4]!.take('state-x')));
      expect(results.filter((r) => r !== null)).to.deep.equal(['the-transaction']);
    });

    it('a value moved to another key reads as absent (sealed to its key)', async () => {
      const c = connect();
      await ready(c);
      const store = new RedisOneTimeStore<string>(c, new CacheCipher([key1]), 'tx', createLogger('silent'));
      await store.put('a', 'secret-a', 60_000);
      await inspector.copy(c.key('tx:a'), c.key('tx:b'));
      expect(await store.take('b')).to.equal(null);
      expect(await store.take('a')).to.equal('secret-a');
    });
  });

  describe('RedisTokenCacheStore', () => {
    const blobFor = (who: string) =>
      JSON.stringify({
        Account: { [who]: { home_account_id: who } },
        RefreshToken: { rt: { secret: `refresh-${who}` } },
      });

    it('stores one sealed key per homeAccountId with the configured TTL; delete leaves nothing behind', async () => {
      const c = connect();
      await ready(c);
      const store = new RedisTokenCacheStore(c, new CacheCipher([key1]), {
        ttlMs: 3_600_000,
        log: createLogger('silent'),
      });
      await store.set('oid-a.tid', blobFor('oid-a.tid'));
      expect(await store.get('oid-a.tid')).to.equal(blobFor('oid-a.tid'));
      const raw = (await inspector.getBuffer(c.key('tc:oid-a.tid')))!;
      expect(raw.toString('latin1')).not.to.contain('refresh-oid-a').and.not.to.contain('home_account_id');
      expect(await inspector.pttl(c.key('tc:oid-a.tid'))).to.be.within(3_590_000, 3_600_000);
      await store.delete('oid-a.tid');
      expect(await inspector.exists(c.key('tc:oid-a.tid'))).to.equal(0);
      expect(await store.get('oid-a.tid')).to.equal(null);
    });

    it('a partition written before generations existed keeps working: a refresh is stored and starts one; sign-out still refuses a refresh that read it before', async () => {
      const c = connect();
      await ready(c);
      const store = new RedisTokenCacheStore(c, new CacheCipher([key1]), {
        ttlMs: 60_000,
        log: createLogger('silent'),
      });
      const generationKey = (p: string) => c.keyspace.companions(`tc:${p}`, 'tcg')[0]!;
      for (const p of ['oid-l1.tid', 'oid-l2.tid']) {
        await store.set(p, blobFor(p));
        await inspector.del(generationKey(p)); // as an older release left it: the sealed blob alone
      }
      const before = await store.read('oid-l1.tid');
      expect(before.blob).to.equal(blobFor('oid-l1.tid'));
      expect(before.generation.id).to.equal('');
      expect(await store.setIfCurrent('oid-l1.tid', blobFor('oid-l1.tid'), before.generation)).to.equal(true);
      expect(await inspector.get(generationKey('oid-l1.tid'))).to.match(/^live:/);
      expect(await inspector.pttl(generationKey('oid-l1.tid'))).to.be.within(59_000, 60_000);

      const stale = await store.read('oid-l2.tid');
      await store.delete('oid-l2.tid');
      expect(await store.setIfCurrent('oid-l2.tid', blobFor('oid-l2.tid'), stale.generation)).to.equal(false);
      expect(await inspector.exists(c.key('tc:oid-l2.tid'))).to.equal(0);
      expect(await inspector.get(generationKey('oid-l2.tid'))).to.match(/^ended:/);
    });

    it('treats a tampered blob as empty and warns without content', async () => {
      const c = connect();
      await ready(c);
      const { lines, log } = capturingLogger();
      const store = new RedisTokenCacheStore(c, new CacheCipher([key1]), { ttlMs: 60_000, log });
      await store.set('oid-t.tid', blobFor('oid-t.tid'));
      const raw = (await inspector.getBuffer(c.key('tc:oid-t.tid')))!;
      raw[raw.length - 20]! ^= 0xff;
      await inspector.set(c.key('tc:oid-t.tid'), raw);
      expect(await store.get('oid-t.tid')).to.equal(null);
      expect(lines).to.have.length(1);
      expect(JSON.parse(lines[0]!)).to.include({ reason: 'not_authentic' });
      expect(lines[0]).not.to.contain('refresh-').and.not.to.contain('oid-t');
    });

    it("never serves one user's blob from another user's partition (copied blob → empty)", async () => {
      const c = connect();
      await ready(c);
      const store = new RedisTokenCacheStore(c, new CacheCipher([key1]), {
        ttlMs: 60_000,
        log: createLogger('silent'),
      });
      await store.set('oid-bob.tid', blobFor('oid-bob.tid'));
      await inspector.copy(c.key('tc:oid-bob.tid'), c.key('tc:oid-alice.tid'), 'REPLACE');
      expect(await store.get('oid-alice.tid')).to.equal(null);
    });

    it('treats a plaintext (unsealed) value as empty', async () => {
      const c = connect();
      await ready(c);
      const store = new RedisTokenCacheStore(c, new CacheCipher([key1]), {
        ttlMs: 60_000,
        log: createLogger('silent'),
      });
      await inspector.set(c.key('tc:oid-p.tid'), blobFor('oid-p.tid'));
      expect(await store.get('oid-p.tid')).to.equal(null);
    });

    it('rotation: a blob written with the old key is readable after a new first key is added; new writes use the new key', async () => {
      const c1 = connect(1_000, [key1]);
      const c21 = connect(1_000, [key2, key1]);
      const c2 = connect(1_000, [key2]);
      await Promise.all([c1, c21, c2].map(ready));
      const log = createLogger('silent');
      const before = new RedisTokenCacheStore(c1, new CacheCipher([key1]), { ttlMs: 60_000, log });
      await before.set('oid-r.tid', blobFor('v1'));
      const rotatedCipher = new CacheCipher([key2, key1]);
      const rotated = new RedisTokenCacheStore(c21, rotatedCipher, { ttlMs: 60_000, log });
      expect(await rotated.get('oid-r.tid')).to.equal(blobFor('v1'));
      await rotated.set('oid-r.tid', blobFor('v2'));
      // Written under the new key's name, sealed with the new key; the old name's stale copy is gone.
      expect(c21.key('tc:oid-r.tid')).to.equal(c2.key('tc:oid-r.tid')).and.not.equal(c1.key('tc:oid-r.tid'));
      expect(CacheCipher.keyIdOf((await inspector.getBuffer(c2.key('tc:oid-r.tid')))!)).to.equal(
        rotatedCipher.currentKeyId,
      );
      expect(await inspector.exists(c1.key('tc:oid-r.tid'))).to.equal(0);
      const newOnly = new RedisTokenCacheStore(c2, new CacheCipher([key2]), { ttlMs: 60_000, log });
      expect(await newOnly.get('oid-r.tid')).to.equal(blobFor('v2'));
      expect(await before.get('oid-r.tid')).to.equal(null);
    });
  });

  describe('RedisSessionStore', () => {
    const HOUR = 3_600_000;

    it('round-trips a session with TTL = the idle lifetime, sealed at rest', async () => {
      const c = connect();
      await ready(c);
      const store = new RedisSessionStore(c, new CacheCipher([key1]), {
        absoluteTimeoutMs: 8 * HOUR,
        log: createLogger('silent'),
      });
      const session = {
        user: { homeAccountId: 'oid-s.tid', username: 'alice@contoso.example' },
        createdAt: Date.now(),
        spaCodeRef: 'ref-123',
      };
      await store.set('sid-1', session, 30 * 60_000);
      expect(await store.get('sid-1')).to.deep.equal(session);
      const raw = (await inspector.getBuffer(c.key('sess:sid-1')))!;
      expect(raw.toString('latin1')).not.to.contain('alice@contoso').and.not.to.contain('ref-123');
      expect(await inspector.pttl(c.key('sess:sid-1'))).to.be.within(29 * 60_000, 30 * 60_000);
      await store.destroy('sid-1');
      expect(await inspector.exists(c.key('sess:sid-1'))).to.equal(0);
    });

    it('never sets a TTL past the absolute end, and reads a session past it as absent (and deletes it)', async () => {
      const c = connect();
      await ready(c);
      let now = Date.now();
      const store = new RedisSessionStore(c, new CacheCipher([key1]), {
        absoluteTimeoutMs: 8 * HOUR,
        log: createLogger('silent'),
        now: () => now,
      });
      const createdAt = now - 8 * HOUR + 10 * 60_000; // 10 minutes left
      await store.set('sid-2', { createdAt }, 30 * 60_000);
      expect(await inspector.pttl(c.key('sess:sid-2'))).to.be.within(9 * 60_000, 10 * 60_000);
      expect(await store.get('sid-2')).to.deep.equal({ createdAt });
      now += 11 * 60_000; // Redis still holds it (we moved the clock, not Redis): the store must refuse it anyway
      await inspector.pexpire(c.key('sess:sid-2'), 60_000);
      expect(await store.get('sid-2')).to.equal(null);
      expect(await inspector.exists(c.key('sess:sid-2'))).to.equal(0);
      await store.set('sid-2', { createdAt }, 30 * 60_000);
      expect(await inspector.exists(c.key('sess:sid-2'))).to.equal(0);
    });

    it('keeps the first-write time of a session without createdAt across later writes on the same request', async () => {
      const c = connect();
      await ready(c);
      let now = Date.now();
      const store = new RedisSessionStore(c, new CacheCipher([key1]), {
        absoluteTimeoutMs: HOUR,
        log: createLogger('silent'),
        now: () => now,
      });
      await store.set('sid-3', { anonymous: true }, 30 * 60_000);
      now += 50 * 60_000;
      const ctx = {};
      await store.get('sid-3', 30 * 60_000, { ctx });
      await store.set('sid-3', { anonymous: true, n: 2 }, 30 * 60_000, { ctx });
      expect(await inspector.pttl(c.key('sess:sid-3'))).to.be.within(9 * 60_000, 10 * 60_000);
    });

    it('reads an altered session as absent', async () => {
      const c = connect();
      await ready(c);
      const store = new RedisSessionStore(c, new CacheCipher([key1]), {
        absoluteTimeoutMs: HOUR,
        log: createLogger('silent'),
      });
      await store.set('sid-4', { createdAt: Date.now(), user: { homeAccountId: 'x' } }, 60_000);
      await inspector.copy(c.key('sess:sid-4'), c.key('sess:sid-5'));
      expect(await store.get('sid-5')).to.equal(null);
    });
  });

  describe('connection failures', () => {
    it('answers StoreUnavailableError at once when Redis is not running (no hang, no offline queue)', async () => {
      const port = await freePort();
      const c = createRedisConnection(
        redisStoreConfig(`redis://127.0.0.1:${port}`, { keyPrefix: prefix, commandTimeoutMs: 500 }),
        createLogger('silent'),
        { storeKeys: [key1] },
      );
      connections.push(c);
      const store = new RedisTokenCacheStore(c, new CacheCipher([key1]), {
        ttlMs: 60_000,
        log: createLogger('silent'),
      });
      const started = Date.now();
      const err = await store.get('anyone').catch((e: unknown) => e);
      expect(err).to.be.instanceOf(StoreUnavailableError);
      expect((err as StoreUnavailableError).headers).to.have.property('Retry-After');
      expect(Date.now() - started).to.be.below(200);
      await c.ping().then(
        () => expect.fail('ping should fail'),
        (e: unknown) => expect(e).to.be.instanceOf(StoreUnavailableError),
      );
      await c.close();
      expect(c.redis.status).to.equal('end');
    });

    it('never passes command arguments (values) into the error it raises', async () => {
      const c = connect();
      await ready(c);
      await inspector.rpush(`${prefix}list`, 'x');
      const err = (await c
        .run('set on a list', (r) => r.incrby(`${prefix}list`, 1))
        .catch((e: unknown) => e)) as StoreUnavailableError;
      expect(err).to.be.instanceOf(StoreUnavailableError);
      const cause = err.cause as Record<string, unknown>;
      expect(cause).not.to.have.property('command');
      expect(String(cause.message)).to.match(/WRONGTYPE/);
    });

    it('reconnect backoff grows and is capped near 2 s', () => {
      expect(reconnectDelay(1)).to.be.within(80, 120);
      expect(reconnectDelay(3)).to.be.within(320, 480);
      expect(reconnectDelay(30)).to.be.within(1_600, 2_400);
    });
  });
});
