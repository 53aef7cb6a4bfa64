// The emulator's configuration file format (zod): tenants, app registrations, users and their mailboxes, groups, app-role
// assignments, consents, managed identities and the vault. config.schema.json is generated from it (npm run emulator:schema).
import { z } from 'zod';

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const guid = (what: string) =>
  z.string().regex(GUID, 'must be a GUID such as 8f5d3c2a-6b1e-4c9d-9a7f-2e4b6c8d0a11').describe(what);
/**
 * Checked after `${VAR}` interpolation. Plain strings in the JSON Schema (not format: uri) so editors accept
 * `${PUBLIC_URL:-http://localhost:3000}/auth/callback`.
 */
const url = (what: string) =>
  z
    .string()
    .refine((s) => /^https?:\/\/[^\s/]+/.test(s) && URL.canParse(s), 'must be an absolute http(s) URL')
    .describe(`${what}. Absolute http(s) URL; may use \${VAR} or \${VAR:-default}.`);
const nonEmpty = (what: string) => z.string().min(1, 'must not be empty').describe(what);
const list = <T extends z.ZodType>(item: T, what: string) => z.array(item).default([]).describe(what);

export const tenantSchema = z
  .strictObject({
    id: guid('Tenant id (the `tid` claim).'),
    displayName: nonEmpty('Shown on the emulator index page.'),
    domains: list(
      z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]*$/, 'must be a domain name'),
      'Verified domains; usable in place of the id in authority paths.',
    ),
  })
  .describe(
    'A directory (tenant). The first one is the home tenant: Key Vault challenges and managed identities use it.',
  );

export const appRoleSchema = z
  .strictObject({
    id: guid('App role id (what a role assignment records).'),
    value: z
      .string()
      .regex(/^[^\s,]{1,120}$/, 'must be a role value without spaces or commas')
      .describe('The value tokens carry in the `roles` claim, e.g. "Secrets.Read".'),
    displayName: nonEmpty('Human-readable name.'),
    description: z.string().optional().describe('What holding the role allows.'),
    allowedMemberTypes: z
      .array(z.enum(['User', 'Application']))
      .min(1, 'must name at least one member type')
      .default(['User'])
      .describe(
        'Who can be assigned the role: users and groups ("User"), apps and managed identities ("Application").',
      ),
  })
  .describe('An app role defined on the app registration (manifest `appRoles`).');

export const apiPermissionSchema = z
  .strictObject({
    resource: nonEmpty('Resource app id URI, e.g. https://graph.microsoft.com.'),
    delegated: list(nonEmpty('Permission name'), 'Delegated permissions (scopes), e.g. ["User.Read"].'),
    application: list(nonEmpty('Role name'), 'Application permissions (app roles of the resource).'),
  })
  .describe(
    'A configured API permission (manifest `requiredResourceAccess`). Listed for documentation and `/.default`.',
  );

export const appSchema = z
  .strictObject({
    clientId: guid('Application (client) id.'),
    displayName: nonEmpty('Shown on the sign-in and consent pages.'),
    homeTenantId: guid('Tenant the app is registered in; default: the first tenant.').optional(),
    servicePrincipalOid: guid(
      'Object id of its service principal (the `oid` of its app-only tokens); default: derived from the client id.',
    ).optional(),
    secrets: list(z.string().min(8, 'must be at least 8 characters'), 'Client secret values.'),
    certificates: list(
      z.string().includes('BEGIN CERTIFICATE', { message: 'must be a PEM certificate' }),
      'Inline PEM certificates whose keys may sign client assertions.',
    ),
    certificateFiles: list(nonEmpty('Path'), 'PEM certificate files (relative to the config file), like certificates.'),
    webRedirectUris: list(
      url('Web redirect URI'),
      'Redirect URIs of the Web platform (server-side code redemption with a credential).',
    ),
    spaRedirectUris: list(
      url('SPA redirect URI'),
      'Redirect URIs of the Single-page application platform (cross-origin redemption, spa_code origins).',
    ),
    postLogoutRedirectUris: list(url('Post-logout redirect URI'), 'Where the logout endpoint may return to.'),
    frontChannelLogoutUrl: url(
      'Front-channel logout URL, loaded in a hidden iframe at sign-out with sid and iss',
    ).optional(),
    appRoles: list(appRoleSchema, 'App roles this app defines.'),
    apiPermissions: list(apiPermissionSchema, 'API permissions the app is configured to call.'),
  })
  .describe('An app registration.');

