// Types of the emulator's seed: tenants, users with their mailbox data, app registrations, identities and the vault.

export interface SeedTenant {
  id: string;
  /** Verified domains; usable in place of the id in authority paths. */
  domains: string[];
  displayName: string;
}

export interface SeedContact {
  givenName: string;
  surname: string;
  email: string;
  companyName?: string;
  jobTitle?: string;
  mobilePhone?: string;
}

export interface SeedMessage {
  fromName: string;
  fromAddress: string;
  subject: string;
  /** Plain text; the HTML body is derived from it. */
  body: string;
  /** Hours before the seed's reference time, so ordering is deterministic. */
  hoursAgo: number;
  isRead?: boolean;
  importance?: 'low' | 'normal' | 'high';
}

export interface SeedUser {
  /** Short stable handle used by tests and the admin API ("adele"). */
  key: string;
  displayName: string;
  givenName: string;
  surname: string;
  /** userPrincipalName / sign-in name / preferred_username. */
  username: string;
  jobTitle?: string;
  officeLocation?: string;
  mobilePhone?: string;
  homeTenantId: string;
  /** Object id in the home tenant (client_info.uid). */
  oid: string;
  /** Guest memberships: the user's distinct object id in each resource tenant. */
  guestOf?: { tenantId: string; oid: string }[];
  /** Personal Microsoft account: Entra issues no spa_code for these. */
  personal?: boolean;
  hasPhoto?: boolean;
  contacts: SeedContact[];
  messages: SeedMessage[];
}

export interface SeedApp {
  clientId: string;
  displayName: string;
  homeTenantId: string;
  /** Object id of the app's service principal (the `oid` of its client-credentials tokens). */
  servicePrincipalOid: string;
  secrets: string[];
  /** PEM certificates whose keys may sign client assertions. */
  certificates: string[];
  webRedirectUris: string[];
  spaRedirectUris: string[];
  postLogoutRedirectUris: string[];
  frontChannelLogoutUrl?: string;
  /** App roles the app defines (manifest `appRoles`). */
  appRoles: SeedAppRole[];
  /** Configured API permissions (manifest `requiredResourceAccess`). */
  apiPermissions: SeedApiPermission[];
}

export interface SeedAppRole {
  id: string;
  /** What the `roles` claim carries ("Secrets.Read"). */
  value: string;
  displayName: string;
  description?: string;
  allowedMemberTypes: ('User' | 'Application')[];
}

export interface SeedApiPermission {
  resource: string;
  delegated: string[];
  application: string[];
}

export interface SeedGroup {
  id: string;
  displayName: string;
  /** User keys. */
  members: string[];
}

export interface SeedRoleAssignment {
  /** Client id of the app defining the role. */
  clientId: string;
  /** The role's value. */
  role: string;
  /** A user key, a group id or a managed identity client id. */
  principal: string;
}

export interface SeedManagedIdentity {
  /** Application (client) id; `client_id` on the MI endpoint selects it. */
  clientId: string;
  principalId: string;
  /** Azure resource id; `mi_res_id` selects it. */
  resourceId: string;
  /** Exactly one identity is the system-assigned one (used when no id is given). */
  systemAssigned: boolean;
}

export interface SeedSecret {
  name: string;
  value: string;
  /** 32 hex characters, like Key Vault's. */
  version: string;
  /** Epoch seconds. */
  created: number;
  enabled: boolean;
  tags?: Record<string, string>;
}

export interface SeedVault {
  secrets: SeedSecret[];
  /** Principal (object) ids holding "Key Vault Secrets User"; everyone else gets ForbiddenByRbac. */
  secretReaders: string[];
  /**
   * Certificates (GET /certificates/{name}, the private key as the secret of the same name), readable by the secret
   * readers. The emulator adds its generated client certificate (EMULATOR_DEFAULTS.keyVaultCertificateName) unless the
   * config declares one of that name.
   */
  certificates?: SeedVaultCertificate[];
}

/** A Key Vault certificate as the emulator serves it: every version ready (see PendingCertificateVersion). */
export interface VaultCertificate {
  name: string;
  /** Client ids of app registrations that trust every version (rotations included) for client assertions. */
  registeredOn: string[];
  /** Oldest first; the last is the current version. */
  versions: VaultCertificateVersion[];
}

export interface VaultCertificateVersion {
  /** 32 hex characters, like Key Vault's. */
  version: string;
  certificatePem: string;
  /** PKCS#8 PEM. */
  privateKeyPem: string;
  /** Epoch seconds. */
  created: number;
  /**
   * Imported as a PFX: base64 of the password-less PKCS#12 Key Vault keeps, served as the secret with content type
   * application/x-pkcs12. Absent: the secret is the PEM bundle (application/x-pem-file).
   */
  pfx?: string;
  /** Made by the emulator (config `generate`, or a rotation): a saved state keeps its key across restarts. */
  generated?: boolean;
}

/** A version the config declares that the emulator completes at start (key generation and PFX decoding are async). */
export interface PendingCertificateVersion {
  version: string;
  created?: number;
  source: { generate: { commonName: string; validityDays: number } } | { pfx: string };
}

/** A certificate as declared; `materializeCertificates` turns it into a VaultCertificate. */
export interface SeedVaultCertificate extends Omit<VaultCertificate, 'versions'> {
  versions: (VaultCertificateVersion | PendingCertificateVersion)[];
}

export interface SeedConsent {
  userKey: string;
  clientId: string;
  /** Scopes in short form for Graph (User.Read), full form for other resources. */
  scopes: string[];
}

export interface Seed {
  /** Reference time (epoch ms) message timestamps count back from. */
  referenceTime: number;
  /** The first tenant is the home tenant (the one Key Vault challenges and managed identities use). */
  tenants: SeedTenant[];
  users: SeedUser[];
  apps: SeedApp[];
  managedIdentities: SeedManagedIdentity[];
  vault: SeedVault;
  consents: SeedConsent[];
  groups: SeedGroup[];
  roleAssignments: SeedRoleAssignment[];
}
