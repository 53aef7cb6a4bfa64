// Test hooks: the in-process admin API and its HTTP mirror under /_emulator/* (for browser tests in other processes).
import type { EmulatorContext } from './context';
import { consentKey } from './entra/scopes';
import type { ActiveFault, FaultSpec } from './faults';
import { json, jsonBody, type EmuRequest, type EmuResponse, type Handler } from './http/types';
import { createIdentityAdmin, type IdentityAdmin } from './identityAdmin';
import type { RequestLogEntry } from './requestLog';
import type { SeedApp } from './seedTypes';
import { consentMapKey, type SentMail } from './state/store';

export interface EmulatorAdmin extends IdentityAdmin {
  /** Replaces (or delays) the next `times` responses of an endpoint. */
  fail(spec: FaultSpec): { id: string };
  faults(): ActiveFault[];
  clearFaults(): void;
  /** Revokes every refresh token of a user (username, key or oid); returns how many. */
  revokeRefreshTokens(user: string): number;
  /** Ends the emulator sign-in sessions of one user, or all; returns how many. */
  endSessions(user?: string): number;
  requests(filter?: { service?: RequestLogEntry['service']; pathIncludes?: string }): RequestLogEntry[];
  clearRequests(): void;
  outbox(): SentMail[];
  clearOutbox(): void;
  /** Moves the emulator clock; returns the new emulator time (epoch ms). */
  advance(ms: number): number;
  now(): number;
  grantConsent(user: string, clientId: string, scopes: string[]): void;
  /** Removes the given scopes (all when omitted) from a user's consent to an app. */
  revokeConsent(user: string, clientId: string, scopes?: string[]): void;
  /** Back to the seeded state: sessions, codes, tokens, consent, outbox, faults, log and clock. */
  reset(): void;
  /**
   * Points an app's front-channel logout URL somewhere else (a BFF on a test port); null removes it. Kept until
   * changed again (registration, not session state: reset() leaves it).
   */
  setFrontChannelLogoutUrl(clientId: string, url: string | null): void;
}

/**
 * What each admin call does to the emulator, so none is added without deciding (the type requires every call):
 * - `state`: changes the emulated world (sessions, tokens, consent, mail, roles, access, vault, registrations, clock),
 *   which `--state-dir` saves; the call asks for a save when it returns (or its promise settles).
 * - `instrumentation`: changes only this process's test instruments (faults, the request log), never saved.
 * - `read`: changes nothing.
 */
export const ADMIN_CALLS: Readonly<Record<keyof EmulatorAdmin, 'state' | 'instrumentation' | 'read'>> = {
  fail: 'instrumentation',
  faults: 'read',
  clearFaults: 'instrumentation',
  revokeRefreshTokens: 'state',
  endSessions: 'state',
  requests: 'read',
  clearRequests: 'instrumentation',
  outbox: 'read',
  clearOutbox: 'state',
  advance: 'state',
  now: 'read',
  grantConsent: 'state',
  revokeConsent: 'state',
  reset: 'state',
  setFrontChannelLogoutUrl: 'state',
  revokeSessions: 'state',
  disableUser: 'state',
  enableUser: 'state',
  assignAppRole: 'state',
  removeAppRole: 'state',
  rotateCertificate: 'state',
};

export function createAdmin(ctx: EmulatorContext, resetState: () => void): EmulatorAdmin {
  const admin = createAdminApi(ctx, resetState);
  const calls = admin as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const [name, kind] of Object.entries(ADMIN_CALLS)) {
    if (kind !== 'state') continue;
    const call = calls[name]!;
    calls[name] = (...args: unknown[]) => {
      const result = call(...args);
      if (result instanceof Promise) return result.finally(() => ctx.stateChanged());
      ctx.stateChanged();
      return result;
    };
  }
  return admin;
}

function createAdminApi(ctx: EmulatorContext, resetState: () => void): EmulatorAdmin {
  const guard = () => {
    if (!ctx.testHooks) throw new Error('emulator test hooks are disabled; start it with testHooks: true');
  };
  const userKey = (user: string) => {
    const u = ctx.directory.findUser(user);
    if (!u) throw new Error(`unknown emulator user "${user}"`);
    return u.key;
  };
  return {
    ...createIdentityAdmin(ctx, guard, userKey),
    fail(spec) {
      guard();
      return { id: ctx.faults.add(spec).id };
    },
    faults: () => (guard(), ctx.faults.list()),
    clearFaults: () => (guard(), ctx.faults.clear()),
    revokeRefreshTokens(user) {
      guard();
      const key = userKey(user);
      let n = 0;
      for (const rt of ctx.store.refreshTokens.values()) {
        if (rt.userKey === key && !rt.revoked) {
          rt.revoked = true;
          n++;
        }
      }
      return n;
    },
    endSessions(user) {
      guard();
      const key = user === undefined ? undefined : userKey(user);
      let n = 0;
      for (const [id, s] of ctx.store.sessions) {
        if (key === undefined || s.userKey === key) {
          ctx.store.sessions.delete(id);
          n++;
        }
      }
      return n;
    },
    requests: (filter) => (guard(), ctx.requestLog.entries(filter)),
    clearRequests: () => (guard(), ctx.requestLog.clear()),
    outbox: () => (guard(), structuredClone(ctx.store.outbox)),
    clearOutbox() {
      guard();
      ctx.store.outbox = [];
    },
    advance(ms) {
      guard();
      ctx.clock.advance(ms);
      return ctx.clock.now();
    },
    now: () => ctx.clock.now(),
    grantConsent(user, clientId, scopes) {
      guard();
      const key = consentMapKey(userKey(user), clientId);
      const granted = ctx.store.consent.get(key) ?? new Map<string, string>();
      for (const s of scopes) granted.set(consentKey(s), s);
      ctx.store.consent.set(key, granted);
    },
    revokeConsent(user, clientId, scopes) {
      guard();
      const key = consentMapKey(userKey(user), clientId);
      if (!scopes) ctx.store.consent.delete(key);
      else for (const s of scopes) ctx.store.consent.get(key)?.delete(consentKey(s));
    },
    reset() {
      guard();
      resetState();
    },
    setFrontChannelLogoutUrl(clientId, url) {
      guard();
      const app = ctx.directory.findApp(clientId);
      if (!app) throw new Error(`unknown emulator app "${clientId}"`);
      ctx.store.frontChannelLogoutUrls.set(app.clientId.toLowerCase(), url);
      applyFrontChannelLogoutUrl(app, url);
    },
  };
}

