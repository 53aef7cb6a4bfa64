// Partition generations (generation.ts) on both token-cache stores: the contract, then generated interleavings of token
// acquisitions, sign-outs and sign-ins (fast-check's scheduler) against the invariant sign-out promises.
import { expect } from 'chai';
import fc from 'fast-check';
import type { Redis } from 'ioredis';
import { createLogger } from '../../../bff/http/logger';
import { createRedisConnection, type RedisConnection } from '../../../bff/store/redisClient';
import { CacheCipher } from '../../../bff/tokenCache/cacheEncryption';
import { MAX_UNANCHORED_WRITE_AGE_MS } from '../../../bff/tokenCache/generation';
import { StoreCacheClient } from '../../../bff/tokenCache/partition';
import { RedisTokenCacheStore } from '../../../bff/tokenCache/redisTokenCacheStore';
import { MemoryTokenCacheStore, type TokenCacheStore } from '../../../bff/tokenCache/tokenCacheStore';
import {
  TEST_REDIS_URL,
  deleteKeysWithPrefix,
  openInspector,
  redisStoreConfig,
  requireRedis,
  uniqueKeyPrefix,
} from '../../helpers/redis';
import { randomBytes } from 'node:crypto';

/** A serialized MSAL cache for `partition` whose refresh token is `label` (what the assertions look for). */
function blob(partition: string, label: string): string {
  return JSON.stringify({
    Account: { [partition]: { home_account_id: partition } },
    RefreshToken: { rt: { secret: label } },
  });
}

function labelOf(serialized: string | null): string | null {
  if (serialized === null) return null;
  return (JSON.parse(serialized) as { RefreshToken: { rt: { secret: string } } }).RefreshToken.rt.secret;
}

interface StoreUnderTest {
  name: string;
  /** A store on a clock the test moves (`clock.now`). */
  make(clock: { now: number }): TokenCacheStore;
  runs: number;
}

const memory: StoreUnderTest = {
  name: 'memory',
  make: (clock) => new MemoryTokenCacheStore({ ttlMs: 3_600_000, maxEntries: 1_000, now: () => clock.now }),
  runs: 300,
};

function redisUnderTest(): StoreUnderTest & { setUp(ctx: Mocha.Context): Promise<void>; tearDown(): Promise<void> } {
  const prefix = uniqueKeyPrefix();
  const cipher = new CacheCipher([randomBytes(32)]);
  let connection: RedisConnection | null = null;
  let inspector: Redis | null = null;
  return {
    name: 'Redis',
    runs: 60,
    async setUp(ctx) {
      await requireRedis(ctx);
      inspector = openInspector();
      connection = createRedisConnection(
        redisStoreConfig(TEST_REDIS_URL, { keyPrefix: prefix }),
        createLogger('silent'),
        {
          storeKeys: [randomBytes(32)],
        },
      );
      expect(await connection.waitUntilReady(2_000)).to.equal(true);
    },
    async tearDown() {
      await connection?.close();
      if (!inspector) return;
      await deleteKeysWithPrefix(inspector, prefix);
      inspector.disconnect();
    },
    make: (clock) =>
      new RedisTokenCacheStore(connection!, cipher, {
        ttlMs: 3_600_000,
        log: createLogger('silent'),
        now: () => clock.now,
      }),
  };
}

/**
 * The only points where tasks yield to the scheduler. It lets one task through only when every unfinished task waits at
 * one (store I/O in between is awaited first), so a seed replays the same interleaving on Redis too.
 */
class Gate {
  #waiting = 0;
  #running = 0;

  constructor(private readonly scheduler: fc.Scheduler) {}

  async pass(label: string): Promise<void> {
    this.#waiting++;
    try {
      await this.scheduler.schedule(Promise.resolve(), label);
    } finally {
      this.#waiting--;
    }
  }

