// Microsoft Entra ID authentication to Redis: keeps a current token and re-AUTHs every open connection before it expires.
import { Cluster, type Redis } from 'ioredis';
import type { Logger } from '../http/logger';
import type { RedisClient } from './redisClientFactory';

/** A token for https://redis.azure.com/.default and when it expires (epoch ms). */
export interface RedisToken {
  token: string;
  expiresOnMs: number;
}
export type RedisTokenSource = () => Promise<RedisToken>;

export interface RedisEntraAuthOptions {
  /** The Redis user name: the object id of the managed identity or service principal. */
  username: string;
  log: Logger;
  /** Fetch the next token once this share of the current one's lifetime has passed (like @redis/entraid's 0.7). */
  refreshRatio?: number;
  /** Wait between failed token fetches (capped by the time left on the current token). */
  retryMs?: number;
  now?: () => number;
}

/**
 * Owns the token lifecycle. `password()` is what every new connection sends (ioredis reads it on each connect); on each
 * new token every ready connection — each cluster node, master and replica — gets `AUTH <oid> <token>` in line with its
 * other commands, so no request is dropped and no connection is left on a token that is about to expire. A token past
 * its expiry is never sent: `password()` then returns null and the connection fails (503) until a new token arrives.
 */
export class RedisEntraAuth {
  #current: RedisToken | null = null;
  #timer: NodeJS.Timeout | undefined;
  #client: RedisClient | null = null;
  #stopped = false;
  #rotations = 0;

  constructor(
    private readonly source: RedisTokenSource,
    private readonly options: RedisEntraAuthOptions,
  ) {}

  get username(): string {
    return this.options.username;
  }

  /** How many tokens have been obtained (tests and diagnostics). */
  get rotations(): number {
    return this.#rotations;
  }

  /** The current token when it has not expired, else null. */
  password(): string | null {
    const t = this.#current;
    return t && t.expiresOnMs > this.#now() ? t.token : null;
  }

  /** Gets the first token (resolves false when that fails; retries continue in the background). */
  async start(): Promise<boolean> {
    return this.#refresh();
  }

  /** The client whose connections are re-authenticated on every new token. */
  attach(client: RedisClient): void {
    this.#client = client;
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  async #refresh(): Promise<boolean> {
    if (this.#stopped) return false;
    let ok = false;
    try {
      const next = await this.source();
      if (!next.token || !(next.expiresOnMs > this.#now()))
        throw new Error('the token source returned an expired token');
      this.#current = next;
      this.#rotations++;
      ok = true;
      await this.#reauthenticateAll(next.token);
    } catch (err) {
      this.options.log.warn(
        { err: { name: (err as Error).name, message: (err as Error).message } },
        'could not get a Microsoft Entra token for Redis; retrying',
      );
    }
    this.#schedule(ok);
    return ok;
  }

  #schedule(succeeded: boolean): void {
    if (this.#stopped) return;
    const now = this.#now();
    const t = this.#current;
    const retryMs = this.options.retryMs ?? 5_000;
    let delay: number;
    if (succeeded && t) {
      delay = (t.expiresOnMs - now) * (this.options.refreshRatio ?? 0.7);
    } else {
      const left = t ? t.expiresOnMs - now : Infinity;
      delay = Math.min(retryMs, left > 0 ? left / 2 : retryMs);
    }
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#refresh(), Math.max(50, Math.min(delay, 2 ** 31 - 1)));
    this.#timer.unref();
  }

  async #reauthenticateAll(token: string): Promise<void> {
    const client = this.#client;
    if (!client) return;
    const connections: Redis[] = client instanceof Cluster ? client.nodes('all') : [client];
    const results = await Promise.allSettled(
      connections.filter((c) => c.status === 'ready').map((c) => c.call('AUTH', this.options.username, token)),
    );
    const failed = results.filter((r) => r.status === 'rejected').length;
    // A connection that could not re-AUTH keeps working until Redis drops it; it then reconnects with the new token.
    if (failed)
      this.options.log.warn({ failed, connections: results.length }, 'Redis re-AUTH failed on some connections');
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }
}
