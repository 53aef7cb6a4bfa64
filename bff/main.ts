// Composition root (production entry, `npm run serve` / the container's CMD): config → logger → tracing and metrics
// (only when configured) → BFF server. SIGTERM/SIGINT: /readyz turns 503, in-flight requests finish, stores close.
import { resolveEnv } from '../config/envFile';
import { loadConfig } from '../config/loadConfig';
import { loadConfigOrExit } from '../config/loadConfigOrExit';
import type { Config } from '../config/types';
import { createLogger, type Logger } from './http/logger';
import type { RunningMetricsServer } from './observability/metricsServer';
import type { Observability } from './observability/observability';
import { startBff, type RunningBff } from './server';

interface Telemetry {
  observability: Observability;
  shutdown(): Promise<void>;
}

/**
 * Tracing only with OTEL_EXPORTER_OTLP_ENDPOINT, metrics only with METRICS_PORT: the OpenTelemetry SDK and prom-client
 * are imported on demand, so a BFF without them does not even load them.
 */
async function createTelemetry(config: Readonly<Config>): Promise<Telemetry> {
  const { otlpEndpoint, serviceName, metricsPort } = config.observability;
  const tracing = otlpEndpoint
    ? await (await import('./observability/tracing')).createTracing({ otlpEndpoint, serviceName })
    : null;
  const metrics =
    metricsPort !== null ? (await import('./observability/metrics')).createMetrics({ defaultMetrics: true }) : null;
  return {
    observability: { tracer: tracing?.tracer ?? null, metrics },
    shutdown: async () => tracing?.shutdown(),
  };
}

async function main(): Promise<void> {
  const config = loadConfigOrExit(() => loadConfig(resolveEnv(process.env, '.env')));
  const log = createLogger(config.log.level);
  if (config.session.keysEphemeral)
    log.warn('SESSION_KEYS is not set: using random keys for this run (sessions end on restart)');
  let telemetry: Telemetry;
  let bff: RunningBff;
  let metricsServer: RunningMetricsServer | null = null;
  try {
    telemetry = await createTelemetry(config);
    bff = await startBff(config, log, { observability: telemetry.observability });
    const { metrics } = telemetry.observability;
    if (metrics && config.observability.metricsPort !== null) {
      const { startMetricsServer } = await import('./observability/metricsServer');
      metricsServer = await startMetricsServer(metrics.registry, config.observability.metricsPort, config.server.host);
    }
  } catch (err) {
    log.fatal((err as Error).message);
    process.exit(1);
  }
  log.info(
    {
      // performance.now() counts from process start: module loading included.
      startupMs: Math.round(performance.now()),
      metricsPort: metricsServer?.port ?? null,
      tracing: telemetry.observability.tracer !== null,
    },
    'ready',
  );
  handleSignals(log, config, bff, async () => {
    await metricsServer?.close();
    await telemetry.shutdown();
  });
}

function handleSignals(
  log: Logger,
  config: Readonly<Config>,
  bff: RunningBff,
  closeTelemetry: () => Promise<void>,
): void {
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second signal: the operator does not want to wait.
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    const { drainMs, graceMs } = config.shutdown;
    log.info({ signal, drainMs, graceMs }, 'shutting down: not ready any more, finishing in-flight requests');
    bff
      .close(graceMs, drainMs)
      .then(closeTelemetry)
      .then(
        () => {
          log.info('shutdown complete');
          process.exit(0);
        },
        (err: Error) => {
          log.error({ err: err.message }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

void main();
