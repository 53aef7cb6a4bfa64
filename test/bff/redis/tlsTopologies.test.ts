import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisTlsError } from '../../../bff/store/redisStores';
import { ALICE } from '../../helpers/entraFixtures';
import { mockMetadata } from '../../helpers/testApp';
import { redisTestConfig, uniqueKeyPrefix } from '../../helpers/redis';
import { Browser, makeUsers, sessionUserOf, signInAcross, startInstance, type BffInstance } from './bffInstances';
import {
  admin,
  makeRedisTlsFiles,
  orSkip,
  startRedisCluster,
  startSentinelSetup,
  type RedisClusterProcesses,
  type RedisTlsFiles,
  type SentinelProcesses,
} from './redisTopologies';

/** Starting with a TLS setup Redis refuses must fail fast with a RedisTlsError that names the setting to fix. */
async function expectTlsStartupError(
  env: Record<string, string>,
  setting: RegExp,
  instances: BffInstance[],
): Promise<void> {
  const started = Date.now();
  const err = await startInstance(redisTestConfig(uniqueKeyPrefix(), env)).then(
    (i) => (instances.push(i), null),
    (e: unknown) => e,
  );
  expect(err).to.be.instanceOf(RedisTlsError);
  expect((err as Error).message).to.match(setting);
  expect(Date.now() - started).to.be.below(5_000);
}

