// The key/value storage the app keeps per-tab markers and drafts in (window.sessionStorage in the browser).

export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** An in-memory KeyValueStorage, for tests and for browsers where sessionStorage is unavailable. */
export function createMemoryStorage(): KeyValueStorage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
  };
}
