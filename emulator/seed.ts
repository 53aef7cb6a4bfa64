// The emulator's default world is a config file like any other (demo.config.json); these constants name parts of it.
import { fileURLToPath } from 'node:url';
import { EMULATOR_DEFAULTS } from '../config/emulatorDefaults';
import { loadConfigFile } from './config/load';
import type { Seed } from './seedTypes';

export const CONTOSO_TENANT_ID = EMULATOR_DEFAULTS.tenantId;
export const FABRIKAM_TENANT_ID = 'c4a1e7d2-5b3f-4e6a-8d9c-0f2b4a6c8e13';
/** The fixed tenant id of personal Microsoft accounts. */
export const CONSUMERS_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

/** Scopes every seeded user has already consented to for the default app (Mail.Send deliberately missing). */
export const SEEDED_CONSENT = [
  'openid',
  'profile',
  'offline_access',
  'email',
  'User.Read',
  'Contacts.Read',
  'Mail.Read',
];

export const SYSTEM_MI_CLIENT_ID = 'e2c7f1a9-3b5d-4f8e-a6c2-9d1b3f5a7c31';
/** A user-assigned identity that exists but holds no vault role (for 403 tests). */
export const UNAUTHORIZED_MI_CLIENT_ID = 'f3d8a2b0-4c6e-4a9f-b7d3-0e2c4a6b8d42';

/** The built-in demo configuration (tenants, the project's app, demo users, identities, vault). */
export const DEMO_CONFIG_PATH = fileURLToPath(new URL('./demo.config.json', import.meta.url));

/**
 * Variables every config may use besides the caller's: `EMULATOR_CERT_DIR`, the folder holding the generated
 * client certificate (client-cert.pem) the project's app registration trusts.
 */
export function builtInVariables(certDir: string): Record<string, string> {
  return { EMULATOR_CERT_DIR: certDir };
}

/**
 * The demo seed. `PUBLIC_URL` (the BFF's public origin) sets the app's redirect, post-logout and front-channel logout
 * URLs; without it they point at http://localhost:3000.
 */
export function createDefaultSeed(options: {
  certDir: string;
  variables?: Readonly<Record<string, string | undefined>>;
}): Seed {
  return loadConfigFile(DEMO_CONFIG_PATH, { ...options.variables, ...builtInVariables(options.certDir) });
}
