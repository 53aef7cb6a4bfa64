// Sign-out while a token refresh is running: the refresh must not write the user's partition back (memory and Redis).
// Deterministic: the token endpoint holds its answer until the test has signed the user out, then releases it.
import { expect } from 'chai';
import type { Redis } from 'ioredis';
import type { Config } from '../../../config/types';
import type { SessionUser } from '../../../bff/session/sessionAccess';
import { createRedisStores } from '../../../bff/store/redisStores';
import type { Stores } from '../../../bff/store/stores';
import { ALICE, INSTANCE, TENANT_ID, homeAccountIdOf, tokenResponse, type TestUser } from '../../helpers/entraFixtures';
import {
  deleteKeysWithPrefix,
  keysWithPrefix,
  openInspector,
  redisKey,
  redisTestConfig,
  requireRedis,
  uniqueKeyPrefix,
} from '../../helpers/redis';
import { buildTestApp, getBootstrap, mockMetadata, signIn, type TestApp } from '../../helpers/testApp';
import { tokenEndpoint } from '../../helpers/tokenEndpoint';

type Agent = ReturnType<TestApp['agent']>;

/** The session user the BFF builds from ALICE's sign-in (what tokenService.acquire is called with). */
function sessionUserOf(user: TestUser): SessionUser {
  return {
    homeAccountId: homeAccountIdOf(user),
    localAccountId: user.oid,
    environment: 'login.windows.net',
    tenantId: user.tid,
    username: user.username,
    name: user.name,
    loginHint: null,
    sid: user.sid,
  };
}

