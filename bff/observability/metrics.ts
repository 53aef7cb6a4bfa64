// The BFF's Prometheus metrics (prom-client) on their own registry; every label value is a bounded identifier, never
// a token, code, user or raw path.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const SECONDS_FAST = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const SECONDS_BROWSER = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30];

export interface BffMetrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** event: started | completed | failed; reason: '' unless failed. */
  signIns: Counter<'event' | 'reason'>;
  /** event: issued (stored at the callback) | delivered (taken into a bootstrap page). */
  spaCodes: Counter<'event'>;
  /** source: cache | refresh | identity_provider; outcome: success or an error code. */
  serverTokens: Counter<'source' | 'flow' | 'outcome'>;
  downstreamRequests: Counter<'target' | 'status'>;
  downstreamDuration: Histogram<'target'>;
  storeDuration: Histogram<'store' | 'operation' | 'backend'>;
  storeErrors: Counter<'store' | 'operation' | 'backend'>;
  /** msal-browser performance events the SPA reported through the beacon. */
  spaAuthDuration: Histogram<'operation' | 'outcome'>;
  spaAuthEvents: Counter<'operation' | 'outcome' | 'error'>;
  beaconRejected: Counter<'reason'>;
  /**
   * Registers hsb_active_sessions, read at scrape time (the memory store's size). Not called for Redis, which cannot
   * count cheaply, so the gauge is absent there rather than a misleading 0.
   */
  countSessionsWith(read: () => number): void;
}

export interface MetricsOptions {
  /** Process metrics (CPU, heap, event-loop lag, GC); on in production, off in tests for speed. */
  defaultMetrics?: boolean;
}

export function createMetrics(options: MetricsOptions = {}): BffMetrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'hsb_' });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: 'hsb_http_requests_total',
      help: 'HTTP requests by route template and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'hsb_http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['method', 'route', 'status'],
      buckets: SECONDS_FAST,
      registers,
    }),
    signIns: new Counter({
      name: 'hsb_signins_total',
      help: 'Sign-ins started, completed and failed (by reason)',
      labelNames: ['event', 'reason'],
      registers,
    }),
    spaCodes: new Counter({
      name: 'hsb_spa_codes_total',
      help: 'Hybrid spa codes issued at the callback and delivered in a bootstrap page',
      labelNames: ['event'],
      registers,
    }),
    serverTokens: new Counter({
      name: 'hsb_server_token_acquisitions_total',
      help: 'Server-side token acquisitions by source (cache, refresh, identity_provider)',
      labelNames: ['source', 'flow', 'outcome'],
      registers,
    }),
    downstreamRequests: new Counter({
      name: 'hsb_downstream_requests_total',
      help: 'Outbound calls by target (entra, graph, key_vault, managed_identity) and status',
      labelNames: ['target', 'status'],
      registers,
    }),
    downstreamDuration: new Histogram({
      name: 'hsb_downstream_request_duration_seconds',
      help: 'Outbound call duration',
      labelNames: ['target'],
      buckets: SECONDS_FAST,
      registers,
    }),
    storeDuration: new Histogram({
      name: 'hsb_store_operation_duration_seconds',
      help: 'Session/token-cache/one-time store operation latency',
      labelNames: ['store', 'operation', 'backend'],
      buckets: SECONDS_FAST,
      registers,
    }),
    storeErrors: new Counter({
      name: 'hsb_store_errors_total',
      help: 'Failed store operations',
      labelNames: ['store', 'operation', 'backend'],
      registers,
    }),
    spaAuthDuration: new Histogram({
      name: 'hsb_spa_auth_duration_seconds',
      help: 'msal-browser operation duration reported by the SPA',
      labelNames: ['operation', 'outcome'],
      buckets: SECONDS_BROWSER,
      registers,
    }),
    spaAuthEvents: new Counter({
      name: 'hsb_spa_auth_events_total',
      help: 'msal-browser operations reported by the SPA, by outcome and error code',
      labelNames: ['operation', 'outcome', 'error'],
      registers,
    }),
    beaconRejected: new Counter({
      name: 'hsb_spa_beacon_rejected_total',
      help: 'Beacon requests refused (rate limited, invalid)',
      labelNames: ['reason'],
      registers,
    }),
    countSessionsWith(read) {
      registry.removeSingleMetric('hsb_active_sessions');
      new Gauge({
        name: 'hsb_active_sessions',
        help: 'Sessions held by the in-memory store (expired entries are dropped lazily)',
        registers,
        collect() {
          this.set(read());
        },
      });
    },
  };
}
