// OpenTelemetry tracing: a tracer provider exporting over OTLP/HTTP (or to a given exporter in tests), with an
// AsyncLocalStorage context manager so child spans find their request span across awaits. Loaded only when tracing is
// configured (main.ts imports this module dynamically), so a BFF without OTEL_EXPORTER_OTLP_ENDPOINT never loads the SDK.
import { context, propagation, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';

export interface Tracing {
  tracer: Tracer;
  /** Flushes pending spans and stops exporting (on shutdown). */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  serviceName: string;
  /** OTLP/HTTP collector base URL; spans go to `${otlpEndpoint}/v1/traces`. */
  otlpEndpoint?: string;
  /** Exports every span at once to this exporter instead (tests: InMemorySpanExporter). */
  exporter?: SpanExporter;
  serviceVersion?: string;
}

let contextManagerInstalled = false;

export async function createTracing(options: TracingOptions): Promise<Tracing> {
  let processor;
  if (options.exporter) processor = new SimpleSpanProcessor(options.exporter);
  else if (options.otlpEndpoint) {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    processor = new BatchSpanProcessor(new OTLPTraceExporter({ url: `${options.otlpEndpoint}/v1/traces` }));
  } else throw new TypeError('createTracing needs an otlpEndpoint or an exporter');
  // The context manager and propagator are process-wide state in the OpenTelemetry API; install them once.
  if (!contextManagerInstalled) {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    contextManagerInstalled = true;
  }
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': options.serviceName,
      ...(options.serviceVersion ? { 'service.version': options.serviceVersion } : {}),
    }),
    spanProcessors: [processor],
  });
  return {
    tracer: provider.getTracer('hybrid-spa-bff'),
    shutdown: () => provider.shutdown(),
  };
}