// The certificate names only the cache (cache.redis.test), never 127.0.0.1, as on a managed cache: every connection
// (each cluster node, the sentinel, the master it names) must send and verify REDIS_TLS_SERVERNAME.
describe('TLS in cluster and Sentinel mode (a CA the test generates; certificates that name the cache, not the nodes)', function () {
  this.timeout(60_000);
  let dir: string;
  let files: RedisTlsFiles;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hsb-tls-topologies-'));
    files = await makeRedisTlsFiles(dir);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  beforeEach(() => mockMetadata());

  describe('cluster: 3 masters and a replica, TLS only (--tls-cluster yes, --tls-replication yes)', () => {
    let cluster: RedisClusterProcesses | undefined;
    const instances: BffInstance[] = [];
    const env = () => ({ REDIS_MODE: 'cluster', REDIS_URL: cluster!.seedUrl, REDIS_TLS_CA_FILE: files.caCert });

    before(async function () {
      cluster = await orSkip(
        this,
        'a TLS Redis cluster (redis-server with TLS, redis-cli --cluster create --tls)',
        () => startRedisCluster({ replicas: 1, tls: files }),
      );
    });

    after(async () => {
      await Promise.all(instances.map((i) => i.close()));
      await cluster?.close();
    });

    it('serves signed-in users over TLS on every master with REDIS_TLS_SERVERNAME; the replica is in sync over TLS', async () => {
      expect(cluster!.seedUrl).to.match(/^rediss:\/\/127\.0\.0\.1:/);
      const bff = await startInstance(
        redisTestConfig(uniqueKeyPrefix(), { ...env(), REDIS_TLS_SERVERNAME: files.servername }),
      );
      instances.push(bff);
      const browsers: Browser[] = [];
      for (const user of makeUsers(6)) {
        const browser = new Browser();
        mockMetadata();
        await signInAcross(browser, bff, user, { spaCode: null });
        browsers.push(browser);
      }
      for (const browser of browsers) {
        expect((await browser.api(`${bff.url}/api/me`)).status).to.equal(200);
        expect(
          (await bff.services.tokenService.acquire(await sessionUserOf(browser, bff), ['Mail.Read'])).accessToken,
        ).to.match(/^eyJ/);
      }
      const masters = await cluster!.masters();
      const perMaster = await Promise.all(masters.map((port) => admin(port, (r) => r.dbsize(), cluster!.tls)));
      await cluster!.waitForReplication();
      const replica = cluster!.nodes.find((n) => !masters.includes(n.port))!;
      const replication = await admin(replica.port, (r) => r.info('replication'), cluster!.tls);
      const master = Number(/master_port:(\d+)/.exec(replication)?.[1]);
      const [onReplica, onMaster] = await Promise.all([
        admin(replica.port, (r) => r.dbsize(), cluster!.tls),
        admin(master, (r) => r.dbsize(), cluster!.tls),
      ]);
      console.log(
        `      TLS cluster: keys per master ${perMaster.join(' / ')}; replica of ${master}: ${onReplica}/${onMaster} keys`,
      );
      expect(perMaster).to.have.length(3);
      for (const n of perMaster) expect(n).to.be.above(0);
      expect(replication).to.include('master_link_status:up');
      expect(onReplica).to.equal(onMaster);
    });

    it('without REDIS_TLS_SERVERNAME (the nodes are reached by an address the certificate does not name) start-up stops with a RedisTlsError', async () => {
      await expectTlsStartupError(env(), /REDIS_TLS_SERVERNAME/, instances);
    });
  });

  describe('Sentinel: master, replica and sentinel, all TLS only (--tls-replication yes)', () => {
    let setup: SentinelProcesses | undefined;
    const instances: BffInstance[] = [];
    const env = () => ({
      REDIS_MODE: 'sentinel',
      REDIS_URL: '',
      REDIS_TLS: 'true',
      REDIS_NODES: `127.0.0.1:${setup!.sentinel.port}`,
      REDIS_SENTINEL_MASTER: setup!.masterName,
      REDIS_TLS_CA_FILE: files.caCert,
    });

    before(async function () {
      setup = await orSkip(this, 'redis-server + sentinel with TLS', () => startSentinelSetup({ tls: files }));
    });

    after(async () => {
      await Promise.all(instances.map((i) => i.close()));
      await setup?.close();
    });

    it('serves a signed-in user through the sentinel over TLS and follows a promotion (sentinel and new master over TLS too)', async () => {
      const bff = await startInstance(
        redisTestConfig(uniqueKeyPrefix(), { ...env(), REDIS_TLS_SERVERNAME: files.servername }),
      );
      instances.push(bff);
      const browser = new Browser();
      mockMetadata();
      await signInAcross(browser, bff, ALICE, { spaCode: null });
      expect((await browser.api(`${bff.url}/api/me`)).status).to.equal(200);
      // Replicated over TLS before the master goes.
      expect(await admin(setup!.master.port, (r) => r.call('WAIT', '1', '2000'), setup!.tls)).to.equal(1);
      const killedAt = Date.now();
      await setup!.master.kill();
      const statuses = new Map<number, number>();
      let recoveredAfterMs: number | null = null;
      while (Date.now() - killedAt < 20_000) {
        const res = await browser.api(`${bff.url}/api/me`);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 503) expect(res.headers.get('retry-after')).to.match(/^\d+$/);
        else if (res.status === 200) {
          recoveredAfterMs = Date.now() - killedAt;
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      console.log(
        `      TLS sentinel failover: served by the promoted replica after ${recoveredAfterMs === null ? '(never)' : `${(recoveredAfterMs / 1000).toFixed(1)} s`} ` +
          `(responses meanwhile: ${[...statuses].map(([s, n]) => `${n}× ${s}`).join(', ')})`,
      );
      expect([...statuses.keys()].filter((s) => s !== 200 && s !== 503)).to.deep.equal([]);
      expect(recoveredAfterMs).to.be.a('number').and.at.most(15_000);
      expect(await setup!.currentMaster()).to.equal(setup!.replica.port);
      expect(
        (await bff.services.tokenService.acquire(await sessionUserOf(browser, bff), ['Mail.Read'])).accessToken,
      ).to.match(/^eyJ/);
    });

    it('without REDIS_TLS_SERVERNAME start-up stops with a RedisTlsError', async () => {
      await expectTlsStartupError(env(), /REDIS_TLS_SERVERNAME/, instances);
    });
  });
});
