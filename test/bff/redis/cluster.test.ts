import { expect } from 'chai';
import type { TestUser } from '../../helpers/entraFixtures';
import { mockMetadata } from '../../helpers/testApp';
import { StoreUnavailableError } from '../../../bff/http/errors';
import { redisKey, redisTestConfig, uniqueKeyPrefix } from '../../helpers/redis';
import {
  Browser,
  makeUsers,
  sessionIdOf,
  sessionUserOf,
  signInAcross,
  startInstance,
  type BffInstance,
} from './bffInstances';
import {
  admin,
  migrateSlot,
  orSkip,
  slotOwner,
  startRedisCluster,
  type RedisClusterProcesses,
} from './redisTopologies';
import { entraRotationSuite } from './entraRotation';

interface SignedIn {
  user: TestUser;
  browser: Browser;
}

describe('Redis Cluster: 3 masters + 3 replicas (real redis-server processes)', function () {
  this.timeout(60_000);
  const prefix = uniqueKeyPrefix();
  let cluster: RedisClusterProcesses | undefined;
  const instances: BffInstance[] = [];
  const signedIn: SignedIn[] = [];

  before(async function () {
    cluster = await orSkip(this, 'a Redis cluster (redis-server, redis-cli --cluster create)', startRedisCluster);
  });

  after(async () => {
    await Promise.all(instances.map((i) => i.close()));
    await cluster?.close();
  });

  beforeEach(() => mockMetadata());

  // First, while all six nodes run (the next suite kills a master).
  entraRotationSuite(() => cluster!);

  describe('two BFF instances over the cluster', () => {
    let a: BffInstance;
    let b: BffInstance;
    before(async () => {
      const config = redisTestConfig(prefix, { REDIS_MODE: 'cluster', REDIS_URL: cluster!.seedUrl });
      mockMetadata();
      a = await startInstance(config);
      mockMetadata();
      b = await startInstance(config);
      instances.push(a, b);
    });

    it('share sessions and token caches whose keys are spread over every master, each command single-slot', async () => {
      for (const [i, user] of makeUsers(12).entries()) {
        const browser = new Browser();
        const [start, finish] = i % 2 ? [a, b] : [b, a];
        mockMetadata();
        await signInAcross(browser, start, user, { finish, spaCode: null });
        signedIn.push({ user, browser });
      }
      for (const [i, { browser }] of signedIn.entries()) {
        const other = i % 2 ? a : b;
        expect((await browser.api(`${other.url}/api/me`)).status).to.equal(200);
        const token = await other.services.tokenService.acquire(await sessionUserOf(browser, other), ['Mail.Read']);
        expect(token.accessToken).to.match(/^eyJ/); // from the shared cache: no token endpoint mock is set up
      }
      const perMaster = await Promise.all((await cluster!.masters()).map((port) => admin(port, (r) => r.dbsize())));
      console.log(`      keys per master: ${perMaster.join(' / ')}`);
      expect(perMaster).to.have.length(3);
      for (const n of perMaster) expect(n).to.be.above(0);
    });

    it("a live resharding (MIGRATING/IMPORTING, MIGRATE, SETSLOT NODE) of a user's session and token-cache slots under traffic: ASK and MOVED followed, only 200/503, nothing lost", async () => {
      expect(signedIn).to.have.length.above(0);
      const config = a.services.config;
      const { browser } = signedIn[0]!;
      const user = await sessionUserOf(browser, a);
      const keys = [
        redisKey(config, `sess:${sessionIdOf(browser, config)}`),
        redisKey(config, `tc:${user.homeAccountId}`),
      ];

      // Traffic from every signed-in user on both instances, plus token-cache reads for the migrated user, until stopped.
      const statuses = new Map<string, number>();
      const others: string[] = [];
      let slowestMs = 0;
      let requests = 0;
      let stop = false;
      const count = (what: string) => statuses.set(what, (statuses.get(what) ?? 0) + 1);
      const traffic = (async () => {
        while (!stop) {
          await Promise.all([
            ...signedIn.map(async ({ browser: br }, i) => {
              const started = Date.now();
              const res = await br.api(`${(i % 2 ? a : b).url}/api/me`);
              slowestMs = Math.max(slowestMs, Date.now() - started);
              requests++;
              count(String(res.status));
              if (res.status === 503) expect(res.headers.get('retry-after')).to.match(/^\d+$/);
              else if (res.status !== 200) others.push(`${res.status} ${await res.text()}`);
            }),
            ...[a, b].map(async (inst) => {
              const started = Date.now();
              const outcome = await inst.services.tokenService.acquire(user, ['Mail.Read']).then(
                (t) => (t.accessToken.startsWith('eyJ') ? 'token' : 'no token'),
                (err: Error) =>
                  err instanceof StoreUnavailableError ? 'token 503' : `token ${err.name}: ${err.message}`,
              );
              slowestMs = Math.max(slowestMs, Date.now() - started);
              requests++;
              count(outcome);
              if (outcome !== 'token' && outcome !== 'token 503') others.push(outcome);
            }),
          ]);
          await new Promise((r) => setTimeout(r, 20));
        }
      })();

      const moves: string[] = [];
      let asking = 0;
      try {
        for (const key of keys) {
          const { slot, port: from } = await slotOwner(cluster!, key);
          const to = (await cluster!.masters()).find((p) => p !== from)!;
          asking += await migrateSlot(cluster!, { slot, from, to, pauseMs: 700 });
          moves.push(`slot ${slot} ${from} → ${to}`);
        }
        await new Promise((r) => setTimeout(r, 700)); // clients with the old slot map get MOVED meanwhile
      } finally {
        stop = true;
        await traffic;
      }

      // The new owner serves the keys (read straight from it), and every user still works on both instances.
      for (const key of keys) {
        const { port } = await slotOwner(cluster!, key);
        expect(await admin(port, (r) => r.exists(key)), `${key} on its new owner ${port}`).to.equal(1);
      }
      for (const [i, { browser: br }] of signedIn.entries()) {
        const inst = i % 2 ? b : a;
        expect((await br.api(`${inst.url}/api/me`)).status).to.equal(200);
        expect(
          (await inst.services.tokenService.acquire(await sessionUserOf(br, inst), ['Mail.Read'])).accessToken,
        ).to.match(/^eyJ/);
      }
      console.log(
        `      resharding under traffic (${moves.join(', ')}): ${requests} requests, ${[...statuses].map(([s, n]) => `${n}× ${s}`).join(', ')}; ` +
          `ASKING received by the importing masters ${asking}; slowest ${slowestMs} ms`,
      );
      expect(others, 'answers other than success or 503 during resharding').to.deep.equal([]);
      expect(asking, 'requests redirected with ASK while the slots were migrating').to.be.above(0);
    });

    it('a killed master fails over: the same users keep working, errors meanwhile are only 503, recovery within 10 s', async () => {
      expect(signedIn).to.have.length.above(0);
      await cluster!.waitForReplication();
      const masters = await cluster!.masters();
      const victim = cluster!.nodes.find((n) => n.port === masters[0])!;
      const killedAt = Date.now();
      await victim.kill();

      const statuses = new Map<number, number>();
      const others: string[] = [];
      let recoveredAfterMs: number | null = null;
      while (Date.now() - killedAt < 20_000) {
        const round = await Promise.all(
          signedIn.map(async ({ browser }, i) => {
            const res = await browser.api(`${(i % 2 ? a : b).url}/api/me`);
            if (res.status === 503) expect(res.headers.get('retry-after')).to.match(/^\d+$/);
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            if (res.status !== 200 && res.status !== 503) others.push(`${res.status} ${await res.text()}`);
            return res.status;
          }),
        );
        if (round.every((s) => s === 200)) {
          recoveredAfterMs = Date.now() - killedAt;
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      // After recovery: every session and every token cache is still there, on both instances.
      let lost = 0;
      for (const [i, { browser }] of signedIn.entries()) {
        const inst = i % 2 ? b : a;
        const me = await browser.api(`${inst.url}/api/me`);
        const token = await inst.services.tokenService
          .acquire(await sessionUserOf(browser, inst), ['Mail.Read'])
          .catch(() => null);
        if (me.status !== 200 || !token) lost++;
      }
      console.log(
        `      master kill (port ${victim.port}): sessions lost ${lost}/${signedIn.length}, non-503 errors ${others.length}, ` +
          `recovery ${recoveredAfterMs === null ? 'none within 20 s' : `${(recoveredAfterMs / 1000).toFixed(1)} s`} ` +
          `(responses meanwhile: ${[...statuses].map(([s, n]) => `${n}× ${s}`).join(', ')}; goals 0 / 0 / ≤ 10 s)`,
      );
      expect(others, 'responses other than 200 and 503 during failover').to.deep.equal([]);
      expect(lost, 'sessions or token caches lost').to.equal(0);
      expect(recoveredAfterMs).to.be.a('number').and.to.be.at.most(10_000);
    });
  });
});
