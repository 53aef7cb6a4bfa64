// Reports msal-browser's own timings (acquireTokenByCode, silent, redirect…) to the BFF's beacon, so operators see the
// browser half of the hybrid flow in the same metrics. Only operation, duration, outcome and MSAL's error code leave
// the browser — never the account, correlation id, scopes or anything token-shaped. At most one beacon per 5 s.
import type { IPublicClientApplication } from '@azure/msal-browser';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../../../shared-types/api';
import {
  AUTH_TELEMETRY_MAX_EVENTS,
  AUTH_TELEMETRY_OPERATIONS,
  AUTH_TELEMETRY_PATH,
  type AuthTelemetryEvent,
  type AuthTelemetryOperation,
} from '../../../shared-types/authTelemetry';

const OPERATIONS = new Set<string>(AUTH_TELEMETRY_OPERATIONS);
/** At most one beacon per this many ms (the BFF also limits each account to 60 a minute). */
const MIN_INTERVAL_MS = 5_000;

export interface BeaconOptions {
  send?: (body: string) => void;
  /** Clock in ms (tests pass a fake). */
  now?: () => number;
  /** Runs the send after the current burst of events (default: a microtask). */
  defer?: (fn: () => void) => void;
}

/** Only the allow-listed fields of an msal-browser performance event, or null when it is not one we report. */
export function toTelemetryEvent(e: {
  name: string;
  durationMs?: number;
  success?: boolean | null;
  errorCode?: string;
}): AuthTelemetryEvent | null {
  if (
    !OPERATIONS.has(e.name) ||
    typeof e.durationMs !== 'number' ||
    !Number.isFinite(e.durationMs) ||
    typeof e.success !== 'boolean'
  )
    return null;
  const errorCode =
    !e.success && typeof e.errorCode === 'string' && /^[a-z0-9_]{1,64}$/.test(e.errorCode) ? e.errorCode : undefined;
  return {
    operation: e.name as AuthTelemetryOperation,
    durationMs: Math.min(600_000, Math.max(0, Math.round(e.durationMs))),
    success: e.success,
    ...(errorCode ? { errorCode } : {}),
  };
}

function postBeacon(body: string): void {
  // keepalive: a redirect's event is reported while the page is navigating away.
  void fetch(AUTH_TELEMETRY_PATH, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', [CSRF_HEADER]: CSRF_HEADER_VALUE },
    body,
    credentials: 'same-origin',
    keepalive: true,
  }).catch(() => undefined);
}

/**
 * Subscribes to the PCA's performance events; returns a function that sends what is queued (call it on pagehide).
 * No timers: a beacon goes out right after a burst of events unless one went out less than 5 s ago; then the events
 * wait for the next burst (or pagehide). So an idle tab never sends anything.
 */
export function startAuthPerformanceBeacon(
  msal: Pick<IPublicClientApplication, 'addPerformanceCallback'>,
  options: BeaconOptions = {},
): () => void {
  const send = options.send ?? postBeacon;
  const now = options.now ?? (() => performance.now());
  const defer = options.defer ?? ((fn: () => void) => queueMicrotask(fn));
  let queue: AuthTelemetryEvent[] = [];
  let lastSent = -Infinity;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (!queue.length) return;
    lastSent = now();
    const events = queue.slice(0, AUTH_TELEMETRY_MAX_EVENTS);
    queue = [];
    send(JSON.stringify({ events }));
  };
  msal.addPerformanceCallback((events) => {
    for (const e of events) {
      const event = toTelemetryEvent(e);
      if (event && queue.length < AUTH_TELEMETRY_MAX_EVENTS) queue.push(event);
    }
    if (queue.length && !scheduled && now() - lastSent >= MIN_INTERVAL_MS) {
      scheduled = true;
      defer(flush);
    }
  });
  return flush;
}
