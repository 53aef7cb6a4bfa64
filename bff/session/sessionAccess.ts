// Typed access to the koa-session object: the only code that touches ctx.session (untyped in koa-session 7).
import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import type { AppContext } from '../http/appState';
import type { OneTimeStore } from '../store/oneTimeStore';

/** The signed-in user as the server keeps it: enough to address MSAL's cache without reading it first. */
export interface SessionUser {
  homeAccountId: string;
  localAccountId: string;
  environment: string;
  tenantId: string;
  username: string;
  name: string;
  loginHint: string | null;
  /** Entra session id (the `sid` claim), used by front-channel logout. */
  sid: string | null;
  /**
   * App roles from the ID token's `roles` claim at the last interactive sign-in or consent (a role assigned or removed
   * later counts from the next sign-in, as with Entra's own tokens). Absent in sessions started before roles existed.
   */
  roles?: string[];
  /** Epoch ms of the last re-authentication that answered a claims challenge (guards against redirect loops). */
  claimsReauthAt?: number;
}

interface SessionData {
  user?: SessionUser;
  /** Epoch ms of sign-in, for the absolute lifetime. */
  createdAt?: number;
  /** Random value the sign-out URL must carry, so sign-out cannot be triggered cross-site. */
  signOutToken?: string;
  /** Key of this session's pending one-time spa code (or spa-code error) in the one-time store. */
  spaCodeRef?: string;
  /** Entra issued no spa code at sign-in (personal accounts): fresh-code round trips cannot succeed for this session. */
  spaCodeUnavailable?: boolean;
}

/** What front-channel logout needs to end a session it cannot see the cookie of. */
export interface SidIndexEntry {
  sessionKey: string;
  homeAccountId: string;
}

function data(ctx: Context): SessionData | null {
  return (ctx.session as unknown as SessionData | null) ?? null;
}

export function getUser(ctx: Context): SessionUser | null {
  return data(ctx)?.user ?? null;
}

export function getSignOutToken(ctx: Context): string | null {
  return data(ctx)?.signOutToken ?? null;
}

export function isSpaCodeUnavailable(ctx: Context): boolean {
  return data(ctx)?.spaCodeUnavailable === true;
}

export function getSessionCreatedAt(ctx: Context): number | null {
  return data(ctx)?.createdAt ?? null;
}

/** Returns the pending spa-code reference and forgets it (one-time delivery). */
export function takeSpaCodeRef(ctx: Context): string | null {
  const d = data(ctx);
  const ref = d?.spaCodeRef ?? null;
  if (d && ref) delete d.spaCodeRef;
  return ref;
}

/**
 * Starts a fresh session for `user` under a new session id (regenerated: defeats session fixation). `continuing`
 * (consent, fresh spa code) keeps the same user's sign-in time — an interactive sign-in restarts the absolute
 * lifetime — and keeps the sign-out token, so Sign out still works in the user's other open tabs.
 */
export async function startUserSession(
  ctx: AppContext,
  user: SessionUser,
  options: {
    spaCodeRef: string | null;
    continuing?: boolean;
    /** Entra returned no spa code for this account (see SessionData.spaCodeUnavailable). */
    spaCodeUnavailable?: boolean;
    sidIndex?: OneTimeStore<SidIndexEntry>;
    absoluteTimeoutMs?: number;
  },
): Promise<void> {
  const previous = data(ctx);
  const continuing = options.continuing === true && previous?.user?.homeAccountId === user.homeAccountId;
  const createdAt = continuing && previous?.createdAt ? previous.createdAt : Date.now();
  const signOutToken =
    continuing && previous?.signOutToken ? previous.signOutToken : randomBytes(24).toString('base64url');
  const session = ctx.session as unknown as SessionData & Record<string, unknown>;
  for (const k of Object.keys(session)) if (!k.startsWith('_')) delete session[k];
  Object.assign(session, {
    user,
    createdAt,
    signOutToken,
    ...(options.spaCodeRef ? { spaCodeRef: options.spaCodeRef } : {}),
    ...(options.spaCodeUnavailable ? { spaCodeUnavailable: true } : {}),
  } satisfies SessionData);
  await ctx.session!.regenerate();
  const sessionKey = ctx.state.sessionKey;
  if (options.sidIndex && user.sid && sessionKey) {
    await options.sidIndex.put(
      user.sid,
      { sessionKey, homeAccountId: user.homeAccountId },
      options.absoluteTimeoutMs ?? 24 * 3_600_000,
    );
  }
}

export function clearSession(ctx: Context): void {
  ctx.session = null;
}
