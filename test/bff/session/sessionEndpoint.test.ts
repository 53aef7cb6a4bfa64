// GET /api/session: what it answers, and that reading it never extends the session (memory and Redis stores).
import { expect } from 'chai';
import fc from 'fast-check';
import type { Redis } from 'ioredis';
import type { Stores } from '../../../bff/services';
import type { SessionStore } from '../../../bff/session/sessionStore';
import { createMemoryStores } from '../../../bff/store/memoryStores';
import { createRedisStores } from '../../../bff/store/redisStores';
import type { SessionResponse } from '../../../shared-types/api';
import { ALICE, homeAccountIdOf } from '../../helpers/entraFixtures';
import {
  deleteKeysWithPrefix,
  openInspector,
  redisKey,
  redisTestConfig,
  requireRedis,
  uniqueKeyPrefix,
} from '../../helpers/redis';
import { buildTestApp, getBootstrap, mockMetadata, signIn, testConfig } from '../../helpers/testApp';

const IDLE_MS = 60 * 60_000;

/** Wraps the session store and records every write, so a test can tell whether a request extended the session. */
class RecordingSessionStore implements SessionStore {
  readonly writes: Array<{ key: string; maxAge: number }> = [];
  constructor(private readonly inner: SessionStore) {}
  get(key: string, maxAge?: number, options?: { rolling?: boolean; ctx?: unknown }) {
    return this.inner.get(key, maxAge, options);
  }
  async set(
    key: string,
    session: Record<string, unknown>,
    maxAge: number,
    options?: { changed?: boolean; rolling?: boolean; ctx?: unknown },
  ) {
    this.writes.push({ key, maxAge });
    await this.inner.set(key, session, maxAge, options);
  }
  destroy(key: string, options?: { ctx?: unknown }) {
    return this.inner.destroy(key, options);
  }
}

/** Moves the stored idle expiry so that only `remainingMs` is left (what koa-session's `renew` rule reads). */
async function leaveOnly(store: SessionStore, key: string, remainingMs: number): Promise<void> {
  const data = (await store.get(key))!;
  await store.set(key, { ...data, _expire: Date.now() + remainingMs }, IDLE_MS);
}

