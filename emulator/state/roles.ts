// App-role assignments from the seed: the role values a user (directly or through a group) or an identity holds in an app.
import type { Seed } from '../seedTypes';

/**
 * `principal` is a user key or a managed identity client id. Values come back in the app's appRoles order, once each,
 * which is what the `roles` claim carries.
 */
export function assignedRoles(seed: Seed, clientId: string, principal: string): string[] {
  const app = seed.apps.find((a) => a.clientId.toLowerCase() === clientId.toLowerCase());
  if (!app) return [];
  const groups = new Set(seed.groups.filter((g) => g.members.includes(principal)).map((g) => g.id.toLowerCase()));
  const held = new Set(
    seed.roleAssignments
      .filter((r) => r.clientId.toLowerCase() === app.clientId.toLowerCase())
      .filter(
        (r) =>
          r.principal === principal ||
          r.principal.toLowerCase() === principal.toLowerCase() ||
          groups.has(r.principal.toLowerCase()),
      )
      .map((r) => r.role),
  );
  return app.appRoles.map((r) => r.value).filter((v) => held.has(v));
}