export const contactSchema = z.strictObject({
  givenName: z.string(),
  surname: z.string(),
  email: z.string().regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address'),
  companyName: z.string().optional(),
  jobTitle: z.string().optional(),
  mobilePhone: z.string().optional(),
});

export const messageSchema = z.strictObject({
  fromName: z.string(),
  fromAddress: z.string().regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address'),
  subject: z.string(),
  body: z.string().describe('Plain text; the HTML body is derived from it.'),
  hoursAgo: z
    .number()
    .min(0)
    .describe('Hours before referenceTime the message arrived (keeps ordering deterministic).'),
  isRead: z.boolean().optional(),
  importance: z.enum(['low', 'normal', 'high']).optional(),
});

export const userSchema = z
  .strictObject({
    key: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be a short lower-case handle such as "adele"')
      .describe('Stable handle for tests, the admin API and `#tile-<key>` on the sign-in page.'),
    username: z
      .string()
      .regex(/^[^\s@]+@[^\s@]+$/, 'must be a user principal name (name@domain)')
      .describe('userPrincipalName / sign-in name / mail address.'),
    displayName: nonEmpty('Display name.'),
    givenName: z.string(),
    surname: z.string(),
    jobTitle: z.string().optional(),
    officeLocation: z.string().optional(),
    mobilePhone: z.string().optional(),
    homeTenantId: guid('Home tenant; default: the first tenant.').optional(),
    oid: guid('Object id in the home tenant (client_info.uid).'),
    guestOf: list(
      z.strictObject({ tenantId: guid('Resource tenant'), oid: guid('The guest object id there') }),
      'Guest (B2B) memberships: the user’s distinct object id in each inviting tenant.',
    ),
    personal: z
      .boolean()
      .default(false)
      .describe('Personal Microsoft account (home tenant 9188040d-…): Entra issues no spa_code for these.'),
    hasPhoto: z.boolean().default(false).describe('Whether /me/photo/$value returns a picture.'),
    contacts: list(contactSchema, 'Contacts (Graph /me/contacts).'),
    messages: list(messageSchema, 'Mailbox (Graph /me/messages); mail sent in the emulator is delivered here too.'),
  })
  .describe('A user (member, guest or personal account).');

export const groupSchema = z.strictObject({
  id: guid('Group object id.'),
  displayName: nonEmpty('Group name.'),
  members: list(nonEmpty('User key'), 'Keys of the member users.'),
});

export const roleAssignmentSchema = z
  .strictObject({
    app: guid('Client id of the app defining the role.'),
    role: nonEmpty('The role value, e.g. "Secrets.Read".'),
    principal: nonEmpty('A user key, a group id, or a managed identity client id.'),
  })
  .describe('Assigns an app role to a user, a group (its members) or a managed identity.');

export const consentSchema = z
  .strictObject({
    user: nonEmpty('User key, or "*" for every user.'),
    app: guid('Client id.'),
    scopes: list(
      nonEmpty('Scope'),
      'Scopes already consented: short form for Graph (User.Read), full form for other resources.',
    ),
  })
  .describe('A pre-granted (user or admin) consent.');

export const managedIdentitySchema = z.strictObject({
  clientId: guid('Application (client) id; `client_id` on the MI endpoint selects it.'),
  principalId: guid('Object (principal) id: the `oid` of its tokens, and what vault role assignments name.'),
  resourceId: nonEmpty('Azure resource id; `mi_res_id` selects it.'),
  systemAssigned: z
    .boolean()
    .default(false)
    .describe('Exactly one identity may be the system-assigned one (used when the request names none).'),
});

export const secretSchema = z.strictObject({
  name: z.string().regex(/^[0-9a-zA-Z-]{1,127}$/, 'must be 1-127 letters, digits or dashes (Key Vault secret names)'),
  value: z.string(),
  version: z.string().regex(/^[0-9a-f]{32}$/, 'must be 32 lower-case hex characters'),
  created: z.number().int().min(0).describe('Epoch seconds.'),
  enabled: z.boolean().default(true),
  tags: z.record(z.string(), z.string()).optional(),
});

const VERSION_SOURCES = ['pem', 'pemFile', 'certificateFile', 'pfxFile', 'generate'] as const;

