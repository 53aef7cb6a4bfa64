// Where per-user MSAL cache blobs live, one key per homeAccountId; memory by default, Redis when instances share state.

export interface TokenCacheStore {
  /** The serialized MSAL cache for a partition, or null when there is none. */
  get(partitionKey: string): Promise<string | null>;
  set(partitionKey: string, blob: string): Promise<void>;
  /** Removes the partition entirely (sign-out): no empty blob is left behind. */
  delete(partitionKey: string): Promise<void>;
}

/** Bounded in-memory store: least recently used partitions beyond `maxEntries` are dropped, entries expire after `ttlMs`. */
export class MemoryTokenCacheStore implements TokenCacheStore {
  readonly #entries = new Map<string, { blob: string; expiresAt: number }>();

  constructor(private readonly options: { ttlMs: number; maxEntries: number; now?: () => number }) {}

  async get(partitionKey: string): Promise<string | null> {
    const entry = this.#entries.get(partitionKey);
    if (!entry) return null;
    this.#entries.delete(partitionKey);
    if (entry.expiresAt <= this.#now()) return null;
    this.#entries.set(partitionKey, entry); // most recently used goes last
    return entry.blob;
  }

  async set(partitionKey: string, blob: string): Promise<void> {
    this.#entries.delete(partitionKey);
    this.#entries.set(partitionKey, { blob, expiresAt: this.#now() + this.options.ttlMs });
    while (this.#entries.size > this.options.maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  async delete(partitionKey: string): Promise<void> {
    this.#entries.delete(partitionKey);
  }

  get size(): number {
    return this.#entries.size;
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }
}