/** Puts an admin-set front-channel logout URL (null: none) on the registration. */
export function applyFrontChannelLogoutUrl(app: SeedApp, url: string | null): void {
  if (url === null) delete app.frontChannelLogoutUrl;
  else app.frontChannelLogoutUrl = url;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** HTTP mirror of the admin API. Errors are 400 JSON `{error}`; successes JSON or 204. */
export function createAdminHttpHandler(admin: EmulatorAdmin): Handler {
  return async (req: EmuRequest): Promise<EmuResponse> => {
    const path = req.url.pathname.slice('/_emulator'.length);
    const body = jsonBody(req);
    const q = req.url.searchParams;
    try {
      const route = `${req.method} ${path}`;
      if (route === 'GET /requests') {
        const service = q.get('service') as RequestLogEntry['service'] | null;
        return json(200, {
          value: admin.requests({
            ...(service ? { service } : {}),
            ...(q.get('pathIncludes') ? { pathIncludes: q.get('pathIncludes')! } : {}),
          }),
        });
      }
      if (route === 'DELETE /requests') return (admin.clearRequests(), { status: 204 });
      if (route === 'GET /faults') return json(200, { value: admin.faults() });
      if (route === 'POST /faults') {
        if (!isObject(body)) return json(400, { error: 'body must be a JSON fault spec' });
        return json(201, admin.fail(body as unknown as FaultSpec));
      }
      if (route === 'DELETE /faults') return (admin.clearFaults(), { status: 204 });
      const revoke = /^\/users\/([^/]+)\/revoke$/.exec(path);
      if (req.method === 'POST' && revoke)
        return json(200, { revoked: admin.revokeRefreshTokens(decodeURIComponent(revoke[1]!)) });
      const userAction = /^\/users\/([^/]+)\/(revokeSessions|disable|enable)$/.exec(path);
      if (req.method === 'POST' && userAction) {
        const user = decodeURIComponent(userAction[1]!);
        if (userAction[2] === 'revokeSessions') return json(200, { revoked: admin.revokeSessions(user) });
        if (userAction[2] === 'disable') admin.disableUser(user);
        else admin.enableUser(user);
        return { status: 204 };
      }
      if (route === 'POST /roles') {
        if (!isObject(body) || typeof body.user !== 'string' || typeof body.role !== 'string') {
          return json(400, { error: 'body must be {"user", "role", "clientId"?, "action": "assign"|"remove"}' });
        }
        const clientId = typeof body.clientId === 'string' ? body.clientId : undefined;
        if (body.action === 'remove') admin.removeAppRole(body.user, body.role, clientId);
        else admin.assignAppRole(body.user, body.role, clientId);
        return { status: 204 };
      }
      const rotate = /^\/vault\/certificates\/([^/]+)\/rotate$/.exec(path);
      if (req.method === 'POST' && rotate)
        return json(200, { version: await admin.rotateCertificate(decodeURIComponent(rotate[1]!)) });
      if (route === 'POST /sessions/end') {
        const user = isObject(body) && typeof body.user === 'string' ? body.user : undefined;
        return json(200, { ended: admin.endSessions(user) });
      }
      if (route === 'GET /outbox') return json(200, { value: admin.outbox() });
      if (route === 'DELETE /outbox') return (admin.clearOutbox(), { status: 204 });
      if (route === 'GET /clock') return json(200, { now: admin.now(), iso: new Date(admin.now()).toISOString() });
      if (route === 'POST /clock/advance') {
        const ms = isObject(body) ? Number(body.ms) : NaN;
        if (!Number.isFinite(ms)) return json(400, { error: 'body must be {"ms": <number>}' });
        const now = admin.advance(ms);
        return json(200, { now, iso: new Date(now).toISOString() });
      }
      if (route === 'POST /consent') {
        if (!isObject(body) || typeof body.user !== 'string' || typeof body.clientId !== 'string') {
          return json(400, { error: 'body must be {"user", "clientId", "scopes"?, "action": "grant"|"revoke"}' });
        }
        const scopes = Array.isArray(body.scopes) ? body.scopes.map(String) : undefined;
        if (body.action === 'revoke') admin.revokeConsent(body.user, body.clientId, scopes);
        else admin.grantConsent(body.user, body.clientId, scopes ?? []);
        return { status: 204 };
      }
      if (route === 'POST /reset') return (admin.reset(), { status: 204 });
      return json(404, { error: `no admin endpoint ${route}` });
    } catch (err) {
      return json(400, { error: (err as Error).message });
    }
  };
}
