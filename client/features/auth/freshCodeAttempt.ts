// Remembers, per tab, that a fresh spa code was already asked for, so a failing fresh code cannot loop.
import type { KeyValueStorage } from '../../app/storage';

const KEY = 'hybrid-spa:fresh-code-attempted';

export function hasTriedFreshCode(storage: KeyValueStorage): boolean {
  return storage.getItem(KEY) !== null;
}

export function markFreshCodeTried(storage: KeyValueStorage, at: number): void {
  storage.setItem(KEY, String(at));
}

/** Called once the SPA holds a token again, so a later expiry in this tab may use the cheap fresh-code route again. */
export function clearFreshCodeTried(storage: KeyValueStorage): void {
  storage.removeItem(KEY);
}