/** A refresh-token grant whose answer waits until `release()`; `requested` settles once the BFF has sent it. */
function heldRefresh(user: TestUser, refreshToken: string) {
  let arrived!: () => void;
  let release!: () => void;
  const requested = new Promise<void>((resolve) => (arrived = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const scope = tokenEndpoint('refresh_token').interceptor.reply(async () => {
    arrived();
    await released;
    return [200, tokenResponse(user, { nonce: null, spaCode: null, refreshToken })];
  });
  return { requested, release, scope };
}

/**
 * Starts a forced refresh of ALICE's Mail.Read token whose answer Entra holds (answering with `refreshToken` once
 * released); resolves once the refresh has read the partition and is waiting for Entra.
 */
async function refreshHeldAtEntra(app: TestApp, refreshToken: string) {
  const held = heldRefresh(ALICE, refreshToken);
  const refreshing = app.services.tokenService.acquire(sessionUserOf(ALICE), ['Mail.Read'], { forceRefresh: true });
  await held.requested;
  return { held, refreshing };
}

/** The refresh token secrets in a serialized MSAL cache (none when the partition is absent). */
function refreshTokensIn(blob: string | null): string[] {
  if (!blob) return [];
  const parsed = JSON.parse(blob) as { RefreshToken?: Record<string, { secret: string }> };
  return Object.values(parsed.RefreshToken ?? {}).map((t) => t.secret);
}

async function signOut(agent: Agent): Promise<void> {
  const { routes } = await getBootstrap(agent);
  expect(routes.signOut, 'a signed-in bootstrap carries the sign-out link').to.be.a('string');
  await agent.get(routes.signOut!).expect(302);
  await agent.get('/api/me').set('X-CSRF', '1').expect(401);
}

interface Backend {
  name: string;
  /** Builds an app on this backend; Redis apps are closed by the suite. */
  app(): Promise<TestApp>;
  /** Asserts that nothing of the user's partition is left in the backend beyond its short-lived ended marker. */
  expectNoPartition(app: TestApp, user: TestUser): Promise<void>;
}

const memory: Backend = {
  name: 'memory store',
  app: async () => buildTestApp(),
  async expectNoPartition(app, user) {
    expect(await app.services.stores.tokenCache.get(homeAccountIdOf(user))).to.equal(null);
    expect((app.services.stores.tokenCache as unknown as { size: number }).size, 'partitions held').to.equal(0);
  },
};

function redisBackend(): Backend & { setUp(ctx: Mocha.Context): Promise<void>; tearDown(): Promise<void> } {
  const prefix = uniqueKeyPrefix();
  const config: Readonly<Config> = redisTestConfig(prefix);
  const opened: Stores[] = [];
  let inspector: Redis | null = null;
  return {
    name: 'Redis store',
    async setUp(ctx) {
      await requireRedis(ctx);
      inspector = openInspector();
    },
    async tearDown() {
      await Promise.all(opened.map((s) => s.close()));
      if (!inspector) return;
      await deleteKeysWithPrefix(inspector, prefix);
      inspector.disconnect();
    },
    async app() {
      const stores = await createRedisStores(config);
      opened.push(stores);
      await deleteKeysWithPrefix(inspector!, prefix); // each test starts from an empty keyspace
      return buildTestApp({ config, stores });
    },
    async expectNoPartition(app, user) {
      expect(await app.services.stores.tokenCache.get(homeAccountIdOf(user))).to.equal(null);
      const partition = redisKey(config, `tc:${homeAccountIdOf(user)}`);
      expect(await inspector!.exists(partition), 'the sealed partition key').to.equal(0);
      // Nothing else of the user's stays but, briefly, the ended marker next to it (no generation a write could match).
      const tag = partition.slice(partition.indexOf('{'));
      const userKeys = (await keysWithPrefix(inspector!, prefix)).filter((k) => k.endsWith(tag));
      const marker = `${prefix}tcg:${tag}`;
      expect(userKeys.filter((k) => k !== marker)).to.deep.equal([]);
      if (userKeys.includes(marker)) {
        expect(await inspector!.get(marker)).to.match(/^ended:[A-Za-z0-9_-]{22}$/);
        expect(await inspector!.pttl(marker)).to.be.within(1, 10 * 60_000);
      }
    },
  };
}

const redis = redisBackend();

for (const backend of [memory, redis]) {
  describe(`sign-out while a token refresh is running (${backend.name})`, () => {
    if (backend === redis) {
      before(async function () {
        await redis.setUp(this);
      });
      after(() => redis.tearDown());
    }
    beforeEach(() => mockMetadata());

    it('a refresh answered after sign-out does not write the partition back; the request that asked still gets its token', async () => {
      const app = await backend.app();
      const alice = app.agent();
      await signIn(alice, ALICE);
      const { held, refreshing } = await refreshHeldAtEntra(app, 'rt-from-the-refresh'); // the refresh read the partition and is waiting for Entra
      await signOut(alice);
      await backend.expectNoPartition(app, ALICE);
      held.release();
      expect((await refreshing).accessToken).to.be.a('string');
      held.scope.done();
      await backend.expectNoPartition(app, ALICE);
    });

    it('the same holds for front-channel logout (sign-out elsewhere) arriving during the refresh', async () => {
      const app = await backend.app();
      const alice = app.agent();
      await signIn(alice, ALICE);
      const { held, refreshing } = await refreshHeldAtEntra(app, 'rt-from-the-refresh');
      await app
        .agent()
        .get(`/auth/frontchannel-logout?sid=${ALICE.sid}&iss=${encodeURIComponent(`${INSTANCE}/${TENANT_ID}/v2.0`)}`)
        .expect(200);
      await alice.get('/api/me').set('X-CSRF', '1').expect(401);
      held.release();
      await refreshing;
      await backend.expectNoPartition(app, ALICE);
    });

    it('a fresh sign-in right after sign-out writes its cache and serves it at once, and its own refreshes are kept', async () => {
      const app = await backend.app();
      const first = app.agent();
      await signIn(first, ALICE);
      await signOut(first);
      await backend.expectNoPartition(app, ALICE);

      const again = app.agent();
      await signIn(again, ALICE);
      await again.get('/api/me').set('X-CSRF', '1').expect(200);
      const hid = homeAccountIdOf(ALICE);
      const signedIn = await app.services.stores.tokenCache.get(hid);
      expect(refreshTokensIn(signedIn)).to.have.length(1);
      // Served from the partition the sign-in wrote: no token request (nock would fail an unexpected one).
      const cached = await app.services.tokenService.acquire(sessionUserOf(ALICE), ['Mail.Read']);
      expect(signedIn).to.contain(cached.accessToken);
      // A refresh of the new session is a write in the sign-in's generation: stored.
      const refresh = tokenEndpoint('refresh_token').interceptor.reply(
        200,
        tokenResponse(ALICE, { nonce: null, spaCode: null, refreshToken: 'rt-after-sign-in-again' }),
      );
      await app.services.tokenService.acquire(sessionUserOf(ALICE), ['Mail.Read'], { forceRefresh: true });
      refresh.done();
      expect(refreshTokensIn(await app.services.stores.tokenCache.get(hid))).to.deep.equal(['rt-after-sign-in-again']);
    });

    it('a refresh that straddles a sign-out and a new sign-in leaves the new sign-in’s tokens, not its own', async () => {
      const app = await backend.app();
      const first = app.agent();
      await signIn(first, ALICE);
      const { held, refreshing } = await refreshHeldAtEntra(app, 'rt-from-the-signed-out-session');
      await signOut(first);
      const again = app.agent();
      await signIn(again, ALICE);
      const hid = homeAccountIdOf(ALICE);
      const fresh = refreshTokensIn(await app.services.stores.tokenCache.get(hid));
      expect(fresh).to.have.length(1);
      held.release();
      await refreshing;
      expect(refreshTokensIn(await app.services.stores.tokenCache.get(hid))).to.deep.equal(fresh);
      await again.get('/api/me').set('X-CSRF', '1').expect(200);
    });
  });
}
