// Whether a DEBUG value (the `debug` package's namespace list, read by ioredis, koa and others) switches on a namespace.
// Written here rather than asking `debug` itself: its `enable()` changes process-wide state, and config stays pure.
// Same rules as debug 4: names split on commas and whitespace, `-name` skips, `*` matches any run of characters, and
// a skip wins over a match.

/** True when `namespace` would print with DEBUG=`value`. */
export function debugEnables(value: string | undefined, namespace: string): boolean {
  const names = (value ?? '').split(/[\s,]+/).filter(Boolean);
  const matches = (pattern: string) =>
    new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*?')}$`).test(namespace);
  if (names.some((n) => n.startsWith('-') && matches(n.slice(1)))) return false;
  return names.some((n) => !n.startsWith('-') && matches(n));
}

/** ioredis logs every command it writes, AUTH and its password or Entra token included, under this namespace. */
export const IOREDIS_COMMAND_NAMESPACE = 'ioredis:redis';
