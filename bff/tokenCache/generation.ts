// Partition generations: how sign-out keeps a token acquisition that was already running from writing a partition back.
import { randomBytes } from 'node:crypto';

/**
 * Each partition has a generation next to it:
 *   `live:<id>`  — started by a sign-in's write (or by a write that found none, see below); kept while the partition is
 *   `ended:<id>` — left by sign-out (and front-channel logout) in place of the partition, for ENDED_MARKER_MS
 *   none         — never signed in, expired, or written before generations existed
 * The ids are random (never reused), so a generation that ended and a later one never compare equal.
 *
 * The rule: a token acquisition for a signed-in user (refresh, incremental consent, fresh spa code) remembers the
 * generation of its *first* read, and its write is stored only if the partition is still in that generation. A sign-out
 * in between changed it (ended), and so did a new sign-in (a new live id): the write is refused, so nothing the
 * signed-out session was fetching lands after the sign-out. A sign-in's own write (the user is not known before the
 * code is redeemed, so nothing was read) always starts a new generation: signing in again right after signing out works.
 *
 * A write whose read saw a live generation may come any time later. A write whose read saw none or an ended marker
 * (a code redemption for a session whose partition had expired) starts a new generation if there still is none / the
 * same marker; that check relies on the ended marker, so such a write must come within MAX_UNANCHORED_WRITE_AGE_MS of
 * its read, well inside the marker's lifetime, or it is refused.
 */
export interface PartitionGeneration {
  /** `live:…`, `ended:…`, or '' (none). */
  readonly id: string;
  /** When it was read (the store's clock, milliseconds). */
  readonly readAt: number;
}

export interface PartitionRead {
  blob: string | null;
  generation: PartitionGeneration;
}

/** How long an ended marker stays. Small and holds no personal data: a random id under a keyed-hash name. */
export const ENDED_MARKER_MS = 10 * 60_000;

/** A write that read no live generation must come within this time of its read (half the marker's lifetime). */
export const MAX_UNANCHORED_WRITE_AGE_MS = ENDED_MARKER_MS / 2;

const LIVE = 'live:';
const ENDED = 'ended:';

export function newLiveGeneration(): string {
  return LIVE + randomBytes(16).toString('base64url');
}

export function newEndedMarker(): string {
  return ENDED + randomBytes(16).toString('base64url');
}

export function isLive(id: string): boolean {
  return id.startsWith(LIVE);
}

/** True when a write based on `read` can no longer be checked safely and must be refused (see the rule above). */
export function tooOldToCheck(read: PartitionGeneration, now: number): boolean {
  return !isLive(read.id) && now - read.readAt > MAX_UNANCHORED_WRITE_AGE_MS;
}