export const certificateVersionSchema = z
  .strictObject({
    version: z
      .string()
      .regex(/^[0-9a-f]{32}$/, 'must be 32 lower-case hex characters')
      .optional()
      .describe('Version id (32 hex, as Key Vault makes them); default: derived from the name and position.'),
    created: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe("Epoch seconds; default: the certificate's notBefore (a generated one: the start time)."),
    pem: z
      .string()
      .optional()
      .describe('Inline PEM bundle: the private key (PKCS#8, PKCS#1 or SEC1) and the certificate (chain).'),
    pemFile: nonEmpty('A PEM bundle file (key + certificate), relative to the config file.').optional(),
    certificateFile: nonEmpty('A PEM certificate file, relative to the config file; needs keyFile.').optional(),
    keyFile: nonEmpty('The PEM private key file of certificateFile, relative to the config file.').optional(),
    pfxFile: nonEmpty(
      'A password-less PKCS#12 file (Key Vault keeps an imported PFX without its password), relative to the config file. Served as the secret with content type application/x-pkcs12.',
    ).optional(),
    generate: z
      .strictObject({
        commonName: nonEmpty('Subject CN; default: the certificate name.').optional(),
        validityDays: z.number().int().min(1).max(3650).default(365).describe('Days it is valid from the start time.'),
      })
      .optional()
      .describe(
        'A self-signed RSA 2048 certificate made at start (a new key at every start unless --state-dir keeps it).',
      ),
  })
  .superRefine((v, ctx) => {
    const given = VERSION_SOURCES.filter((k) => v[k] !== undefined);
    if (given.length !== 1)
      ctx.addIssue({
        code: 'custom',
        message: `must have exactly one of ${VERSION_SOURCES.join(', ')} (has ${given.length ? given.join(', ') : 'none'})`,
      });
    if ((v.certificateFile === undefined) !== (v.keyFile === undefined))
      ctx.addIssue({ code: 'custom', message: 'certificateFile and keyFile go together' });
  })
  .describe(
    'One version of a Key Vault certificate: exactly one of pem, pemFile, certificateFile + keyFile, pfxFile, generate.',
  );

export const vaultCertificateSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[0-9a-zA-Z-]{1,127}$/, 'must be 1-127 letters, digits or dashes (Key Vault certificate names)')
      .describe('Certificate name: GET /certificates/{name}, and its key as GET /secrets/{name}.'),
    versions: z
      .array(certificateVersionSchema)
      .min(1, 'must declare at least one version')
      .describe('Oldest first; the last is the current version. The rotate hook adds more.'),
    registeredOn: list(
      guid('Client id'),
      'App registrations that trust every version (rotations included) for client assertions, as if uploaded to them.',
    ),
  })
  .describe('A Key Vault certificate; Key Vault serves its private key and chain as the secret of the same name.');

export const emulatorConfigSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path or URL of config.schema.json (for editors).'),
    referenceTime: z.iso
      .datetime({ message: 'must be an ISO 8601 date-time such as 2025-11-20T09:00:00Z' })
      .default('2025-11-20T09:00:00Z')
      .describe('Seeded message times count back from it.'),
    tenants: z
      .array(tenantSchema)
      .min(1, 'must declare at least one tenant')
      .describe('Tenants; the first is the home tenant.'),
    apps: z
      .array(appSchema)
      .min(1, 'must declare at least one app registration')
      .describe('App registrations; the first is the one the emulator prints.'),
    users: list(userSchema, 'Users.'),
    groups: list(groupSchema, 'Security groups (for app-role assignments).'),
    roleAssignments: list(roleAssignmentSchema, 'App-role assignments.'),
    consents: list(consentSchema, 'Pre-granted consents.'),
    managedIdentities: list(managedIdentitySchema, 'Managed identities served on the MI endpoint.'),
    keyVault: z
      .strictObject({
        secrets: list(secretSchema, 'Secrets (Get Secret).'),
        secretReaders: list(
          guid('Principal id'),
          'Principal (object) ids holding "Key Vault Secrets User"; everyone else gets ForbiddenByRbac.',
        ),
        certificates: list(
          vaultCertificateSchema,
          'Certificates (Get Certificate; the key as Get Secret), readable by secretReaders. The emulator adds its generated client certificate as "bff-client-cert" unless one here has that name.',
        ),
      })
      .default({ secrets: [], secretReaders: [], certificates: [] })
      .describe('The vault served at the Key Vault port.'),
  })
  .describe('Configuration of the local Entra ID / Graph / managed identity / Key Vault emulator.');

/** The file as written (defaults optional). */
export type EmulatorConfigInput = z.input<typeof emulatorConfigSchema>;
/** The file after validation, defaults filled. */
export type EmulatorConfig = z.output<typeof emulatorConfigSchema>;
