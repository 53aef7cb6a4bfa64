// Row 4: Redis bytes per signed-in user (MEMORY USAGE of the session, encrypted token cache and sid-index keys under
// the BFF's prefix, averaged per kind) and the memory-mode heap per 10 000 sessions (heapWorker, --expose-gc).
import type { Redis } from 'ioredis';
import { runChild } from './children';
import type { HeapResult } from './heapWorker';

export interface RedisBytes {
  /** Average MEMORY USAGE per key of each kind (bytes) and how many keys were averaged. */
  perKind: Record<string, { keys: number; avgBytes: number }>;
  /** Session + token cache + sid index. */
  bytesPerUser: number;
}

const KINDS = ['sess', 'tc', 'sid'] as const;

export async function scanKeys(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

/** `redis`: the server, or every master of a cluster (each is scanned for its own keys). */
export async function redisBytesPerUser(redis: Redis | Redis[], prefix: string): Promise<RedisBytes> {
  const perKind: RedisBytes['perKind'] = {};
  for (const node of Array.isArray(redis) ? redis : [redis]) await addKeys(node, prefix, perKind);
  for (const kind of KINDS) if (!perKind[kind]) throw new Error(`no ${kind}: keys under ${prefix} after the sign-ins`);
  return { perKind, bytesPerUser: KINDS.reduce((sum, k) => sum + perKind[k]!.avgBytes, 0) };
}

async function addKeys(redis: Redis, prefix: string, perKind: RedisBytes['perKind']): Promise<void> {
  for (const key of await scanKeys(redis, prefix)) {
    const kind = key.slice(prefix.length).split(':')[0]!;
    const bytes = Number(await redis.memory('USAGE', key, 'SAMPLES', '0'));
    const entry = (perKind[kind] ??= { keys: 0, avgBytes: 0 });
    entry.avgBytes = (entry.avgBytes * entry.keys + bytes) / (entry.keys + 1);
    entry.keys++;
  }
}

export function heapPer10kSessions(
  env: Record<string, string>,
  blobFile: string,
  sessionFile: string,
): Promise<HeapResult> {
  return runChild<HeapResult>('./heapWorker.ts', [blobFile, sessionFile, '10000'], { env, execArgv: ['--expose-gc'] });
}
