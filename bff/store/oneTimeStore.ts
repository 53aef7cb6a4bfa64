// A key/value store whose reads consume: take() returns a value at most once, atomically (login transactions, spa codes).

export interface OneTimeStore<T> {
  /** Stores `value` under `key` for `ttlMs`. */
  put(key: string, value: T, ttlMs: number): Promise<void>;
  /** Returns the value and deletes it in one step; null when absent, expired or already taken. */
  take(key: string): Promise<T | null>;
}

/** In-process implementation: fine for one BFF instance; use the Redis one when several share state. */
export class MemoryOneTimeStore<T> implements OneTimeStore<T> {
  readonly #entries = new Map<string, { value: T; expiresAt: number }>();
  readonly #now: () => number;
  readonly #maxEntries: number;

  constructor(options: { now?: () => number; maxEntries?: number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#maxEntries = options.maxEntries ?? 100_000;
  }

  async put(key: string, value: T, ttlMs: number): Promise<void> {
    if (this.#entries.size >= this.#maxEntries) this.#evict();
    this.#entries.set(key, { value, expiresAt: this.#now() + ttlMs });
  }

  async take(key: string): Promise<T | null> {
    const entry = this.#entries.get(key);
    if (!entry) return null;
    this.#entries.delete(key);
    return entry.expiresAt > this.#now() ? entry.value : null;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Drops expired entries, then the oldest ones, so a flood of abandoned sign-ins cannot grow memory without bound. */
  #evict(): void {
    const now = this.#now();
    for (const [k, e] of this.#entries) if (e.expiresAt <= now) this.#entries.delete(k);
    for (const k of this.#entries.keys()) {
      if (this.#entries.size < this.#maxEntries) break;
      this.#entries.delete(k);
    }
  }
}
