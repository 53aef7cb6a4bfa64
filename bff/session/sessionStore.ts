// The koa-session external store contract and its in-memory implementation (cookie holds only an opaque id).
import { TtlMap } from '../store/ttlMap';

/** What koa-session calls; values are koa-session's JSON session objects. */
export interface SessionStore {
  get(
    key: string,
    maxAge?: number,
    options?: { rolling?: boolean; ctx?: unknown },
  ): Promise<Record<string, unknown> | null | undefined>;
  /** `maxAge` is the idle lifetime in ms; the store should expire the entry after it. */
  set(
    key: string,
    session: Record<string, unknown>,
    maxAge: number,
    options?: { changed?: boolean; rolling?: boolean; ctx?: unknown },
  ): Promise<void>;
  destroy(key: string, options?: { ctx?: unknown }): Promise<void>;
}

/**
 * True when a write must not create `key`: the request loaded an existing session, which may have been destroyed
 * meanwhile (sign-out, front-channel logout, id regeneration in another request); writing it back would undo that.
 * Only an id generated on this very request (koa-session's genid records it on ctx.state) may be created.
 */
export function mustAlreadyExist(key: string, ctx: unknown): boolean {
  if (!ctx || typeof ctx !== 'object') return false;
  const state = (ctx as { state?: { sessionKey?: unknown } }).state;
  return state?.sessionKey !== key;
}

export class MemorySessionStore implements SessionStore {
  // Stored as JSON so callers can never mutate the stored copy by reference.
  readonly #sessions: TtlMap<string>;

  constructor(options: { maxEntries?: number; now?: () => number } = {}) {
    this.#sessions = new TtlMap({
      maxEntries: options.maxEntries ?? 500_000,
      ...(options.now ? { now: options.now } : {}),
    });
  }

  async get(key: string): Promise<Record<string, unknown> | null> {
    const data = this.#sessions.get(key);
    return data === undefined ? null : (JSON.parse(data) as Record<string, unknown>);
  }

  async set(key: string, session: Record<string, unknown>, maxAge: number, options?: { ctx?: unknown }): Promise<void> {
    if (mustAlreadyExist(key, options?.ctx) && this.#sessions.get(key) === undefined) return;
    const ttl = Number.isFinite(maxAge) && maxAge > 0 ? maxAge : 24 * 3_600_000;
    this.#sessions.set(key, JSON.stringify(session), ttl);
  }

  async destroy(key: string): Promise<void> {
    this.#sessions.delete(key);
  }

  get size(): number {
    return this.#sessions.size;
  }
}
