// koa-session external store over Redis: sealed JSON, idle TTL per write, and an absolute lifetime Redis enforces too.
import { mustAlreadyExist } from './sessionStore';
import type { Logger } from '../http/logger';
import type { RedisConnection } from '../store/redisClient';
import { CacheCipher, SealedValueError } from '../tokenCache/cacheEncryption';
import type { SessionStore } from './sessionStore';

interface Envelope {
  /** Epoch ms the absolute lifetime counts from. */
  s: number;
  /** koa-session's session object. */
  d: Record<string, unknown>;
}

/**
 * `hsb:sess:{HMAC(sess:<id>)}` → sealed `{ s: start, d: session }`, written with `SET … PX min(idle, absolute end − now)`, so a busy
 * session cannot outlive its absolute end in Redis, and one read past it counts as absent whatever the TTL says.
 * Sessions hold no tokens, but do hold the spa-code reference and the sign-out token: sealing them costs microseconds.
 */
export class RedisSessionStore implements SessionStore {
  /** The start time read on this request, so a later write of the same session keeps it (koa-session passes ctx). */
  readonly #startByRequest = new WeakMap<object, { key: string; start: number }>();

  constructor(
    private readonly connection: RedisConnection,
    private readonly cipher: CacheCipher,
    private readonly options: { absoluteTimeoutMs: number; log: Logger; now?: () => number },
  ) {}

  async get(key: string, _maxAge?: number, options?: { ctx?: unknown }): Promise<Record<string, unknown> | null> {
    const found = await this.connection.readFirst('session get', this.#context(key));
    if (!found) return null;
    const sealed = found.value;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(this.cipher.open(sealed, this.#context(key))) as Envelope;
      if (typeof envelope?.s !== 'number' || !envelope.d || typeof envelope.d !== 'object')
        throw new SyntaxError('not a session');
    } catch (err) {
      this.options.log.warn(
        { reason: err instanceof SealedValueError ? err.reason : 'invalid_json' },
        'session unreadable; treating it as absent',
      );
      return null;
    }
    if (this.#now() - envelope.s >= this.options.absoluteTimeoutMs) {
      await this.destroy(key);
      return null;
    }
    if (isObject(options?.ctx)) this.#startByRequest.set(options.ctx, { key, start: envelope.s });
    if (CacheCipher.keyIdOf(sealed) !== this.cipher.currentKeyId || found.name !== this.#key(key)) {
      // Sealed with an older key: re-seal with the current one now (same TTL, only if still there), since sessions are
      // not rewritten on every request and the old key should be droppable after the rotation. Key names rotate with
      // the keys, so a session found under an older name moves to the current one (GET + SET + DEL: the two names are
      // in different cluster slots, so no RENAME).
      const resealed = this.cipher.seal(JSON.stringify(envelope), this.#context(key));
      if (found.name === this.#key(key)) {
        await this.connection.run('session reseal', (r) => r.set(this.#key(key), resealed, 'KEEPTTL', 'XX'));
      } else {
        const ttl = await this.connection.run('session reseal', (r) => r.pttl(found.name));
        if (ttl > 0)
          await this.connection.run('session reseal', (r) => r.set(this.#key(key), resealed, 'PX', ttl, 'NX'));
        await this.connection.run('session reseal', (r) => r.del(found.name));
      }
    }
    return envelope.d;
  }

  async set(key: string, session: Record<string, unknown>, maxAge: number, options?: { ctx?: unknown }): Promise<void> {
    const now = this.#now();
    const start = this.#startOf(key, session, options?.ctx, now);
    const remaining = start + this.options.absoluteTimeoutMs - now;
    if (remaining <= 0) {
      await this.destroy(key);
      return;
    }
    const idle = Number.isFinite(maxAge) && maxAge > 0 ? maxAge : remaining;
    const ttl = Math.max(1, Math.ceil(Math.min(idle, remaining)));
    const sealed = this.cipher.seal(JSON.stringify({ s: start, d: session } satisfies Envelope), this.#context(key));
    // XX when this request only loaded the session: never recreate one that sign-out or logout destroyed meanwhile.
    if (mustAlreadyExist(key, options?.ctx))
      await this.connection.run('session set', (r) => r.set(this.#key(key), sealed, 'PX', ttl, 'XX'));
    else await this.connection.run('session set', (r) => r.set(this.#key(key), sealed, 'PX', ttl));
  }

  async destroy(key: string): Promise<void> {
    await this.connection.deleteAll('session destroy', this.#context(key));
  }

  /** The sign-in time when the session has one (kept across id regeneration), else when this session id was first stored. */
  #startOf(key: string, session: Record<string, unknown>, ctx: unknown, now: number): number {
    if (typeof session.createdAt === 'number' && Number.isFinite(session.createdAt) && session.createdAt <= now)
      return session.createdAt;
    const known = isObject(ctx) ? this.#startByRequest.get(ctx) : undefined;
    return known && known.key === key ? known.start : now;
  }

  #context(key: string): string {
    return `sess:${key}`;
  }

  #key(key: string): string {
    return this.connection.key(this.#context(key));
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}
