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
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name, help, labelNames, registers });
  const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) =>
    new Histogram<L>({ name, help, labelNames, buckets, registers });
  return {
    registry,
    httpRequests: counter('hsb_http_requests_total', 'HTTP requests by route template and status', [
      'method',
      'route',
      'status',
    ]),
    httpDuration: histogram(
      'hsb_http_request_duration_seconds',
      'HTTP request duration',
      ['method', 'route', 'status'],
      SECONDS_FAST,
    ),
    signIns: counter('hsb_signins_total', 'Sign-ins started, completed and failed (by reason)', ['event', 'reason']),
    spaCodes: counter(
      'hsb_spa_codes_total',
      'Hybrid spa codes issued at the callback and delivered in a bootstrap page',
      ['event'],
    ),
    serverTokens: counter(
      'hsb_server_token_acquisitions_total',
      'Server-side token acquisitions by source (cache, refresh, identity_provider)',
      ['source', 'flow', 'outcome'],
    ),
    downstreamRequests: counter(
      'hsb_downstream_requests_total',
      'Outbound calls by target (entra, graph, key_vault, managed_identity) and status',
      ['target', 'status'],
    ),
    downstreamDuration: histogram(
      'hsb_downstream_request_duration_seconds',
      'Outbound call duration',
      ['target'],
      SECONDS_FAST,
    ),
    storeDuration: histogram(
      'hsb_store_operation_duration_seconds',
      'Session/token-cache/one-time store operation latency',
      ['store', 'operation', 'backend'],
      SECONDS_FAST,
    ),
    storeErrors: counter('hsb_store_errors_total', 'Failed store operations', ['store', 'operation', 'backend']),
    spaAuthDuration: histogram(
      'hsb_spa_auth_duration_seconds',
      'msal-browser operation duration reported by the SPA',
      ['operation', 'outcome'],
      SECONDS_BROWSER,
    ),
    spaAuthEvents: counter(
      'hsb_spa_auth_events_total',
      'msal-browser operations reported by the SPA, by outcome and error code',
      ['operation', 'outcome', 'error'],
    ),
    beaconRejected: counter('hsb_spa_beacon_rejected_total', 'Beacon requests refused (rate limited, invalid)', [
      'reason',
    ]),
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
