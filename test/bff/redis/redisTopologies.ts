// Real Redis topologies for tests, on private ports and torn down afterwards: a cluster, a Sentinel setup, TLS (any of them).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { generate } from 'selfsigned';
import { freePort, probeRedis, spawnRedis, type RedisServerProcess } from '../../helpers/redis';

const run = promisify(execFile);
const NO_PERSISTENCE = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'];

/** Under the requireRedis rule: a missing binary (or a start failure) fails in CI and skips the suite locally. */
export async function orSkip<T>(ctx: Mocha.Context, what: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    const message = `cannot start ${what} (${(err as Error).message})`;
    if (process.env.CI)
      throw new Error(`${message}. These tests must run in CI: install redis-server and redis-tools.`, { cause: err });
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

/**
 * A test CA and a server certificate that names only `servername` (no IP address, no localhost), as a managed cache's
 * certificate names the cache and not its nodes: a client reaching 127.0.0.1 must send and verify that name.
 */
export interface RedisTlsFiles {
  caCert: string;
  cert: string;
  key: string;
  caPem: string;
  servername: string;
}

export async function makeRedisTlsFiles(dir: string, servername = 'cache.redis.test'): Promise<RedisTlsFiles> {
  const now = Date.now();
  const ca = await generate([{ name: 'commonName', value: 'hsb test Redis CA' }], {
    algorithm: 'sha256',
    keySize: 2048,
    notBeforeDate: new Date(now - 86_400_000),
    notAfterDate: new Date(now + 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const leaf = await generate([{ name: 'commonName', value: servername }], {
    algorithm: 'sha256',
    keySize: 2048,
    notBeforeDate: new Date(now - 86_400_000),
    notAfterDate: new Date(now + 86_400_000),
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      // serverAuth for clients, clientAuth for the nodes' own TLS links (replication, cluster bus, sentinel).
      { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: servername }] },
    ],
  });
  const files = {
    caCert: join(dir, 'redis-ca.pem'),
    cert: join(dir, 'redis-server.pem'),
    key: join(dir, 'redis-server.key'),
  };
  writeFileSync(files.caCert, ca.cert);
  writeFileSync(files.cert, leaf.cert);
  writeFileSync(files.key, leaf.private, { mode: 0o600 });
  return { ...files, caPem: ca.cert, servername };
}

/** redis-server options for TLS only on `port` (no plain port), replication over TLS, clients not asked for a certificate. */
function tlsServerArgs(files: RedisTlsFiles, port: number): string[] {
  return [
    '--port',
    '0',
    '--tls-port',
    String(port),
    '--tls-cert-file',
    files.cert,
    '--tls-key-file',
    files.key,
    '--tls-ca-cert-file',
    files.caCert,
    '--tls-auth-clients',
    'no',
    '--tls-replication',
    'yes',
  ];
}

/** How a test client reaches a TLS node at 127.0.0.1: the test CA, and the certificate's name for SNI and verification. */
export function tlsClientOptions(files: RedisTlsFiles): ConnectionOptions {
  return { ca: files.caPem, servername: files.servername };
}

/** Null when the node at `port` answers PING (over TLS with `tls`), else why not. */
async function probeNode(port: number, tls?: ConnectionOptions): Promise<string | null> {
  return admin(port, (r) => r.ping(), tls).then(
    () => null,
    (err: Error) => err.message,
  );
}

/** One short-lived admin command to a node (tests only); `tls` for a TLS-only node. */
export async function admin<T>(port: number, command: (r: Redis) => Promise<T>, tls?: ConnectionOptions): Promise<T> {
  const r = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    ...(tls ? { tls } : {}),
  });
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
  /** Client TLS options for admin() when the cluster speaks TLS only. */
  tls?: ConnectionOptions;
  /** Seed URL for REDIS_URL. */
  seedUrl: string;
  /** Ports of the nodes that are masters right now. */
  masters(): Promise<number[]>;
  /** Waits until every replica has received everything its master has (nothing unreplicated left to lose). */
  waitForReplication(): Promise<void>;
  close(): Promise<void>;
}

/**
 * redis-server processes in cluster mode: 3 masters and `replicas` replicas (default 3, one per master, joined with
 * `redis-cli --cluster create --cluster-replicas 1`; fewer are attached to the first masters with CLUSTER REPLICATE).
 * cluster-node-timeout 1 s so a killed master fails over in ~2 s instead of the default 15 s. With `tls`: TLS only, for
 * clients, the cluster bus and replication.
 */
