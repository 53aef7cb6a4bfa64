// Fixed identities of the local emulator's seeded tenant and app: the single source both the emulator seed and the BFF's
// emulator-mode defaults read, so the two can never drift apart.

export const EMULATOR_DEFAULTS = {
  /** The emulator only ever listens on loopback. */
  host: 'localhost',
  ports: { entra: 8443, managedIdentity: 8444, keyVault: 8445, graph: 8446 },
  tenantId: '8f5d3c2a-6b1e-4c9d-9a7f-2e4b6c8d0a11',
  clientId: '3b6f2a1c-9d4e-4f7a-8c2b-5e1d7a9f0c22',
  /** Emulator-only credential; it grants nothing outside this machine. */
  clientSecret: 'emulator-client-secret-not-for-production-use',
  /** The App Service managed-identity header value the emulator expects. */
  identityHeader: 'emulator-identity-header',
  keyVaultSecretName: 'demo-secret',
  /** Key Vault certificate holding the app's client credential (ENTRA_CLIENT_CERTIFICATE_NAME in emulator mode). */
  keyVaultCertificateName: 'bff-client-cert',
  /** Folder (relative to the project root) holding the generated CA, server and client certificates; git-ignored. */
  stateDir: '.emulator',
  bffPort: 3000,
  devServerPort: 8080,
} as const;

/** Paths of the generated certificate files inside `stateDir`. */
export const EMULATOR_CERT_FILES = {
  caCert: 'ca.pem',
  caKey: 'ca-key.pem',
  serverCert: 'server.pem',
  serverKey: 'server-key.pem',
  clientCert: 'client-cert.pem',
  clientKey: 'client-key.pem',
} as const;
