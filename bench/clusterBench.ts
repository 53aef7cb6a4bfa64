// Rows 1, 2 and 4 again on a Redis Cluster (3 masters + 3 replicas started here on free ports, removed afterwards):
// bootstrap page, silent-token scaling (ours; the shared-cache baseline does not depend on the store) and bytes per user.
import { Redis } from 'ioredis';
import { startRedisCluster } from '../test/bff/redis/redisTopologies';
import { signIn } from './browser';
import { forkTs, freePort, runChild } from './children';
import { runLoad } from './loadTest';
import type { LoadSummary } from './loadWorker';
import { redisBytesPerUser, type RedisBytes } from './memory';
import type { ScalingResult } from './tokenScalingWorker';

export interface ClusterBench {
  bootstrap: LoadSummary;
  tokenScaling: ScalingResult;
  bytes: RedisBytes;
}

export async function benchCluster(o: {
  envFor: (redisUrl: string, port: number, sub: string) => Record<string, string>;
  prefix: string;
  user: string;
  blobFile: string;
  sizes: number[];
  connections: number;
  bootstrapSeconds: number;
  progress: (line: string) => void;
}): Promise<ClusterBench> {
  o.progress('Redis Cluster: starting 6 redis-server processes (redis-cli --cluster create)…');
  const cluster = await startRedisCluster();
  try {
    const port = await freePort();
    const env = { ...o.envFor(cluster.seedUrl, port, 'cluster'), REDIS_MODE: 'cluster' };
    const child = forkTs<{ url: string }>('./serverProcess.ts', ['bff', String(port)], { env });
    let bootstrap: LoadSummary;
    try {
      const { url } = await child.first;
      const session = await signIn(`http://localhost:${port}`, o.user);
      const cookie = session.browser.cookieHeader(`http://localhost:${port}`);
      o.progress(`bootstrap page, ours (Redis Cluster), ${o.bootstrapSeconds} s…`);
      bootstrap = await runLoad({
        url: `${url}/`,
        connections: o.connections,
        durationSeconds: o.bootstrapSeconds,
        headers: { cookie, accept: 'text/html' },
      });
    } finally {
      await child.stop();
    }
    const nodes = (await cluster.masters()).map((p) => new Redis({ port: p, host: '127.0.0.1' }));
    const bytes = await redisBytesPerUser(nodes, `${o.prefix}cluster:`).finally(() =>
      nodes.forEach((n) => n.disconnect()),
    );
    o.progress(`silent token, ours (Redis Cluster): ${o.sizes.join(' / ')} users…`);
    const tokenScaling = await runChild<ScalingResult>(
      './tokenScalingWorker.ts',
      ['cluster', o.blobFile, o.sizes.join(',')],
      {
        env: { ...o.envFor(cluster.seedUrl, port, 'cluster-scale'), REDIS_MODE: 'cluster' },
        execArgv: ['--max-old-space-size=8192', '--expose-gc'],
      },
    );
    return { bootstrap, tokenScaling, bytes };
  } finally {
    await cluster.close();
  }
}
