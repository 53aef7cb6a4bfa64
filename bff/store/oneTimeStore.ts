// A key/value store whose reads consume: take() returns a value at most once, atomically (login transactions, spa codes).
import { TtlMap } from './ttlMap';

export interface OneTimeStore<T> {
  /** Stores `value` under `key` for `ttlMs`. */
  put(key: string, value: T, ttlMs: number): Promise<void>;
  /** Returns the value and deletes it in one step; null when absent, expired or already taken. */
  take(key: string): Promise<T | null>;
}

/** In-process implementation: fine for one BFF instance; use the Redis one when several share state. */
export class MemoryOneTimeStore<T> implements OneTimeStore<T> {
  // Bounded, so a flood of abandoned sign-ins cannot grow memory without limit (the oldest go first).
  readonly #entries: TtlMap<T>;

  constructor(options: { now?: () => number; maxEntries?: number } = {}) {
    this.#entries = new TtlMap({
      maxEntries: options.maxEntries ?? 100_000,
      ...(options.now ? { now: options.now } : {}),
    });
  }

  async put(key: string, value: T, ttlMs: number): Promise<void> {
    this.#entries.set(key, value, ttlMs);
  }

  async take(key: string): Promise<T | null> {
    return this.#entries.take(key) ?? null;
  }

  get size(): number {
    return this.#entries.size;
  }
}
