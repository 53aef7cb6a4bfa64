// A movable clock: every expiry decision in the emulator reads it, so tests can jump ahead instead of waiting.

export interface Clock {
  /** Milliseconds since the epoch, shifted by every `advance` so far. */
  now(): number;
  /** Whole seconds since the epoch (the unit of JWT time claims). */
  nowSeconds(): number;
  /** Moves the clock forward (or back, with a negative value). */
  advance(ms: number): void;
  /** Drops every shift made with `advance`. */
  reset(): void;
  /** The sum of every `advance` since the last reset (ms); what --state-dir saves. */
  offset(): number;
}

export function createClock(realNow: () => number = Date.now): Clock {
  let offset = 0;
  const now = () => realNow() + offset;
  return {
    now,
    nowSeconds: () => Math.floor(now() / 1000),
    advance(ms) {
      if (!Number.isFinite(ms)) throw new TypeError('advance(ms) needs a finite number of milliseconds');
      offset += ms;
    },
    reset() {
      offset = 0;
    },
    offset: () => offset,
  };
}
