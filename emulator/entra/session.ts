// The emulator's sign-in session cookie (on the emulator origin, like Entra's ESTSAUTH).
import { createHash } from 'node:crypto';
import type { EmulatorContext } from '../context';
import { cookies, type EmuRequest } from '../http/types';
import type { Session } from '../state/store';
import { newGuid, opaque } from './tokenIssuer';

export const SESSION_COOKIE = 'ESTSAUTH';
/** Entra sessions outlive any test run; the emulator only ends them on sign-out or through the admin API. */
const SESSION_MAX_AGE_S = 24 * 3600;

export function readSession(ctx: EmulatorContext, req: EmuRequest): Session | undefined {
  const id = cookies(req)[SESSION_COOKIE];
  return id ? ctx.store.sessions.get(id) : undefined;
}

/** Starts a session for the user and returns the Set-Cookie value (SameSite=None so iframes/prompt=none see it). */
export function startSession(ctx: EmulatorContext, userKey: string): { session: Session; setCookie: string } {
  const session: Session = {
    id: opaque(32),
    sid: newGuid(),
    userKey,
    createdAt: ctx.clock.now(),
    clientIds: new Set(),
  };
  ctx.store.sessions.set(session.id, session);
  return {
    session,
    setCookie: `${SESSION_COOKIE}=${session.id}; Path=/; Max-Age=${SESSION_MAX_AGE_S}; HttpOnly; Secure; SameSite=None`,
  };
}

export const clearSessionCookie = `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=None`;

/** session_state for the authorize response: derived from, but not revealing, the session id. */
export function sessionState(session: Session): string {
  const h = createHash('sha256').update(session.id).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
