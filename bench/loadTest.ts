// Rows 1 and 3: a server under load from a second process (autocannon) on loopback, after a short discarded warm-up.
import { runChild } from './children';
import type { LoadOptions, LoadSummary } from './loadWorker';

export const WARMUP_SECONDS = 3;

export async function runLoad(options: LoadOptions): Promise<LoadSummary> {
  await runChild<LoadSummary>('./loadWorker.ts', [JSON.stringify({ ...options, durationSeconds: WARMUP_SECONDS })]);
  return runChild<LoadSummary>('./loadWorker.ts', [JSON.stringify(options)]);
}

/** Requests that failed: non-2xx answers plus socket errors (timeouts included). */
export function errorCount(s: LoadSummary): number {
  return s.non2xx + s.socketErrors;
}
