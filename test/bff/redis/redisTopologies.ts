// Real Redis topologies for tests, on private ports and torn down afterwards: a 3 + 3 cluster, a Sentinel setup, TLS.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort, probeRedis, spawnRedis, type RedisServerProcess } from '../../helpers/redis';

const run = promisify(execFile);
const NO_PERSISTENCE = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'];

/** Under the requireRedis rule: a missing binary (or a start failure) fails in CI and skips the suite locally. */
export async function orSkip<T>(ctx: Mocha.Context, what: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    const message = `cannot start ${what} (${(err as Error).message})`;
    if (process.env.CI) throw new Error(`${message}. These tests must run in CI: install redis-server and redis-tools.`, { cause: err });
    console.log(`      skipping: ${message}.`);
    ctx.skip();
  }
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One short-lived admin command to a node (tests only). */
export async function admin<T>(port: number, command: (r: Redis) => Promise<T>): Promise<T> {
  const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => {});
  try {
    await r.connect();
    return await command(r);
  } finally {
    r.disconnect();
  }
}

export interface RedisClusterProcesses {
  nodes: RedisServerProcess[];
  /** Seed URL for REDIS_URL. */
  seedUrl: string;
  /** Ports of the nodes that are masters right now. */
  masters(): Promise<number[]>;
  /** Waits until every replica has received everything its master has (nothing unreplicated left to lose). */
  waitForReplication(): Promise<void>;
  close(): Promise<void>;
}

/**
 * 6 redis-server processes in cluster mode, joined with `redis-cli --cluster create --cluster-replicas 1` (3 masters,
 * each with a replica). cluster-node-timeout 1 s so a killed master fails over in ~2 s instead of the default 15 s.
 */