export async function startRedisCluster(
  options: { replicas?: number; tls?: RedisTlsFiles } = {},
): Promise<RedisClusterProcesses> {
  const replicas = options.replicas ?? 3;
  const perMaster = replicas === 3 ? 1 : 0;
  const tls = options.tls ? tlsClientOptions(options.tls) : undefined;
  const ask = <T>(port: number, command: (r: Redis) => Promise<T>) => admin(port, command, tls);
  const dir = mkdtempSync(join(tmpdir(), 'hsb-cluster-'));
  const ports: number[] = [];
  while (ports.length < 3 + replicas) {
    const p = await freePort();
    if (!ports.includes(p) && p < 55_535) ports.push(p); // the cluster bus listens on port + 10000
  }
  const nodes: RedisServerProcess[] = [];
  try {
    for (const port of ports) {
      const listen = options.tls
        ? [...tlsServerArgs(options.tls, port), '--tls-cluster', 'yes']
        : ['--port', String(port)];
      nodes.push(
        await spawnRedis(
          [
            ...listen,
            ...NO_PERSISTENCE,
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            `nodes-${port}.conf`,
            '--cluster-node-timeout',
            '1000',
            '--cluster-replica-validity-factor',
            '0',
            '--dir',
            dir,
          ],
          { port, cwd: dir, ...(tls ? { url: `rediss://127.0.0.1:${port}`, probe: () => probeNode(port, tls) } : {}) },
        ),
      );
    }
    const cli = options.tls ? ['--tls', '--cacert', options.tls.caCert, '--sni', options.tls.servername] : [];
    const created = perMaster ? ports : ports.slice(0, 3);
    await run(
      'redis-cli',
      [
        ...cli,
        '--cluster',
        'create',
        ...created.map((p) => `127.0.0.1:${p}`),
        '--cluster-replicas',
        String(perMaster),
        '--cluster-yes',
      ],
      {
        timeout: 30_000,
      },
    );
    for (const [i, port] of ports.slice(created.length).entries()) {
      const masterId = String(await ask(ports[i]!, (r) => r.call('CLUSTER', 'MYID')));
      await ask(port, (r) => r.call('CLUSTER', 'MEET', '127.0.0.1', ports[0]!));
      await waitUntil(
        'replica knows its master',
        async () => String(await ask(port, (r) => r.call('CLUSTER', 'NODES'))).includes(masterId),
        10_000,
      );
      await ask(port, (r) => r.call('CLUSTER', 'REPLICATE', masterId));
    }
    for (const port of ports) {
      await waitUntil(
        'cluster_state:ok',
        async () => (await ask(port, (r) => r.cluster('INFO'))).includes('cluster_state:ok'),
        15_000,
      );
    }
  } catch (err) {
    await Promise.all(nodes.map((n) => n.kill()));
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const cluster: RedisClusterProcesses = {
    nodes,
    ...(tls ? { tls } : {}),
    seedUrl: `${tls ? 'rediss' : 'redis'}://127.0.0.1:${ports[0]}`,
    async masters() {
      const out: number[] = [];
      for (const n of nodes) {
        const role = await ask(n.port, (r) => r.role()).catch(() => null);
        if (role?.[0] === 'master') out.push(n.port);
      }
      return out;
    },
    async waitForReplication() {
      for (const port of await cluster.masters()) {
        await waitUntil(
          `replicas of ${port} caught up`,
          async () => {
            const info = await ask(port, (r) => r.info('replication'));
            const offset = Number(/master_repl_offset:(\d+)/.exec(info)?.[1]);
            const replicas = [...info.matchAll(/slave\d+:.*offset=(\d+)/g)].map((m) => Number(m[1]));
            return replicas.every((o) => o >= offset) && (replicas.length > 0 || perMaster === 0);
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
  const slot = Number(await admin(seed, (r) => r.call('CLUSTER', 'KEYSLOT', key), cluster.tls));
  const ranges = (await admin(seed, (r) => r.call('CLUSTER', 'SLOTS'), cluster.tls)) as [
    number,
    number,
    [string, number, string],
  ][];
  const range = ranges.find(([start, end]) => slot >= start && slot <= end);
  if (!range) throw new Error(`slot ${slot} has no owner`);
  return { slot, port: Number(range[2][1]) };
}

/** Calls of `command` a node has served (INFO commandstats). */
async function commandCalls(port: number, command: string, tls?: ConnectionOptions): Promise<number> {
  const info = await admin(port, (r) => r.info('commandstats'), tls);
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
  const idOf = async (port: number) => String(await admin(port, (r) => r.call('CLUSTER', 'MYID'), cluster.tls));
  const [fromId, toId] = await Promise.all([idOf(from), idOf(to)]);
  const askingBefore = await commandCalls(to, 'asking', cluster.tls);
  await admin(to, (r) => r.call('CLUSTER', 'SETSLOT', slot, 'IMPORTING', fromId), cluster.tls);
  await admin(from, (r) => r.call('CLUSTER', 'SETSLOT', slot, 'MIGRATING', toId), cluster.tls);
  await pause();
  for (;;) {
    const keys = (await admin(from, (r) => r.call('CLUSTER', 'GETKEYSINSLOT', slot, 100), cluster.tls)) as string[];
    if (keys.length === 0) break;
    await admin(from, (r) => r.call('MIGRATE', '127.0.0.1', to, '', 0, 5_000, 'KEYS', ...keys), cluster.tls);
  }
  await pause();
  const others = (await cluster.masters()).filter((p) => p !== from && p !== to);
  for (const port of [to, from, ...others])
    await admin(port, (r) => r.call('CLUSTER', 'SETSLOT', slot, 'NODE', toId), cluster.tls);
  return (await commandCalls(to, 'asking', cluster.tls)) - askingBefore;
}

export interface SentinelProcesses {
  master: RedisServerProcess;
  replica: RedisServerProcess;
  sentinel: RedisServerProcess;
  masterName: string;
  /** Client TLS options for admin() when the setup speaks TLS only. */
  tls?: ConnectionOptions;
  /** The port the sentinel currently names as master. */
  currentMaster(): Promise<number>;
  close(): Promise<void>;
}

/**
 * A master, its replica and one sentinel (quorum 1) that declares the master down after 1 s. With `tls`: every process
 * speaks TLS only (clients, replication, the sentinel's links to the data nodes).
 */
export async function startSentinelSetup(options: { tls?: RedisTlsFiles } = {}): Promise<SentinelProcesses> {
  const dir = mkdtempSync(join(tmpdir(), 'hsb-sentinel-'));
  const [mPort, rPort, sPort] = [await freePort(), await freePort(), await freePort()];
  const masterName = 'hsbmaster';
  const tls = options.tls ? tlsClientOptions(options.tls) : undefined;
  const ask = <T>(port: number, command: (r: Redis) => Promise<T>) => admin(port, command, tls);
  const listen = (port: number) => (options.tls ? tlsServerArgs(options.tls, port) : ['--port', String(port)]);
  const nodeOptions = (port: number) => ({
    port,
    ...(tls ? { url: `rediss://127.0.0.1:${port}`, probe: () => probeNode(port, tls) } : {}),
  });
  const started: RedisServerProcess[] = [];
  try {
    const master = await spawnRedis([...listen(mPort), ...NO_PERSISTENCE], nodeOptions(mPort));
    started.push(master);
    const replica = await spawnRedis(
      [...listen(rPort), ...NO_PERSISTENCE, '--replicaof', '127.0.0.1', String(mPort)],
      nodeOptions(rPort),
    );
    started.push(replica);
    await waitUntil(
      'replica linked',
      async () => (await ask(rPort, (r) => r.info('replication'))).includes('master_link_status:up'),
      10_000,
    );
    const conf = join(dir, 'sentinel.conf');
    const tlsConf = options.tls
      ? [
          'port 0',
          `tls-port ${sPort}`,
          `tls-cert-file ${options.tls.cert}`,
          `tls-key-file ${options.tls.key}`,
          `tls-ca-cert-file ${options.tls.caCert}`,
          'tls-auth-clients no',
          'tls-replication yes',
        ]
      : [`port ${sPort}`];
    writeFileSync(
      conf,
      [
        ...tlsConf,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${masterName} 127.0.0.1 ${mPort} 1`,
        `sentinel down-after-milliseconds ${masterName} 1000`,
        `sentinel failover-timeout ${masterName} 5000`,
        '',
      ].join('\n'),
    );
    const sentinel = await spawnRedis([conf, '--sentinel'], {
      port: sPort,
      probe: tls ? () => probeNode(sPort, tls) : () => probeRedis(`redis://127.0.0.1:${sPort}`, 300),
    });
    started.push(sentinel);
    const currentMaster = async () => {
      const [, port] = (await ask(sPort, (r) => r.call('SENTINEL', 'get-master-addr-by-name', masterName))) as [
        string,
        string,
      ];
      return Number(port);
    };
    // The sentinel must have discovered the replica before a failover can promote it.
    await waitUntil(
      'sentinel sees the replica',
      async () => ((await ask(sPort, (r) => r.call('SENTINEL', 'replicas', masterName))) as unknown[]).length > 0,
      10_000,
    );
    return {
      master,
      replica,
      sentinel,
      masterName,
      ...(tls ? { tls } : {}),
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
export async function startTlsRedis(
  files: { cert: string; key: string; ca: string },
  caPem: string,
  port?: number,
): Promise<RedisServerProcess> {
  port ??= await freePort();
  return spawnRedis(
    [
      '--port',
      '0',
      '--tls-port',
      String(port),
      ...NO_PERSISTENCE,
      '--tls-cert-file',
      files.cert,
      '--tls-key-file',
      files.key,
      '--tls-ca-cert-file',
      files.ca,
      '--tls-auth-clients',
      'no',
    ],
    {
      port,
      url: `rediss://127.0.0.1:${port}`,
      probe: async () => {
        const r = new Redis({
          port,
          host: '127.0.0.1',
          tls: { ca: caPem },
          lazyConnect: true,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
        });
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
