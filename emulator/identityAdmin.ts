// Admin hooks for enterprise identity: revoke a user's sessions / disable them (CAE), assign or remove app roles,
// rotate a Key Vault certificate. Mixed into the admin API (in-process and over HTTP).
import type { EmulatorContext } from './context';
import { assignRole, removeRole } from './entra/appRoles';
import { createCertificateVersion } from './vaultCertificates';

export interface IdentityAdmin {
  /**
   * "Revoke sessions" (Graph revokeSignInSessions): refuses the user's refresh tokens (AADSTS50173), ends their
   * emulator sign-in sessions and makes Graph challenge their CAE tokens issued before now. Returns refresh tokens revoked.
   */
  revokeSessions(user: string): number;
  /** Disables the account: Graph challenges its CAE tokens, /token refuses it (AADSTS50057), sign-in is refused. */
  disableUser(user: string): void;
  enableUser(user: string): void;
  /** Assigns an app role (by value) to a user, or takes it away (direct assignment and carrying groups). */
  assignAppRole(user: string, role: string, clientId?: string): void;
  removeAppRole(user: string, role: string, clientId?: string): void;
  /**
   * Adds a new version of a vault certificate (new key pair; the apps it is registered on trust it at once, as an
   * administrator uploads the new certificate before the app switches to it); returns the version.
   */
  rotateCertificate(name: string): Promise<string>;
}

export function createIdentityAdmin(
  ctx: EmulatorContext,
  guard: () => void,
  userKey: (user: string) => string,
): IdentityAdmin {
  const defaultClient = () => ctx.directory.seed.apps[0]!.clientId;
  const endSessionsOf = (key: string) => {
    for (const [id, s] of ctx.store.sessions) if (s.userKey === key) ctx.store.sessions.delete(id);
  };
  return {
    revokeSessions(user) {
      guard();
      const key = userKey(user);
      ctx.store.access.revokedAt.set(key, ctx.clock.now());
      endSessionsOf(key);
      let n = 0;
      for (const rt of ctx.store.refreshTokens.values()) {
        if (rt.userKey === key && !rt.revoked) {
          rt.revoked = true;
          n++;
        }
      }
      ctx.log(`admin: revoked the sessions of ${key}`);
      return n;
    },
    disableUser(user) {
      guard();
      const key = userKey(user);
      ctx.store.access.disabled.add(key);
      endSessionsOf(key);
      ctx.log(`admin: disabled ${key}`);
    },
    enableUser(user) {
      guard();
      ctx.store.access.disabled.delete(userKey(user));
    },
    assignAppRole(user, role, clientId) {
      guard();
      assignRole(ctx, userKey(user), clientId ?? defaultClient(), role);
    },
    removeAppRole(user, role, clientId) {
      guard();
      removeRole(ctx, userKey(user), clientId ?? defaultClient(), role);
    },
    async rotateCertificate(name) {
      guard();
      const cert = ctx.store.vaultCertificates.find((c) => c.name.toLowerCase() === name.toLowerCase());
      if (!cert) throw new Error(`the vault has no certificate "${name}"`);
      const version = await createCertificateVersion(ctx.clock.now(), `${cert.name} (rotated)`);
      cert.versions.push(version);
      return version.version;
    },
  };
}
