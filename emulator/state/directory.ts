// Read-only lookups over the seed: tenants by id or domain, apps, users, and which identity a user has in a tenant.
import type { Seed, SeedApp, SeedTenant, SeedUser } from '../seedTypes';
import { CONSUMERS_TENANT_ID } from '../seed';

export type AuthorityTenant =
  | { kind: 'tenant'; tenant: SeedTenant; segment: string }
  | { kind: 'common' | 'organizations' | 'consumers'; segment: string };

/** The identity a user signs in with at one authority: object id and tenant of the issued tokens. */
export interface TenantIdentity {
  user: SeedUser;
  /** `tid`: the resource tenant (for guests, the inviting tenant). */
  tenantId: string;
  /** `oid` in that tenant. */
  oid: string;
}

export interface Directory {
  readonly seed: Seed;
  resolveTenant(segment: string): AuthorityTenant | undefined;
  findApp(clientId: string): SeedApp | undefined;
  findUser(usernameOrKey: string): SeedUser | undefined;
  /** The user's identity at this authority, or undefined when they cannot sign in there. */
  identityAt(user: SeedUser, at: AuthorityTenant): TenantIdentity | undefined;
  /** Inverse of identityAt: who a token's (tid, oid) belongs to. */
  userByTenantOid(tenantId: string, oid: string): SeedUser | undefined;
  /** Users offered on the sign-in page of this authority. */
  usersAt(at: AuthorityTenant): SeedUser[];
}

export function createDirectory(seed: Seed): Directory {
  const byLower = (s: string) => s.toLowerCase();
  const identityAt = (user: SeedUser, at: AuthorityTenant): TenantIdentity | undefined => {
    const home = { user, tenantId: user.homeTenantId, oid: user.oid };
    switch (at.kind) {
      case 'common':
        return home;
      case 'organizations':
        return user.homeTenantId === CONSUMERS_TENANT_ID ? undefined : home;
      case 'consumers':
        return user.homeTenantId === CONSUMERS_TENANT_ID ? home : undefined;
      case 'tenant': {
        if (user.homeTenantId === at.tenant.id) return home;
        const guest = user.guestOf?.find((g) => g.tenantId === at.tenant.id);
        return guest ? { user, tenantId: guest.tenantId, oid: guest.oid } : undefined;
      }
    }
  };
  return {
    seed,
    resolveTenant(segment) {
      const s = byLower(segment);
      if (s === 'common' || s === 'organizations' || s === 'consumers') return { kind: s, segment: s };
      const tenant = seed.tenants.find((t) => byLower(t.id) === s || t.domains.some((d) => byLower(d) === s));
      return tenant ? { kind: 'tenant', tenant, segment: s } : undefined;
    },
    findApp: (clientId) => seed.apps.find((a) => byLower(a.clientId) === byLower(clientId)),
    findUser(name) {
      const n = byLower(name.trim());
      return seed.users.find((u) => byLower(u.username) === n || u.key === n || u.oid === n);
    },
    identityAt,
    userByTenantOid: (tenantId, oid) =>
      seed.users.find(
        (u) =>
          (u.homeTenantId === tenantId && u.oid === oid) ||
          u.guestOf?.some((g) => g.tenantId === tenantId && g.oid === oid),
      ),
    usersAt: (at) => seed.users.filter((u) => identityAt(u, at) !== undefined),
  };
}
