// Wraps the storage backends: latency and errors per store and operation (both backends), a child span per operation
// for Redis, spa codes issued/delivered, and the memory store's session count. Keys and values are never recorded.
import { SpanKind } from '@opentelemetry/api';
import type { Stores } from '../services';
import { inSpan, type Observability } from './observability';

type Backend = 'memory' | 'redis';

/** Every async method of `target` timed under `store`; other properties (e.g. `size`) read through unchanged. */
function instrument<T extends object>(
  target: T,
  store: string,
  backend: Backend,
  obs: Observability,
  onResult?: (op: string, args: unknown[], result: unknown) => void,
): T {
  const tracer = backend === 'redis' ? obs.tracer : null;
  const { metrics } = obs;
  return new Proxy(target, {
    get(t, prop) {
      // Bound to the real object: stores keep their state in private fields a proxy receiver cannot reach.
      const value: unknown = Reflect.get(t, prop, t);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      const method = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]) => {
        const started = performance.now();
        const labels = { store, operation: prop, backend };
        const run = () => Promise.resolve(method.apply(t, args));
        return inSpan(
          tracer,
          `${backend} ${store}.${prop}`,
          { 'db.system.name': backend, 'db.operation.name': prop, 'hsb.store': store },
          run,
          SpanKind.CLIENT,
        ).then(
          (result) => {
            metrics?.storeDuration.observe(labels, (performance.now() - started) / 1000);
            onResult?.(prop, args, result);
            return result;
          },
          (err: unknown) => {
            metrics?.storeDuration.observe(labels, (performance.now() - started) / 1000);
            metrics?.storeErrors.inc(labels);
            throw err;
          },
        );
      };
    },
  });
}

export function instrumentStores(stores: Stores, backend: Backend, obs: Observability): Stores {
  const { metrics } = obs;
  if (!obs.tracer && !metrics) return stores;
  const sessions = stores.sessions as Stores['sessions'] & { size?: unknown };
  if (metrics && typeof sessions.size === 'number') metrics.countSessionsWith(() => sessions.size as number);
  return {
    ...stores,
    sessions: instrument(stores.sessions, 'sessions', backend, obs),
    tokenCache: instrument(stores.tokenCache, 'token_cache', backend, obs),
    loginTransactions: instrument(stores.loginTransactions, 'login_transactions', backend, obs),
    spaCodes: instrument(stores.spaCodes, 'spa_codes', backend, obs, (op, args, result) => {
      // A grant may carry an IdP error instead of a code (fresh-code round trip): only real codes count.
      if (op === 'put' && isCodeGrant(args[1])) metrics?.spaCodes.inc({ event: 'issued' });
      else if (op === 'take' && isCodeGrant(result)) metrics?.spaCodes.inc({ event: 'delivered' });
    }),
    sidIndex: instrument(stores.sidIndex, 'sid_index', backend, obs),
  };
}

function isCodeGrant(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'string';
}
