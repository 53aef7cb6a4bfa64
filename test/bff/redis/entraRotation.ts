// Entra ID authentication to a Redis cluster: tokens from the emulator's managed identity, rotated, re-AUTHed everywhere.
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { decodeJwt } from 'jose';
import { createLogger } from '../../../bff/http/logger';
import { createRedisTokenSource, REDIS_RESOURCE } from '../../../bff/downstream/redisTokenSource';
import { createAppIdentity } from '../../../bff/services';
import type { RedisToken } from '../../../bff/store/redisEntraAuth';
import { startEmulator, type RunningEmulator } from '../../../emulator/index';
import { setManagedIdentityEnv } from '../../helpers/managedIdentityEnv';
import { mockMetadata } from '../../helpers/testApp';
import { redisTestConfig, uniqueKeyPrefix } from '../../helpers/redis';
import { Browser, makeUsers, sessionUserOf, signInAcross, startInstance, type BffInstance } from './bffInstances';
import { admin, type RedisClusterProcesses } from './redisTopologies';

/** The emulator's system-assigned managed identity: its object id is the Redis user name. */
const MI_OBJECT_ID = '8c2f7dae-e49b-4a0f-8258-ad2e4f6a8b09';
/** Each token "lives" this long; the BFF fetches the next one after 40 % of it (slack for a loaded 2-CPU machine). */
const LIFETIME_MS = 4_000;
const REFRESH_RATIO = 0.4;
const TRAFFIC_MS = 6_000;

