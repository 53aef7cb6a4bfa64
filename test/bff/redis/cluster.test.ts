import { expect } from 'chai';
import type { TestUser } from '../../helpers/entraFixtures';
import { mockMetadata } from '../../helpers/testApp';
import { redisTestConfig, uniqueKeyPrefix } from '../../helpers/redis';
import { Browser, makeUsers, sessionUserOf, signInAcross, startInstance, type BffInstance } from './bffInstances';
import { admin, orSkip, startRedisCluster, type RedisClusterProcesses } from './redisTopologies';
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
      const perMaster = await Promise.all(
        (await cluster!.masters()).map((port) => admin(port, (r) => r.dbsize())),
      );
      console.log(`      keys per master: ${perMaster.join(' / ')}`);
      expect(perMaster).to.have.length(3);
      for (const n of perMaster) expect(n).to.be.above(0);
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