export async function startRedisCluster(): Promise<RedisClusterProcesses> {
  const dir = mkdtempSync(join(tmpdir(), 'hsb-cluster-'));
  const ports: number[] = [];
  while (ports.length < 6) {
    const p = await freePort();
    if (!ports.includes(p) && p < 55_535) ports.push(p); // the cluster bus listens on port + 10000
  }
  const nodes: RedisServerProcess[] = [];
  try {
    for (const port of ports) {
      nodes.push(
        await spawnRedis(
          ['--port', String(port), ...NO_PERSISTENCE, '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`,
            '--cluster-node-timeout', '1000', '--cluster-replica-validity-factor', '0', '--dir', dir],
          { port, cwd: dir },
        ),
      );
    }
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '1', '--cluster-yes'], {
      timeout: 30_000,
    });
    for (const port of ports) {
      await waitUntil('cluster_state:ok', async () => (await admin(port, (r) => r.cluster('INFO'))).includes('cluster_state:ok'), 15_000);
    }
  } catch (err) {
    await Promise.all(nodes.map((n) => n.kill()));
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const cluster: RedisClusterProcesses = {
    nodes,
    seedUrl: `redis://127.0.0.1:${ports[0]}`,
    async masters() {
      const out: number[] = [];
      for (const n of nodes) {
        const role = await admin(n.port, (r) => r.role()).catch(() => null);
        if (role?.[0] === 'master') out.push(n.port);
      }
      return out;
    },
    async waitForReplication() {
      for (const port of await cluster.masters()) {
        await waitUntil(
          `replicas of ${port} caught up`,
          async () => {
            const info = await admin(port, (r) => r.info('replication'));
            const offset = Number(/master_repl_offset:(\d+)/.exec(info)?.[1]);
            const replicas = [...info.matchAll(/slave\d+:.*offset=(\d+)/g)].map((m) => Number(m[1]));
            return replicas.length > 0 && replicas.every((o) => o >= offset);
          },
          5_000,
        );
      }
    },
    async close() {
      await Promise.all(nodes.map((n) => n.kill()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}

/** The hash slot of `key` and the port of the master that owns it now (CLUSTER SLOTS as a master sees it). */
export async function slotOwner(cluster: RedisClusterProcesses, key: string): Promise<{ slot: number; port: number }> {
  const [seed] = await cluster.masters();
  if (seed === undefined) throw new Error('no master');
  const slot = Number(await admin(seed, (r) => r.call('CLUSTER', 'KEYSLOT', key)));
  const ranges = (await admin(seed, (r) => r.call('CLUSTER', 'SLOTS'))) as [number, number, [string, number, string]][];
  const range = ranges.find(([start, end]) => slot >= start && slot <= end);
  if (!range) throw new Error(`slot ${slot} has no owner`);
  return { slot, port: Number(range[2][1]) };
}

/** Calls of `command` a node has served (INFO commandstats). */
async function commandCalls(port: number, command: string): Promise<number> {
  const info = await admin(port, (r) => r.info('commandstats'));
  return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
}

/**
 * Moves `slot` from master `from` to master `to` the way `redis-cli --cluster reshard` does, slowly enough that clients
 * see each phase: IMPORTING / MIGRATING (keys still served by `from`), `pauseMs`; MIGRATE of the slot's keys, `pauseMs`
 * (`from` answers ASK for them: the ASK window); SETSLOT NODE on every master (then MOVED for stale slot maps).
 * Returns how many ASKING commands `to` received meanwhile (each is a client following an ASK redirection).
 */
export async function migrateSlot(
  cluster: RedisClusterProcesses,
  move: { slot: number; from: number; to: number; pauseMs: number },
): Promise<number> {
  const { slot, from, to, pauseMs } = move;
  const pause = () => new Promise((r) => setTimeout(r, pauseMs));
  const idOf = async (port: number) => String(await admin(port, (r) => r.call('CLUSTER', 'MYID')));
  const [fromId, toId] = await Promise.all([idOf(from), idOf(to)]);
  const askingBefore = await commandCalls(to, 'asking');
  await admin(to, (r) => r.call('CLUSTER', 'SETSLOT', slot, 'IMPORTING', fromId));
  await admin(from, (r) => r.call('CLUSTER', 'SETSLOT', slot, 'MIGRATING', toId));
  await pause();
  for (;;) {
    const keys = (await admin(from, (r) => r.call('CLUSTER', 'GETKEYSINSLOT', slot, 100))) as string[];
    if (keys.length === 0) break;
    await admin(from, (r) => r.call('MIGRATE', '127.0.0.1', to, '', 0, 5_000, 'KEYS', ...keys));
  }
  await pause();
  const others = (await cluster.masters()).filter((p) => p !== from && p !== to);
  for (const port of [to, from, ...others]) await admin(port, (r) => r.call('CLUSTER', 'SETSLOT', slot, 'NODE', toId));
  return (await commandCalls(to, 'asking')) - askingBefore;
}

export interface SentinelProcesses {
  master: RedisServerProcess;
  replica: RedisServerProcess;
  sentinel: RedisServerProcess;
  masterName: string;
  /** The port the sentinel currently names as master. */
  currentMaster(): Promise<number>;
  close(): Promise<void>;
}

/** A master, its replica and one sentinel (quorum 1) that declares the master down after 1 s. */
export async function startSentinelSetup(): Promise<SentinelProcesses> {
  const dir = mkdtempSync(join(tmpdir(), 'hsb-sentinel-'));
  const [mPort, rPort, sPort] = [await freePort(), await freePort(), await freePort()];
  const masterName = 'hsbmaster';
  const started: RedisServerProcess[] = [];
  try {
    const master = await spawnRedis(['--port', String(mPort), ...NO_PERSISTENCE], { port: mPort });
    started.push(master);
    const replica = await spawnRedis(['--port', String(rPort), ...NO_PERSISTENCE, '--replicaof', '127.0.0.1', String(mPort)], { port: rPort });
    started.push(replica);
    await waitUntil('replica linked', async () => (await admin(rPort, (r) => r.info('replication'))).includes('master_link_status:up'), 10_000);
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `port ${sPort}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${masterName} 127.0.0.1 ${mPort} 1`,
        `sentinel down-after-milliseconds ${masterName} 1000`,
        `sentinel failover-timeout ${masterName} 5000`,
        '',
      ].join('\n'),
    );
    const sentinel = await spawnRedis([conf, '--sentinel'], { port: sPort, probe: () => probeRedis(`redis://127.0.0.1:${sPort}`, 300) });
    started.push(sentinel);
    const currentMaster = async () => {
      const [, port] = (await admin(sPort, (r) => r.call('SENTINEL', 'get-master-addr-by-name', masterName))) as [string, string];
      return Number(port);
    };
    // The sentinel must have discovered the replica before a failover can promote it.
    await waitUntil(
      'sentinel sees the replica',
      async () => ((await admin(sPort, (r) => r.call('SENTINEL', 'replicas', masterName))) as unknown[]).length > 0,
      10_000,
    );
    return {
      master,
      replica,
      sentinel,
      masterName,
      currentMaster,
      async close() {
        await Promise.all(started.map((p) => p.kill()));
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await Promise.all(started.map((p) => p.kill()));
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** redis-server speaking only TLS on `port`, with the given certificate (clients are not asked for one). */
export async function startTlsRedis(files: { cert: string; key: string; ca: string }, caPem: string): Promise<RedisServerProcess> {
  const port = await freePort();
  return spawnRedis(
    ['--port', '0', '--tls-port', String(port), ...NO_PERSISTENCE, '--tls-cert-file', files.cert, '--tls-key-file', files.key,
      '--tls-ca-cert-file', files.ca, '--tls-auth-clients', 'no'],
    {
      port,
      url: `rediss://127.0.0.1:${port}`,
      probe: async () => {
        const r = new Redis({ port, host: '127.0.0.1', tls: { ca: caPem }, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        r.on('error', () => {});
        try {
          await r.connect();
          await r.ping();
          return null;
        } catch (err) {
          return (err as Error).message;
        } finally {
          r.disconnect();
        }
      },
    },
  );
}
