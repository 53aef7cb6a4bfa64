// A Lua script run by its SHA (EVALSHA), loaded with EVAL the first time a node does not know it (NOSCRIPT).
import { createHash } from 'node:crypto';
import type { RedisClient } from './redisClientFactory';

/**
 * One script, atomic on the node that owns its keys. Every key a script names must share one hash tag (one slot), or a
 * cluster refuses it (CROSSSLOT); RedisKeyspace.companions gives names that do.
 */
export class RedisScript {
  readonly #sha: string;

  constructor(private readonly source: string) {
    this.#sha = createHash('sha1').update(source).digest('hex');
  }

  async run(
    redis: RedisClient,
    keys: readonly string[],
    args: readonly (string | Buffer | number)[],
  ): Promise<unknown> {
    try {
      return await redis.evalsha(this.#sha, keys.length, ...keys, ...args);
    } catch (err) {
      // A node that restarted, failed over or was added has an empty script cache: send the source once.
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
