// A bounded in-memory map whose entries expire: the one mechanism behind the memory session, token-cache and one-time stores.

export class TtlMap<V> {
  readonly #entries = new Map<string, { value: V; expiresAt: number }>();

  /** `maxEntries`: beyond it the least recently stored (or touched) entries are dropped, so memory stays bounded. */
  constructor(private readonly options: { maxEntries: number; now?: () => number }) {}

  /** The live value, or undefined (an expired entry is removed). `touch` makes it the most recently used. */
  get(key: string, options: { touch?: boolean } = {}): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    if (options.touch) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    return entry.value;
  }

  /** The live value, removed in the same step (undefined when absent or expired). */
  take(key: string): V | undefined {
    const value = this.get(key);
    this.#entries.delete(key);
    return value;
  }

  set(key: string, value: V, ttlMs: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt: this.#now() + ttlMs });
    while (this.#entries.size > this.options.maxEntries)
      this.#entries.delete(this.#entries.keys().next().value as string);
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }
}
