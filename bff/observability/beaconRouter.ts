// POST /api/telemetry/auth: the SPA's msal-browser timings become metrics. Under /api, so the CSRF header is required;
// rate-limited per signed-in account (per client IP without a session); a strict schema refuses anything beyond
// operation, duration, outcome and error code.
import Router from '@koa/router';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { z } from 'zod';
import {
  AUTH_TELEMETRY_MAX_EVENTS,
  AUTH_TELEMETRY_OPERATIONS,
  AUTH_TELEMETRY_PATH,
  type AuthTelemetryBody,
} from '../../shared-types/authTelemetry';
import { AppError, BadRequestError } from '../http/errors';
import { getUser } from '../session/sessionAccess';
import { boundedLabel } from './observability';
import type { BffMetrics } from './metrics';

/** The wire format both sides share: the schema must accept exactly AuthTelemetryBody. */
const beaconBody: z.ZodType<AuthTelemetryBody> = z
  .object({
    events: z
      .array(
        z
          .object({
            operation: z.enum(AUTH_TELEMETRY_OPERATIONS),
            durationMs: z.number().finite().min(0).max(600_000),
            success: z.boolean(),
            errorCode: z
              .string()
              .regex(/^[a-z0-9_]{1,64}$/)
              .optional(),
          })
          .strict(),
      )
      .min(1)
      .max(AUTH_TELEMETRY_MAX_EVENTS),
  })
  .strict();

export interface BeaconRouterDeps {
  /** Null when metrics are off: the beacon is still accepted (the SPA cannot tell) and dropped. */
  metrics: BffMetrics | null;
  /**
   * Beacons per signed-in account per minute (default 60: the SPA sends at most one every 5 s per tab, so five busy
   * tabs). Keyed by account, not by IP: an enterprise's users share a few egress addresses, whose budget a handful of
   * tabs would spend.
   */
  perAccountPerMinute?: number;
  /** Beacons per client IP per minute from requests without a session (default 12). */
  anonymousPerIpPerMinute?: number;
}

export function createBeaconRouter(deps: BeaconRouterDeps): Router {
  const router = new Router();
  const perAccount = new RateLimiterMemory({
    points: deps.perAccountPerMinute ?? 60,
    duration: 60,
    keyPrefix: 'auth-beacon-account',
  });
  const perIp = new RateLimiterMemory({
    points: deps.anonymousPerIpPerMinute ?? 12,
    duration: 60,
    keyPrefix: 'auth-beacon-ip',
  });
  // Error codes come from the browser: bounded, so a script cannot flood Prometheus with label values.
  const errorLabel = boundedLabel(40);

  router.post(AUTH_TELEMETRY_PATH, async (ctx) => {
    const { metrics } = deps;
    try {
      const user = getUser(ctx);
      await (user ? perAccount.consume(user.homeAccountId) : perIp.consume(ctx.ip || 'unknown'));
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      metrics?.beaconRejected.inc({ reason: 'rate_limited' });
      const seconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      throw new AppError(429, 'rate_limited', `Too many telemetry reports. Wait ${seconds} seconds.`, {
        headers: { 'Retry-After': String(seconds) },
        details: { retryAfter: seconds },
        expose: true,
      });
    }
    const parsed = beaconBody.safeParse(ctx.request.body);
    if (!parsed.success) {
      metrics?.beaconRejected.inc({ reason: 'invalid' });
      throw new BadRequestError(
        `Send {"events":[{"operation","durationMs","success","errorCode"?}]} with 1–${AUTH_TELEMETRY_MAX_EVENTS} events; operation one of ${AUTH_TELEMETRY_OPERATIONS.join(', ')}; no other fields.`,
        { code: 'invalid_telemetry' },
      );
    }
    if (metrics) {
      for (const e of parsed.data.events) {
        const outcome = e.success ? 'success' : 'failure';
        metrics.spaAuthDuration.observe({ operation: e.operation, outcome }, e.durationMs / 1000);
        metrics.spaAuthEvents.inc({
          operation: e.operation,
          outcome,
          error: e.success ? '' : errorLabel(e.errorCode ?? 'unknown'),
        });
      }
    }
    ctx.status = 204;
  });
  return router;
}
