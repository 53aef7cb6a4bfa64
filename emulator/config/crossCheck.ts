// Checks a schema-valid emulator config for what one field cannot say alone: references between sections, uniqueness.
import type { EmulatorConfig } from './schema';

export interface ConfigProblem {
  /** JSON path in the file, e.g. ["roleAssignments", 0, "role"]. */
  path: (string | number)[];
  message: string;
}

export function crossCheck(config: EmulatorConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: (string | number)[], message: string) => problems.push({ path, message });
  const lower = (s: string) => s.toLowerCase();
  const tenantIds = new Set(config.tenants.map((t) => lower(t.id)));
  const userKeys = new Set(config.users.map((u) => u.key));
  const groupIds = new Set(config.groups.map((g) => lower(g.id)));
  const miIds = new Set(config.managedIdentities.map((m) => lower(m.clientId)));

  const unique = <T>(items: T[], keyOf: (t: T) => string, section: string, field: string) => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const k = lower(keyOf(item));
      const first = seen.get(k);
      if (first !== undefined) add([section, i, field], `duplicates ${section}[${first}].${field} ("${keyOf(item)}")`);
      else seen.set(k, i);
    });
  };
  unique(config.tenants, (t) => t.id, 'tenants', 'id');
  unique(config.apps, (a) => a.clientId, 'apps', 'clientId');
  unique(config.users, (u) => u.key, 'users', 'key');
  unique(config.users, (u) => u.username, 'users', 'username');
  unique(config.groups, (g) => g.id, 'groups', 'id');
  unique(config.managedIdentities, (m) => m.clientId, 'managedIdentities', 'clientId');

  const knownTenant = (id: string | undefined, path: (string | number)[]) => {
    if (id !== undefined && !tenantIds.has(lower(id)))
      add(path, `names tenant "${id}", which is not declared in tenants`);
  };
  config.apps.forEach((app, i) => {
    knownTenant(app.homeTenantId, ['apps', i, 'homeTenantId']);
    unique(app.appRoles, (r) => r.value, `apps[${i}].appRoles`, 'value');
    if (
      app.secrets.length + app.certificates.length + app.certificateFiles.length === 0 &&
      app.webRedirectUris.length > 0
    ) {
      add(
        ['apps', i],
        'has Web redirect URIs but no secret or certificate: a Web app cannot redeem its codes without a credential',
      );
    }
  });
  config.users.forEach((user, i) => {
    knownTenant(user.homeTenantId, ['users', i, 'homeTenantId']);
    user.guestOf.forEach((g, j) => knownTenant(g.tenantId, ['users', i, 'guestOf', j, 'tenantId']));
  });
  config.groups.forEach((group, i) =>
    group.members.forEach((m, j) => {
      if (!userKeys.has(m)) add(['groups', i, 'members', j], `names user "${m}", which is not declared in users`);
    }),
  );
  config.roleAssignments.forEach((ra, i) => {
    const app = config.apps.find((a) => lower(a.clientId) === lower(ra.app));
    if (!app) return add(['roleAssignments', i, 'app'], `names app "${ra.app}", which is not declared in apps`);
    const role = app.appRoles.find((r) => r.value === ra.role);
    if (!role) {
      const defined = app.appRoles.map((r) => r.value).join(', ') || 'none';
      return add(['roleAssignments', i, 'role'], `"${ra.role}" is not an app role of ${ra.app} (defined: ${defined})`);
    }
    const isUserOrGroup = userKeys.has(ra.principal) || groupIds.has(lower(ra.principal));
    const isApp = miIds.has(lower(ra.principal));
    if (!isUserOrGroup && !isApp) {
      return add(
        ['roleAssignments', i, 'principal'],
        `"${ra.principal}" is neither a user key, a group id nor a managed identity client id`,
      );
    }
    const memberType = isApp ? 'Application' : 'User';
    if (!role.allowedMemberTypes.includes(memberType)) {
      add(
        ['roleAssignments', i, 'principal'],
        `role "${ra.role}" does not allow member type ${memberType} (allowedMemberTypes: ${role.allowedMemberTypes.join(', ')})`,
      );
    }
  });
  config.consents.forEach((c, i) => {
    if (c.user !== '*' && !userKeys.has(c.user))
      add(['consents', i, 'user'], `names user "${c.user}", which is not declared in users`);
    if (!config.apps.some((a) => lower(a.clientId) === lower(c.app)))
      add(['consents', i, 'app'], `names app "${c.app}", which is not declared in apps`);
  });
  // A certificate's key is the secret of the same name, so names are unique across secrets and certificates.
  const vaultNames = new Map(config.keyVault.secrets.map((sec, i) => [lower(sec.name), `keyVault.secrets[${i}]`]));
  config.keyVault.certificates.forEach((cert, i) => {
    const clash = vaultNames.get(lower(cert.name));
    if (clash) add(['keyVault', 'certificates', i, 'name'], `"${cert.name}" is already the name of ${clash}`);
    else vaultNames.set(lower(cert.name), `keyVault.certificates[${i}]`);
    unique(
      cert.versions.map((v, j) => v.version ?? `(derived ${j})`),
      (v) => v,
      `keyVault.certificates[${i}].versions`,
      'version',
    );
    cert.registeredOn.forEach((clientId, j) => {
      if (!config.apps.some((a) => lower(a.clientId) === lower(clientId)))
        add(
          ['keyVault', 'certificates', i, 'registeredOn', j],
          `names app "${clientId}", which is not declared in apps`,
        );
    });
  });
  const systemAssigned = config.managedIdentities.filter((m) => m.systemAssigned).length;
  if (systemAssigned > 1)
    add(['managedIdentities'], `declares ${systemAssigned} system-assigned identities; a resource has at most one`);
  return problems;
}

/** `apps[0].webRedirectUris[1]` from a path array. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(root)';
}
