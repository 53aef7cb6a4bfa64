// Where per-user MSAL cache blobs live, one key per homeAccountId; memory by default, Redis when instances share state.
import { TtlMap } from '../store/ttlMap';
import {
  ENDED_MARKER_MS,
  isLive,
  newEndedMarker,
  newLiveGeneration,
  tooOldToCheck,
  type PartitionGeneration,
  type PartitionRead,
} from './generation';

export interface TokenCacheStore {
  /** The serialized MSAL cache for a partition, or null when there is none. */
  get(partitionKey: string): Promise<string | null>;
  /** The blob and the partition's generation, read together (a token acquisition's first read; see generation.ts). */
  read(partitionKey: string): Promise<PartitionRead>;
  /** A sign-in's write: stores `blob` as a new generation of the partition, whatever was there before. */
  set(partitionKey: string, blob: string): Promise<void>;
  /**
   * A token acquisition's write: stored only if the partition is still in the generation `read` saw (in one atomic
   * step). False when refused: the user signed out (or signed in anew) since, and nothing was written.
   */
  setIfCurrent(partitionKey: string, blob: string, read: PartitionGeneration): Promise<boolean>;
  /**
   * Removes the partition entirely (sign-out, front-channel logout) and ends its generation, so a token acquisition that
   * read it before cannot write it back. What stays is a short-lived ended marker, no blob.
   */
  delete(partitionKey: string): Promise<void>;
}

interface Entry {
  blob: string;
  generation: string;
}

/** Bounded in-memory store: least recently used partitions beyond `maxEntries` are dropped, entries expire after `ttlMs`. */
export class MemoryTokenCacheStore implements TokenCacheStore {
  readonly #entries: TtlMap<Entry>;
  /** Ended markers, apart from the partitions: a full store drops partitions, never a marker before its time. */
  readonly #ended: TtlMap<string>;

  constructor(private readonly options: { ttlMs: number; maxEntries: number; now?: () => number }) {
    const clock = options.now ? { now: options.now } : {};
    this.#entries = new TtlMap({ maxEntries: options.maxEntries, ...clock });
    this.#ended = new TtlMap({ maxEntries: options.maxEntries, ...clock });
  }

  async get(partitionKey: string): Promise<string | null> {
    return this.#entries.get(partitionKey, { touch: true })?.blob ?? null;
  }

  async read(partitionKey: string): Promise<PartitionRead> {
    const entry = this.#entries.get(partitionKey, { touch: true });
    return {
      blob: entry?.blob ?? null,
      generation: { id: entry?.generation ?? this.#ended.get(partitionKey) ?? '', readAt: this.#now() },
    };
  }

  async set(partitionKey: string, blob: string): Promise<void> {
    this.#entries.set(partitionKey, { blob, generation: newLiveGeneration() }, this.options.ttlMs);
  }

  async setIfCurrent(partitionKey: string, blob: string, read: PartitionGeneration): Promise<boolean> {
    // Synchronous from here on: nothing else runs between the check and the write.
    if (tooOldToCheck(read, this.#now())) return false;
    // The marker is consulted when the partition is gone, even if a newer generation was dropped for room: an
    // acquisition that read nothing before a sign-out then still finds the sign-out's marker, not "none".
    const current = this.#entries.get(partitionKey)?.generation ?? this.#ended.get(partitionKey) ?? '';
    if (current !== read.id) return false;
    const generation = isLive(current) ? current : newLiveGeneration();
    this.#entries.set(partitionKey, { blob, generation }, this.options.ttlMs);
    return true;
  }

  async delete(partitionKey: string): Promise<void> {
    this.#entries.delete(partitionKey);
    this.#ended.set(partitionKey, newEndedMarker(), ENDED_MARKER_MS);
  }

  /** Partitions held (ended markers are not partitions). */
  get size(): number {
    return this.#entries.size;
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }
}
