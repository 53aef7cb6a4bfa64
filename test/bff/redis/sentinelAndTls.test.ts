import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisTlsError } from '../../../bff/store/redisStores';
import { ensureCertificates, type EmulatorCertificates } from '../../../emulator/certs';
import { ALICE } from '../../helpers/entraFixtures';
import { mockMetadata } from '../../helpers/testApp';
import { redisTestConfig, uniqueKeyPrefix, type RedisServerProcess } from '../../helpers/redis';
import { Browser, sessionUserOf, signInAcross, startInstance, type BffInstance } from './bffInstances';
import { admin, orSkip, startSentinelSetup, startTlsRedis, type SentinelProcesses } from './redisTopologies';

describe('Redis Sentinel: one master, one replica, one sentinel (real processes)', function () {
  this.timeout(40_000);
  let setup: SentinelProcesses | undefined;
  let bff: BffInstance | undefined;

  before(async function () {
    setup = await orSkip(this, 'redis-server + sentinel', startSentinelSetup);
    mockMetadata();
    bff = await startInstance(
      redisTestConfig(uniqueKeyPrefix(), {
        REDIS_MODE: 'sentinel',
        REDIS_URL: '',
        REDIS_NODES: `127.0.0.1:${setup.sentinel.port}`,
        REDIS_SENTINEL_MASTER: setup.masterName,
      }),
    );
  });

  after(async () => {
    await bff?.close();
    await setup?.close();
  });

  it('follows the promotion of the replica after the master is killed, without a restart; meanwhile only 503s', async () => {
    const browser = new Browser();
    mockMetadata();
    await signInAcross(browser, bff!, ALICE, { spaCode: null });
    expect((await browser.api(`${bff!.url}/api/me`)).status).to.equal(200);
    await admin(setup!.master.port, (r) => r.call('WAIT', '1', '2000')); // the session is on the replica too
    const killedAt = Date.now();
    await setup!.master.kill();
    const statuses = new Map<number, number>();
    let recoveredAfterMs: number | null = null;
    while (Date.now() - killedAt < 20_000) {
      const res = await browser.api(`${bff!.url}/api/me`);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status === 503) expect(res.headers.get('retry-after')).to.match(/^\d+$/);
      else if (res.status === 200) {
        recoveredAfterMs = Date.now() - killedAt;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const master = await setup!.currentMaster().catch((e: Error) => e.message);
    console.log(
      `      sentinel failover (sentinel now names port ${master}; replica was ${setup!.replica.port}): served by the promoted replica after ${recoveredAfterMs === null ? '(never)' : `${(recoveredAfterMs / 1000).toFixed(1)} s`} ` +
        `(responses meanwhile: ${[...statuses].map(([s, n]) => `${n}× ${s}`).join(', ')})`,
    );
    expect([...statuses.keys()].filter((s) => s !== 200 && s !== 503)).to.deep.equal([]);
    expect(recoveredAfterMs).to.be.a('number').and.at.most(15_000);
    expect(await setup!.currentMaster()).to.equal(setup!.replica.port);
    const token = await bff!.services.tokenService.acquire(await sessionUserOf(browser, bff!), ['Mail.Read']);
    expect(token.accessToken).to.match(/^eyJ/); // the token cache survived the failover too
  });
});

describe('Redis over TLS with a CA the test generates (real redis-server)', function () {
  this.timeout(30_000);
  let dir: string;
  let certs: EmulatorCertificates;
  let otherCa: EmulatorCertificates;
  let server: RedisServerProcess | undefined;
  const instances: BffInstance[] = [];

  before(async function () {
    dir = mkdtempSync(join(tmpdir(), 'hsb-tls-'));
    certs = await ensureCertificates({ rootDir: dir, stateDir: join(dir, 'ca') });
    otherCa = await ensureCertificates({ rootDir: dir, stateDir: join(dir, 'other-ca') });
    server = await orSkip(this, 'redis-server with TLS', () =>
      startTlsRedis(
        { cert: certs.paths.serverCert, key: certs.paths.serverKey, ca: certs.paths.caCert },
        certs.caCertPem,
      ),
    );
  });

  after(async () => {
    await Promise.all(instances.map((i) => i.close()));
    await server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('connects with rediss:// and REDIS_TLS_CA_FILE, and serves signed-in users', async () => {
    mockMetadata();
    const bff = await startInstance(
      redisTestConfig(uniqueKeyPrefix(), {
        REDIS_URL: `rediss://localhost:${server!.port}`,
        REDIS_TLS_CA_FILE: certs.paths.caCert,
      }),
    );
    instances.push(bff);
    const browser = new Browser();
    mockMetadata();
    await signInAcross(browser, bff, ALICE, { spaCode: null });
    expect((await browser.api(`${bff.url}/api/me`)).status).to.equal(200);
  });

  // Replaces the server (same port; the right certificate again at the end, so the tests after it are unaffected).
  it("a TLS handshake that starts failing at runtime (the server now presents another CA's certificate) answers 503 with Retry-After, never hangs, and recovers", async () => {
    mockMetadata();
    const bff = await startInstance(
      redisTestConfig(uniqueKeyPrefix(), {
        REDIS_URL: `rediss://localhost:${server!.port}`,
        REDIS_TLS_CA_FILE: certs.paths.caCert,
        REDIS_COMMAND_TIMEOUT_MS: '1000',
      }),
    );
    instances.push(bff);
    const browser = new Browser();
    mockMetadata();
    await signInAcross(browser, bff, ALICE, { spaCode: null });
    expect((await browser.api(`${bff.url}/api/me`)).status).to.equal(200);

    const port = server!.port;
    await server!.kill();
    const files = (c: EmulatorCertificates) => ({
      cert: c.paths.serverCert,
      key: c.paths.serverKey,
      ca: c.paths.caCert,
    });
    server = await startTlsRedis(files(otherCa), otherCa.caCertPem, port);
    let slowest = 0;
    for (let i = 0; i < 10; i++) {
      const started = Date.now();
      const res = await browser.api(`${bff.url}/api/me`);
      slowest = Math.max(slowest, Date.now() - started);
      expect(res.status).to.equal(503);
      expect(res.headers.get('retry-after')).to.match(/^\d+$/);
      expect(await res.json()).to.deep.include({ error: 'store_unavailable' });
      await new Promise((r) => setTimeout(r, 200)); // let the client try to reconnect (and fail the handshake) meanwhile
    }
    expect((await fetch(`${bff.url}/readyz`)).status).to.equal(503);

    // The right certificate again (an empty server: the test keeps no data): ready again without a restart, and the
    // lost session means "sign in again" (401), not an error.
    await server.kill();
    server = await startTlsRedis(files(certs), certs.caCertPem, port);
    const back = Date.now();
    while ((await fetch(`${bff.url}/readyz`)).status !== 200) {
      expect(Date.now() - back, 'ready again').to.be.below(5_000);
      await new Promise((r) => setTimeout(r, 100));
    }
    console.log(
      `      TLS handshake refused at runtime: 10 × 503, slowest ${slowest} ms; ready again ${Date.now() - back} ms after the right certificate returned`,
    );
    expect(slowest).to.be.below(2_000);
    expect((await browser.api(`${bff.url}/api/me`)).status).to.equal(401);
  });

  const refusals: [string, () => Record<string, string>, RegExp][] = [
    ['a certificate from another CA', () => ({ REDIS_TLS_CA_FILE: otherCa.paths.caCert }), /REDIS_TLS_CA_FILE/],
    ['the system trust store (no CA file)', () => ({}), /REDIS_TLS_CA_FILE/],
    [
      'a host name the certificate does not carry',
      () => ({ REDIS_TLS_CA_FILE: certs.paths.caCert, REDIS_TLS_SERVERNAME: 'redis.elsewhere.example' }),
      /REDIS_TLS_SERVERNAME/,
    ],
  ];
  for (const [what, env, message] of refusals) {
    it(`refuses ${what} with a clear start-up error`, async () => {
      const started = Date.now();
      const err = await startInstance(
        redisTestConfig(uniqueKeyPrefix(), { REDIS_URL: `rediss://localhost:${server!.port}`, ...env() }),
      ).then(
        (i) => (instances.push(i), null),
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(RedisTlsError);
      expect((err as Error).message).to.match(message);
      expect(Date.now() - started).to.be.below(5_000);
    });
  }
});
