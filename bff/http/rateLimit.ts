// Per-IP rate limiting of the /auth endpoints (a sign-in start costs a transaction and an authority round trip; a
// front-channel logout a store lookup and deletes).
import type { Context, Next } from 'koa';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from './errors';

/**
 * In-process limiter, per BFF instance: it never depends on Redis, so a store outage cannot lock every user out of
 * sign-in (it "fails open" across instances: N instances allow N× the limit, which is acceptable for abuse damping).
 */
export function createRateLimit(options: {
  pointsPerMinute: number;
  name: string;
  key?: (ctx: Context) => string;
  /** What is being limited, for the message (default "sign-in attempts"). */
  what?: string;
}) {
  const limiter = new RateLimiterMemory({ points: options.pointsPerMinute, duration: 60, keyPrefix: options.name });
  return async function rateLimit(ctx: Context, next: Next): Promise<void> {
    try {
      await limiter.consume(options.key?.(ctx) ?? (ctx.ip || 'unknown'));
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      const seconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      throw new AppError(
        429,
        'rate_limited',
        `Too many ${options.what ?? 'sign-in attempts'} from your network. Wait ${seconds} seconds and try again.`,
        {
          headers: { 'Retry-After': String(seconds) },
          details: { retryAfter: seconds },
          expose: true,
        },
      );
    }
    await next();
  };
}
