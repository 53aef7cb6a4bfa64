// App roles in user tokens: the role values a user holds for an app (directly or through a group), over the
// assignments the admin hooks may change (reset() goes back to the config's).
import type { EmulatorContext } from '../context';
import type { Seed, SeedGroup, SeedRoleAssignment } from '../seedTypes';
import { assignedRoles } from '../state/roles';

/** The mutable copy of the config's groups and role assignments. */
export interface RoleState {
  groups: SeedGroup[];
  assignments: SeedRoleAssignment[];
}

export function createRoleState(seed: Seed): RoleState {
  return { groups: structuredClone(seed.groups), assignments: structuredClone(seed.roleAssignments) };
}

/** Role values `userKey` holds for `clientId` now, in the app's appRoles order; empty means Entra omits the claim. */
export function rolesFor(ctx: EmulatorContext, userKey: string, clientId: string): string[] {
  const { roles } = ctx.store;
  return assignedRoles(
    { ...ctx.directory.seed, groups: roles.groups, roleAssignments: roles.assignments },
    clientId,
    userKey,
  );
}

/** Assigns `role` to the user directly. Throws when the app does not define it. */
export function assignRole(ctx: EmulatorContext, userKey: string, clientId: string, role: string): void {
  const app = ctx.directory.findApp(clientId);
  if (!app?.appRoles.some((r) => r.value === role)) throw new Error(`app ${clientId} defines no app role "${role}"`);
  if (!rolesFor(ctx, userKey, clientId).includes(role))
    ctx.store.roles.assignments.push({ clientId: app.clientId, role, principal: userKey });
}

/** Takes `role` away: the user's direct assignment, and their membership of groups that carry it. */
export function removeRole(ctx: EmulatorContext, userKey: string, clientId: string, role: string): void {
  const { roles } = ctx.store;
  const sameRole = (a: SeedRoleAssignment) => a.clientId.toLowerCase() === clientId.toLowerCase() && a.role === role;
  roles.assignments = roles.assignments.filter(
    (a) => !(sameRole(a) && a.principal.toLowerCase() === userKey.toLowerCase()),
  );
  const carrying = new Set(roles.assignments.filter(sameRole).map((a) => a.principal.toLowerCase()));
  for (const g of roles.groups)
    if (carrying.has(g.id.toLowerCase())) g.members = g.members.filter((m) => m !== userKey);
}
