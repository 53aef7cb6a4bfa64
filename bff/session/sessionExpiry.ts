// When the current session ends (idle and absolute), and per-request control over whether this request extends it.
import type { Context } from 'koa';
import { getSessionCreatedAt, getUser } from './sessionAccess';

export interface SessionExpiry {
  /** Epoch ms at which the session ends for inactivity (never later than `absoluteExpiresAt`). */
  idleExpiresAt: number;
  /** Epoch ms at which the session ends whatever the activity. */
  absoluteExpiresAt: number;
}

interface KoaSessionTimes {
  _expire?: number;
  maxAge?: number | 'session';
  _requireSave?: boolean;
}

function times(ctx: Context): KoaSessionTimes | null {
  return (ctx.session as unknown as KoaSessionTimes | null) ?? null;
}

/**
 * The signed-in session's expiry as it will stand after this request, or null when anonymous. `extending` says whether
 * this request renews it (koa-session then stores `now + idle` at the end of the request); otherwise the stored idle
 * expiry stands.
 */
export function getSessionExpiry(
  ctx: Context,
  options: { idleTimeoutMs: number; absoluteTimeoutMs: number; now: number; extending: boolean },
): SessionExpiry | null {
  if (!getUser(ctx)) return null;
  const createdAt = getSessionCreatedAt(ctx) ?? options.now;
  const absoluteExpiresAt = createdAt + options.absoluteTimeoutMs;
  const stored = times(ctx)?._expire;
  const idle = options.extending || typeof stored !== 'number' ? options.now + options.idleTimeoutMs : stored;
  return { idleExpiresAt: Math.min(idle, absoluteExpiresAt), absoluteExpiresAt };
}

/**
 * This request must not extend the session: koa-session's `renew` would otherwise re-save it (new idle expiry) once
 * less than half the idle time is left, so a tab polling the session would keep it alive forever.
 * ctx.sessionOptions is koa-session's per-request copy of the options.
 */
export function holdSessionExpiry(ctx: Context): void {
  const opts = (ctx as Context & { sessionOptions?: { renew?: boolean; rolling?: boolean } }).sessionOptions;
  if (opts) {
    opts.renew = false;
    opts.rolling = false;
  }
}

/** This request extends the session: it is saved with a new idle expiry (store TTL and cookie) at the end. */
export function extendSession(ctx: Context): void {
  const t = times(ctx);
  if (t && getUser(ctx)) t._requireSave = true;
}

/** Mirrors koa-session's `renew` rule: the session is re-saved once less than half its idle time is left. */
export function renewsOnThisRequest(ctx: Context, idleTimeoutMs: number, now: number): boolean {
  const t = times(ctx);
  if (t?._requireSave) return true;
  return typeof t?._expire !== 'number' || t._expire - now < idleTimeoutMs / 2;
}

/** Whole seconds from `now` to `at`, never negative. */
export function secondsUntil(at: number, now: number): number {
  return Math.max(0, Math.floor((at - now) / 1000));
}