  async drive(tasks: Promise<void>[]): Promise<void> {
    this.#running = tasks.length;
    const all = Promise.all(tasks.map((t) => t.finally(() => this.#running--)));
    for (;;) {
      // A macrotask first: whatever the last release let run has reached its next gate, its I/O, or its end.
      do await new Promise((resolve) => setImmediate(resolve));
      while (this.#waiting < this.#running);
      if (this.#running === 0) break;
      await this.scheduler.waitNext(1);
    }
    await all;
  }
}

const redis = redisUnderTest();
let partitions = 0;
/** A partition key no other test (or fast-check run) has used. */
const freshPartition = () => `oid-${++partitions}-${randomBytes(4).toString('hex')}.tid`;

for (const target of [memory, redis]) {
  describe(`token cache generations (${target.name} store)`, () => {
    if (target === redis) {
      before(async function () {
        await redis.setUp(this);
      });
      after(() => redis.tearDown());
    }

    it('a write based on a read from before sign-out is refused and the partition stays absent', async () => {
      const store = target.make({ now: 0 });
      const p = freshPartition();
      await store.set(p, blob(p, 'signed-in'));
      const { generation } = await store.read(p);
      await store.delete(p);
      expect(await store.setIfCurrent(p, blob(p, 'refreshed'), generation)).to.equal(false);
      expect(await store.get(p)).to.equal(null);
    });

    it('writes in the same generation are all kept (concurrent refreshes, last one wins), across sign-ins of the partition', async () => {
      const store = target.make({ now: 0 });
      const p = freshPartition();
      await store.set(p, blob(p, 'signed-in'));
      const [a, b] = await Promise.all([store.read(p), store.read(p)]);
      expect(await store.setIfCurrent(p, blob(p, 'refresh-a'), a.generation)).to.equal(true);
      expect(await store.setIfCurrent(p, blob(p, 'refresh-b'), b.generation)).to.equal(true);
      expect(labelOf(await store.get(p))).to.equal('refresh-b');
      const later = await store.read(p);
      expect(later.generation.id).to.equal(a.generation.id);
      expect(await store.setIfCurrent(p, blob(p, 'refresh-c'), later.generation)).to.equal(true);
    });

    it('a sign-in after sign-out writes at once; a write that read before that sign-in is refused, one that read after is kept', async () => {
      const store = target.make({ now: 0 });
      const p = freshPartition();
      await store.set(p, blob(p, 'first session'));
      const stale = await store.read(p);
      await store.delete(p);
      await store.set(p, blob(p, 'signed in again'));
      expect(labelOf(await store.get(p))).to.equal('signed in again');
      expect(await store.setIfCurrent(p, blob(p, 'stale refresh'), stale.generation)).to.equal(false);
      expect(labelOf(await store.get(p))).to.equal('signed in again');
      const current = await store.read(p);
      expect(current.generation.id).not.to.equal(stale.generation.id);
      expect(await store.setIfCurrent(p, blob(p, 'new session refresh'), current.generation)).to.equal(true);
      expect(labelOf(await store.get(p))).to.equal('new session refresh');
    });

    it('a sign-in also supersedes a live generation (another browser signing in): earlier reads can no longer write', async () => {
      const store = target.make({ now: 0 });
      const p = freshPartition();
      await store.set(p, blob(p, 'browser 1'));
      const browser1 = await store.read(p);
      await store.set(p, blob(p, 'browser 2'));
      expect(await store.setIfCurrent(p, blob(p, 'browser 1 refresh'), browser1.generation)).to.equal(false);
      expect(labelOf(await store.get(p))).to.equal('browser 2');
    });

    it('a write that read no partition (expired, or stored before generations) starts one, unless a sign-out came in between or it is too old', async () => {
      const clock = { now: 1_000_000 };
      const store = target.make(clock);
      const p = freshPartition();
      const none = await store.read(p);
      expect(none).to.deep.include({ blob: null });
      expect(none.generation.id).to.equal('');
      expect(await store.setIfCurrent(p, blob(p, 'consent'), none.generation)).to.equal(true);
      const started = await store.read(p);
      expect(started.generation.id).to.match(/^live:/);
      expect(labelOf(started.blob)).to.equal('consent');

      const q = freshPartition();
      const before = await store.read(q);
      await store.delete(q); // a sign-out of a user whose partition had already expired
      expect(await store.setIfCurrent(q, blob(q, 'late'), before.generation)).to.equal(false);
      expect(await store.get(q)).to.equal(null);
      // After the sign-out, a read sees the ended marker; a write from that read may start the next generation...
      const afterSignOut = await store.read(q);
      expect(afterSignOut.generation.id).to.match(/^ended:/);
      // ...but only while the marker can still vouch for it.
      clock.now += MAX_UNANCHORED_WRITE_AGE_MS + 1;
      expect(await store.setIfCurrent(q, blob(q, 'too late'), afterSignOut.generation)).to.equal(false);
      expect(await store.get(q)).to.equal(null);
      const fresh = await store.read(q);
      expect(await store.setIfCurrent(q, blob(q, 'in time'), fresh.generation)).to.equal(true);
      // A live generation needs no marker: a write that read it may come any time later.
      const live = await store.read(q);
      clock.now += 10 * MAX_UNANCHORED_WRITE_AGE_MS;
      expect(await store.setIfCurrent(q, blob(q, 'slow refresh'), live.generation)).to.equal(true);
    });

    it('StoreCacheClient writes against the generation of its first read, not of MSAL’s re-read just before the write', async () => {
      const store = target.make({ now: 0 });
      const p = freshPartition();
      await store.set(p, blob(p, 'signed-in'));
      let refused = 0;
      const client = new StoreCacheClient(store, { signIn: false, onRefused: () => refused++ });
      expect(labelOf(await client.get(p))).to.equal('signed-in'); // the acquisition starts
      await store.delete(p); // sign-out while the token request runs
      expect(await client.get(p)).to.equal(''); // MSAL reads again before writing: now the ended marker
      await client.set(p, blob(p, 'refreshed'));
      expect(refused).to.equal(1);
      expect(await store.get(p)).to.equal(null);
      // A sign-in's client reads nothing and starts a new generation.
      await new StoreCacheClient(store, { signIn: true }).set(p, blob(p, 'signed in again'));
      expect(labelOf(await store.get(p))).to.equal('signed in again');
    });

    it(`generated interleavings: after the last sign-out with no later sign-in no partition exists, and a sign-in's tokens are never overwritten by an acquisition that read before it`, async () => {
      type Step = 'acquire' | 'signout' | 'signin';
      await fc.assert(
        fc.asyncProperty(
          fc.scheduler(),
          fc.array(fc.constantFrom<Step>('acquire', 'acquire', 'signout', 'signin'), { minLength: 1, maxLength: 7 }),
          async (s, steps) => {
            const store = target.make({ now: 0 });
            const p = freshPartition();
            // The linearized sign-ins and sign-outs (recorded when the store confirms them; one connection keeps order).
            const events: string[] = [];
            await new StoreCacheClient(store, { signIn: true }).set(p, blob(p, 'signin-initial'));
            events.push('signin-initial');
            /** For each acquisition: how many sign-in/sign-out events it had seen when it first read the partition. */
            const readAfter = new Map<string, number>();
            const stored: string[] = [];
            const gate = new Gate(s);
            const tasks = steps.map(async (step, i) => {
              const label = `${step}-${i}`;
              await gate.pass(`${label} starts`);
              if (step === 'signout') {
                await store.delete(p);
                events.push(label);
              } else if (step === 'signin') {
                await new StoreCacheClient(store, { signIn: true }).set(p, blob(p, label));
                events.push(label);
              } else {
                let refused = false;
                const client = new StoreCacheClient(store, { signIn: false, onRefused: () => (refused = true) });
                const first = await client.get(p);
                readAfter.set(label, events.length);
                if (!first) return; // no refresh token: MSAL would answer interaction_required without writing
                await gate.pass(`${label} token response`);
                await client.get(p); // MSAL's re-read before it writes
                await client.set(p, blob(p, label));
                if (!refused) stored.push(label);
              }
            });
            await gate.drive(tasks);

            const final = labelOf(await store.get(p));
            const last = events.at(-1)!;
            if (last.startsWith('signout')) {
              expect(final, `partition after ${s.report().length} scheduled steps ending in ${last}`).to.equal(null);
              return;
            }
            // The last event is a sign-in: its tokens, or those of an acquisition that started after it.
            expect(final).not.to.equal(null);
            if (final !== last) expect(readAfter.get(final!), `${final} read before ${last}`).to.equal(events.length);
            // With no sign-in or sign-out racing them, every acquisition keeps what it fetched.
            if (events.length === 1) expect(stored.length).to.equal(steps.filter((step) => step === 'acquire').length);
          },
        ),
        { numRuns: target.runs },
      );
    });
  });
}