export function entraRotationSuite(clusterOf: () => RedisClusterProcesses): void {
  describe('Microsoft Entra ID authentication (managed-identity tokens from the emulator, rotated)', () => {
    let emu: RunningEmulator;
    let restoreEnv: () => void;
    let bff: BffInstance | undefined;
    /** While frozen, the token source hands out its last token again without touching the ACL (no rotation). */
    let frozen = false;
    const issued: string[] = [];
    const browsers: Browser[] = [];
    const ports = () => clusterOf().nodes.map((n) => n.port);

    /** On every node (ACL is per node, not replicated): the user accepts exactly `token`, nothing else. */
    const acceptOnly = (token: string) =>
      Promise.all(
        ports().map((port) =>
          admin(port, (r) =>
            r.call('ACL', 'SETUSER', MI_OBJECT_ID, 'on', 'resetpass', `>${token}`, '~*', '&*', '+@all'),
          ),
        ),
      );
    /** Adds `token` to the tokens the user accepts, and drops it again when it expires (as Azure does). */
    const acceptUntil = async (token: string, expiresOnMs: number) => {
      await Promise.all(
        ports().map((port) =>
          admin(port, (r) => r.call('ACL', 'SETUSER', MI_OBJECT_ID, 'on', `>${token}`, '~*', '&*', '+@all')),
        ),
      );
      setTimeout(() => {
        void Promise.all(
          ports().map((port) => admin(port, (r) => r.call('ACL', 'SETUSER', MI_OBJECT_ID, `<${token}`)).catch(() => 0)),
        );
      }, expiresOnMs - Date.now()).unref();
    };
    /** A fresh token from the emulator's managed-identity endpoint (App Service protocol), bypassing msal's cache. */
    const freshToken = async (): Promise<string> => {
      const url = new URL(emu.urls.identityEndpoint);
      url.searchParams.set('api-version', '2019-08-01');
      url.searchParams.set('resource', REDIS_RESOURCE);
      const res = await fetch(url, { headers: { 'x-identity-header': emu.identityHeader } });
      expect(res.status).to.equal(200);
      return ((await res.json()) as { access_token: string }).access_token;
    };

    before(async () => {
      emu = await startEmulator({
        rootDir: process.cwd(),
        ports: { entra: 0, graph: 0, keyVault: 0, managedIdentity: 0 },
        testHooks: true,
      });
      restoreEnv = setManagedIdentityEnv(emu.urls.identityEndpoint, emu.identityHeader);
      await Promise.all(ports().map((port) => admin(port, (r) => r.call('ACL', 'SETUSER', MI_OBJECT_ID, 'reset'))));
      await Promise.all(ports().map((port) => admin(port, (r) => r.call('ACL', 'LOG', 'RESET'))));
    });

    after(async () => {
      await bff?.close();
      await Promise.all(
        ports().map((port) => admin(port, (r) => r.call('ACL', 'DELUSER', MI_OBJECT_ID)).catch(() => 0)),
      );
      restoreEnv?.();
      await emu?.close();
    });

    it('the emulator issues managed-identity tokens for https://redis.azure.com to the default token source', async () => {
      const config = redisTestConfig(uniqueKeyPrefix(), {
        REDIS_MODE: 'cluster',
        REDIS_URL: clusterOf().seedUrl,
        REDIS_AUTH: 'entra',
        REDIS_ENTRA_OBJECT_ID: MI_OBJECT_ID,
        EMULATOR_MI_PORT: String(emu.ports.managedIdentity),
      });
      const identity = createAppIdentity({ config, log: createLogger('silent') });
      const { token, expiresOnMs } = await createRedisTokenSource({ config, ...identity })();
      const claims = decodeJwt(token);
      expect(claims.aud).to.equal(REDIS_RESOURCE);
      expect(claims.oid).to.equal(MI_OBJECT_ID);
      expect(expiresOnMs).to.be.above(Date.now() + 3_600_000);
    });

    it('authenticates every node with the current token, re-AUTHs open connections on rotation without failing a request, never sends an expired token', async () => {
      const source = async (): Promise<RedisToken> => {
        if (frozen && issued.length) return { token: issued.at(-1)!, expiresOnMs: Date.now() + LIFETIME_MS };
        const token = await freshToken();
        const expiresOnMs = Date.now() + LIFETIME_MS;
        // Redis accepts exactly the tokens that have not expired: this one from now, until its expiry.
        await acceptUntil(token, expiresOnMs);
        issued.push(token);
        return { token, expiresOnMs };
      };
      const config = redisTestConfig(uniqueKeyPrefix(), {
        REDIS_MODE: 'cluster',
        REDIS_URL: clusterOf().seedUrl,
        REDIS_AUTH: 'entra',
        REDIS_ENTRA_OBJECT_ID: MI_OBJECT_ID,
      });
      mockMetadata();
      bff = await startInstance(config, undefined, { tokenSource: source, tokenRefreshRatio: REFRESH_RATIO });
      const users = makeUsers(6);
      browsers.push(...users.map(() => new Browser()));
      for (const [i, user] of users.entries()) {
        mockMetadata();
        await signInAcross(browsers[i]!, bff, user, { spaCode: null });
      }
      // The BFF's long-lived connections on each master (not the slot refresher's short ones), and every AUTH each
      // connection sends from now on (MONITOR shows AUTH with its arguments redacted, and the sending address).
      const masterPorts = await clusterOf().masters();
      const longLived = new Set<string>();
      for (const port of masterPorts) {
        const list = (await admin(port, (r) => r.client('LIST'))) as string;
        for (const line of list.split('\n')) {
          if (line.includes(`user=${MI_OBJECT_ID}`) && !line.includes('refresher'))
            longLived.add(/addr=(\S+)/.exec(line)![1]!);
        }
      }
      const authsBy = new Map<string, number>();
      const monitors = await Promise.all(
        masterPorts.map(async (port) => {
          const base = new Redis({ port, host: '127.0.0.1', lazyConnect: true });
          const m = await base.monitor();
          base.disconnect();
          m.on('monitor', (_time: string, args: string[], source: string) => {
            if (args[0]?.toLowerCase() === 'auth') authsBy.set(source, (authsBy.get(source) ?? 0) + 1);
          });
          return m;
        }),
      );
      const rotationsBefore = issued.length;
      let rotationsBeforeKill = 0;

      // Steady traffic over several rotations; halfway, Redis drops every connection of the user (a reconnect must use
      // the current token, as Azure requires after expiry).
      const statuses: number[] = [];
      // Requests in flight when Redis drops the connections fail with 503 by design (never resent); only those until
      // the client is back count as the reconnect window, every other request must succeed.
      const started = Date.now();
      let killed = false;
      let reconnecting = false;
      let reconnectMs = 0;
      while (Date.now() - started < TRAFFIC_MS) {
        if (!killed && Date.now() - started > TRAFFIC_MS / 2) {
          killed = true;
          reconnecting = true;
          reconnectMs = Date.now();
          rotationsBeforeKill = issued.length - rotationsBefore;
          await new Promise((r) => setTimeout(r, 100)); // let MONITOR deliver the last re-AUTHs
          await Promise.all(
            ports().map((port) => admin(port, (r) => r.client('KILL', 'USER', MI_OBJECT_ID)).catch(() => 0)),
          );
        }
        const round = await Promise.all(
          browsers.map(async (browser) => {
            const res = await browser.api(`${bff!.url}/api/me`);
            const user = await sessionUserOf(browser, bff!).catch(() => null);
            const token = user && (await bff!.services.tokenService.acquire(user, ['Mail.Read']).catch(() => null));
            return token ? res.status : -1;
          }),
        );
        if (reconnecting && round.every((st) => st === 200)) {
          reconnecting = false;
          reconnectMs = Date.now() - reconnectMs;
        }
        if (!reconnecting) statuses.push(...round);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(reconnecting, 'back after Redis dropped the connections').to.equal(false);
      const rotations = issued.length - rotationsBefore;
      monitors.forEach((m) => m.disconnect());
      const failedAuth = await Promise.all(
        ports().map(
          async (port) =>
            ((await admin(port, (r) => r.call('ACL', 'LOG'))) as unknown[][]).filter((entry) => entry.includes('auth'))
              .length,
        ),
      );
      const reauths = [...longLived].map((addr) => authsBy.get(addr) ?? 0);
      const failures = statuses.filter((s) => s !== 200).length;
      console.log(
        `      Entra token rotation: ${rotations} new tokens in ${TRAFFIC_MS / 1000} s, ${statuses.length} requests (${failures} failed), ` +
          `re-AUTHs per open connection before Redis dropped them ${reauths.join(' / ')} (${rotationsBeforeKill} rotations), rejected AUTH attempts ${failedAuth.reduce((x, y) => x + y, 0)}, ` +
          `back ${reconnectMs} ms after Redis dropped every connection`,
      );
      expect(rotations).to.be.at.least(3);
      expect(failures, 'requests that failed during rotation').to.equal(0);
      expect(longLived.size, 'one open connection per master').to.be.at.least(masterPorts.length);
      expect(rotationsBeforeKill).to.be.at.least(1);
      for (const n of reauths) expect(n, 're-AUTHs on an open connection').to.be.at.least(rotationsBeforeKill);
      expect(failedAuth, 'AUTH attempts with a token Redis no longer accepts').to.deep.equal(ports().map(() => 0));
    });

    it('a token Redis refuses answers 503 with Retry-After (never a hang, never a fallback), and the next token recovers', async () => {
      expect(bff, 'the rotation test started the BFF').to.not.equal(undefined);
      frozen = true;
      await acceptOnly(`not-the-bff-token-${Date.now()}`);
      await Promise.all(
        ports().map((port) => admin(port, (r) => r.client('KILL', 'USER', MI_OBJECT_ID)).catch(() => 0)),
      );
      const started = Date.now();
      const res = await browsers[0]!.api(`${bff!.url}/api/me`);
      expect(res.status).to.equal(503);
      expect(res.headers.get('retry-after')).to.match(/^\d+$/);
      expect(Date.now() - started).to.be.below(3_000);
      frozen = false; // the next rotation brings a token Redis accepts again
      const deadline = Date.now() + 10_000;
      let status = 0;
      while (Date.now() < deadline && (status = (await browsers[0]!.api(`${bff!.url}/api/me`)).status) !== 200)
        await new Promise((r) => setTimeout(r, 100));
      expect(status).to.equal(200);
    });
  });
}
