// Where per-user MSAL cache blobs live, one key per homeAccountId; memory by default, Redis when instances share state.
import { TtlMap } from '../store/ttlMap';

export interface TokenCacheStore {
  /** The serialized MSAL cache for a partition, or null when there is none. */
  get(partitionKey: string): Promise<string | null>;
  set(partitionKey: string, blob: string): Promise<void>;
  /** Removes the partition entirely (sign-out): no empty blob is left behind. */
  delete(partitionKey: string): Promise<void>;
}

/** Bounded in-memory store: least recently used partitions beyond `maxEntries` are dropped, entries expire after `ttlMs`. */
export class MemoryTokenCacheStore implements TokenCacheStore {
  readonly #entries: TtlMap<string>;

  constructor(private readonly options: { ttlMs: number; maxEntries: number; now?: () => number }) {
    this.#entries = new TtlMap({ maxEntries: options.maxEntries, ...(options.now ? { now: options.now } : {}) });
  }

  async get(partitionKey: string): Promise<string | null> {
    return this.#entries.get(partitionKey, { touch: true }) ?? null;
  }

  async set(partitionKey: string, blob: string): Promise<void> {
    this.#entries.set(partitionKey, blob, this.options.ttlMs);
  }

  async delete(partitionKey: string): Promise<void> {
    this.#entries.delete(partitionKey);
  }

  get size(): number {
    return this.#entries.size;
  }
}
