// The koa-session external store contract and its in-memory implementation (cookie holds only an opaque id).

/** What koa-session calls; values are koa-session's JSON session objects. */
export interface SessionStore {
  get(key: string, maxAge?: number, options?: { rolling?: boolean; ctx?: unknown }): Promise<Record<string, unknown> | null | undefined>;
  /** `maxAge` is the idle lifetime in ms; the store should expire the entry after it. */
  set(key: string, session: Record<string, unknown>, maxAge: number, options?: { changed?: boolean; rolling?: boolean; ctx?: unknown }): Promise<void>;
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
  readonly #sessions = new Map<string, { data: string; expiresAt: number }>();

  constructor(private readonly options: { maxEntries?: number; now?: () => number } = {}) {}

  async get(key: string): Promise<Record<string, unknown> | null> {
    const entry = this.#sessions.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= this.#now()) {
      this.#sessions.delete(key);
      return null;
    }
    // Stored as JSON so callers can never mutate the stored copy by reference.
    return JSON.parse(entry.data) as Record<string, unknown>;
  }

  async set(key: string, session: Record<string, unknown>, maxAge: number, options?: { ctx?: unknown }): Promise<void> {
    if (mustAlreadyExist(key, options?.ctx) && !(await this.get(key))) return;
    const ttl = Number.isFinite(maxAge) && maxAge > 0 ? maxAge : 24 * 3_600_000;
    this.#sessions.delete(key);
    this.#sessions.set(key, { data: JSON.stringify(session), expiresAt: this.#now() + ttl });
    const max = this.options.maxEntries ?? 500_000;
    while (this.#sessions.size > max) this.#sessions.delete(this.#sessions.keys().next().value as string);
  }

  async destroy(key: string): Promise<void> {
    this.#sessions.delete(key);
  }

  get size(): number {
    return this.#sessions.size;
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }
}
