// What the BFF's instrumentation hooks receive: a tracer and/or metrics, each null when off (then the hooks add nothing).
import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import type { BffMetrics } from './metrics';

export interface Observability {
  /** Null unless OTEL_EXPORTER_OTLP_ENDPOINT is set (or a test injects one). */
  tracer: Tracer | null;
  /** Null unless METRICS_PORT is set (or a test injects them). */
  metrics: BffMetrics | null;
}

export const NO_OBSERVABILITY: Observability = Object.freeze({ tracer: null, metrics: null });

/**
 * Runs `fn` inside a child span of the active one (a no-op wrapper without a tracer). The span ends when `fn` settles;
 * a rejection marks it as an error with the error's class name only (messages may carry user input).
 */
export async function inSpan<T>(
  tracer: Tracer | null,
  name: string,
  attributes: Attributes,
  fn: (span: Span | null) => Promise<T>,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<T> {
  if (!tracer) return fn(null);
  const span = tracer.startSpan(name, { kind, attributes }, context.active());
  try {
    return await context.with(trace.setSpan(context.active(), span), () => fn(span));
  } catch (err) {
    span.setStatus({ code: SpanStatusCode.ERROR });
    span.setAttribute('error.type', errorType(err));
    throw err;
  } finally {
    span.end();
  }
}

/** A low-cardinality, secret-free name for an error: its stable code when it has one, else its class name. */
export function errorType(err: unknown): string {
  const e = err as { errorCode?: unknown; code?: unknown; name?: unknown };
  for (const v of [e?.errorCode, e?.code, e?.name]) {
    if (typeof v === 'string' && /^[A-Za-z][\w.-]{0,63}$/.test(v)) return v;
  }
  return 'Error';
}

/**
 * Keeps a label's values bounded: the first `max` distinct values pass, later new ones become "other", and anything
 * that is not a short identifier is "other" right away. Protects Prometheus from values an attacker can vary.
 */
export function boundedLabel(max = 50): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (!/^[A-Za-z][\w.-]{0,63}$/.test(value)) return 'other';
    if (seen.has(value)) return value;
    if (seen.size >= max) return 'other';
    seen.add(value);
    return value;
  };
}