for (const backend of ['memory', 'redis'] as const) {
  describe(`GET /api/session (${backend} store)`, () => {
    const prefix = uniqueKeyPrefix();
    let inspector: Redis | null = null;
    const opened: Stores[] = [];

    before(async function () {
      if (backend === 'redis') {
        await requireRedis(this);
        inspector = openInspector();
      }
    });
    after(async () => {
      for (const s of opened) await s.close();
      if (inspector) {
        await deleteKeysWithPrefix(inspector, prefix);
        inspector.disconnect();
      }
    });
    beforeEach(() => mockMetadata());

    async function setUp() {
      const config = backend === 'redis' ? redisTestConfig(prefix) : testConfig();
      const base = backend === 'redis' ? await createRedisStores(config) : createMemoryStores(config);
      opened.push(base);
      const sessions = new RecordingSessionStore(base.sessions);
      const app = buildTestApp({ config, stores: { ...base, sessions } });
      const agent = app.agent();
      await signIn(agent, ALICE);
      const key = sessions.writes.at(-1)!.key;
      const session = (path: string) => agent.get(path).set('X-CSRF', '1').set('Accept', 'application/json');
      return { app, agent, sessions, key, session };
    }

    it('answers signed-in state, account id, both expiries and the sign-out URL, and no tokens', async () => {
      const { agent, session } = await setUp();
      const bootstrap = await getBootstrap(agent);
      const res = await session('/api/session').expect(200);
      const body = res.body as SessionResponse;
      expect(body.signedIn).to.equal(true);
      expect(body.accountId).to.equal(homeAccountIdOf(ALICE));
      expect(body.idleExpiresInSeconds).to.be.within(IDLE_MS / 1000 - 5, IDLE_MS / 1000);
      expect(body.absoluteExpiresInSeconds).to.be.within(12 * 3600 - 5, 12 * 3600);
      expect(body.signOutUrl).to.equal(bootstrap.routes.signOut);
      expect(Object.keys(body).sort()).to.deep.equal([
        'absoluteExpiresInSeconds',
        'accountId',
        'idleExpiresInSeconds',
        'signOutUrl',
        'signedIn',
      ]);
      expect(JSON.stringify(body)).not.to.match(/at-|rt-|spa-|eyJ/);
      expect(res.headers['cache-control']).to.equal('no-store');
    });

    it('answers signedIn: false (200, no cookie set) without a session, and 400 for a bad slide value', async () => {
      const { app } = await setUp();
      const stranger = app.agent();
      const res = await stranger.get('/api/session').set('X-CSRF', '1').expect(200);
      expect(res.body).to.deep.equal({
        signedIn: false,
        accountId: null,
        idleExpiresInSeconds: null,
        absoluteExpiresInSeconds: null,
        signOutUrl: null,
      });
      expect(res.headers['set-cookie']).to.equal(undefined);
      const bad = await stranger.get('/api/session?slide=yes').set('X-CSRF', '1').expect(400);
      expect(bad.body.error).to.equal('invalid_slide');
      await stranger.get('/api/session').expect(403); // the CSRF header is required like on every /api route
    });

    it('never extends the session, however little idle time is left and however often it is polled; slide=true does', async () => {
      const { sessions, key, session } = await setUp();
      await fc.assert(
        fc.asyncProperty(
          fc.double({ min: 0.02, max: 0.98, noNaN: true }),
          fc.integer({ min: 1, max: 5 }),
          async (fraction, polls) => {
            const remaining = Math.round(IDLE_MS * fraction);
            await leaveOnly(sessions, key, remaining);
            const pttlBefore = inspector
              ? await inspector.pttl(redisKey(redisTestConfig(prefix), `sess:${key}`))
              : null;
            const writesBefore = sessions.writes.length;
            for (let i = 0; i < polls; i++) {
              const res = await session('/api/session').expect(200);
              expect(res.headers['set-cookie'], 'Set-Cookie on a plain read').to.equal(undefined);
              expect(res.body.idleExpiresInSeconds).to.be.within(
                Math.floor(remaining / 1000) - 5,
                Math.ceil(remaining / 1000),
              );
            }
            expect(sessions.writes.length - writesBefore, 'store writes by plain reads').to.equal(0);
            if (inspector)
              expect(await inspector.pttl(redisKey(redisTestConfig(prefix), `sess:${key}`)), 'Redis TTL').to.be.at.most(
                pttlBefore!,
              );
          },
        ),
        { numRuns: 15 },
      );

      // Control: ordinary activity with less than half left renews (koa-session's renew), and so does slide=true.
      await leaveOnly(sessions, key, IDLE_MS * 0.3);
      let writes = sessions.writes.length;
      await session('/api/me').expect(200);
      expect(sessions.writes.length - writes, 'activity renews').to.equal(1);
      await leaveOnly(sessions, key, IDLE_MS * 0.9);
      writes = sessions.writes.length;
      const slid = await session('/api/session?slide=true').expect(200);
      expect(sessions.writes.length - writes, 'slide=true renews').to.equal(1);
      expect(slid.headers['set-cookie'], 'Set-Cookie after slide=true').to.be.an('array');
      expect(slid.body.idleExpiresInSeconds).to.be.within(IDLE_MS / 1000 - 5, IDLE_MS / 1000);
      if (inspector)
        expect(await inspector.pttl(redisKey(redisTestConfig(prefix), `sess:${key}`))).to.be.greaterThan(
          IDLE_MS * 0.95,
        );
    });

    it('a session that ended at idle expiry answers signedIn: false; polling did not keep it alive', async () => {
      const { sessions, key, session } = await setUp();
      await leaveOnly(sessions, key, 300);
      for (let i = 0; i < 3; i++) await session('/api/session').expect(200);
      await new Promise((r) => setTimeout(r, 400));
      const res = await session('/api/session').expect(200);
      expect(res.body.signedIn).to.equal(false);
      await session('/api/me').expect(401);
    });
  });
}
