// The app's client credential for msal-node, from whichever source config names: a secret, PEM files, a PFX file with
// its password, or a Key Vault certificate re-read on a schedule (a rotated certificate is used without a restart).
import type { ClientCredential } from '../../config/types';
import type { DownstreamDeps } from '../downstream/callDownstream';
import { KEY_VAULT_RESOURCE } from '../downstream/keyVaultClient';
import type { ManagedIdentityTokenProvider } from '../downstream/managedIdentity';
import type { Logger } from '../http/logger';
import { CertificateFormatError, decodePfx } from './certificateFormats';
import { createKeyVaultCertificateReader, type KeyVaultCertificateVersion } from './keyVaultCertificate';

/** The `auth` fields msal-node takes for a confidential client. */
export type MsalClientCredential =
  { clientSecret: string } | { clientCertificate: { thumbprintSha256: string; privateKey: string; x5c: string } };

export interface ClientCredentialSource {
  /** The credential to build the next MSAL client with; the first call loads it (start-up awaits this to fail fast). */
  get(): Promise<MsalClientCredential>;
  /** Re-reads a Key Vault certificate now; true when a new version was picked up. Other sources never change. */
  refresh(): Promise<boolean>;
  /** Stops the refresh schedule. */
  close(): void;
}

/** The credential could not be loaded; the message names the setting or resource to fix. */
export class ClientCredentialError extends Error {
  override readonly name = 'ClientCredentialError';
}

export type Schedule = (run: () => void, everyMs: number) => { cancel(): void };

const defaultSchedule: Schedule = (run, everyMs) => {
  const timer = setInterval(run, everyMs);
  timer.unref();
  return { cancel: () => clearInterval(timer) };
};

export function createClientCredentialSource(deps: {
  credential: ClientCredential;
  /** Needed for a Key Vault certificate only. */
  managedIdentity?: () => ManagedIdentityTokenProvider;
  downstream: DownstreamDeps;
  log: Logger;
  schedule?: Schedule;
}): ClientCredentialSource {
  const { credential, log } = deps;
  switch (credential.kind) {
    case 'secret':
      return fixed({ clientSecret: credential.secret });
    case 'certificate':
      return fixed(certificateOf(credential));
    case 'pfx': {
      let loading: Promise<MsalClientCredential> | null = null;
      return {
        get: () =>
          (loading ??= decodePfx(credential.pfx, credential.password).then(certificateOf, (err: unknown) => {
            if (err instanceof CertificateFormatError) {
              const setting = err.reason === 'wrong_password' ? 'ENTRA_CLIENT_PFX_PASSWORD' : 'ENTRA_CLIENT_PFX_PATH';
              throw new ClientCredentialError(
                `${setting}: the PFX file ${credential.path} cannot be used: ${err.message}.`,
              );
            }
            throw err;
          })),
        refresh: async () => false,
        close: () => undefined,
      };
    }
    case 'keyVaultCertificate': {
      if (!deps.managedIdentity) throw new Error('a Key Vault certificate credential needs the managed identity');
      const managedIdentity = deps.managedIdentity;
      const reader = createKeyVaultCertificateReader({
        ...deps.downstream,
        vaultUrl: credential.vaultUrl,
        name: credential.name,
      });
      let current: KeyVaultCertificateVersion | null = null;
      let first: Promise<MsalClientCredential> | null = null;
      let timer: { cancel(): void } | null = null;
      let closed = false;
      const load = async (): Promise<boolean> => {
        const token = await managedIdentity().getToken(KEY_VAULT_RESOURCE);
        const secretId = await reader.currentSecretId(token);
        if (current?.secretId === secretId) return false;
        const next = await reader.read(token, secretId);
        const rotated = current !== null;
        current = next;
        // Thumbprint and version only: never the key.
        log.info(
          {
            certificate: credential.name,
            version: secretId.split('/').pop(),
            thumbprintSha256: next.thumbprintSha256,
            rotated,
          },
          'client certificate loaded from Key Vault',
        );
        return rotated;
      };
      const refresh = async (): Promise<boolean> => {
        try {
          return await load();
        } catch (err) {
          // Keep signing with the certificate we have: it stays valid until Entra stops accepting it.
          log.warn(
            { certificate: credential.name, err: (err as Error).message },
            'could not re-read the client certificate from Key Vault; keeping the current one',
          );
          return false;
        }
      };
      return {
        get() {
          first ??= load().then(
            () => {
              if (!closed) timer = (deps.schedule ?? defaultSchedule)(() => void refresh(), credential.refreshMs);
              return certificateOf(current!);
            },
            (err: unknown) => {
              first = null; // a later call (next request) tries again
              throw new ClientCredentialError(`ENTRA_CLIENT_CERTIFICATE_NAME: ${(err as Error).message}`);
            },
          );
          return first.then(() => certificateOf(current!));
        },
        refresh,
        close() {
          closed = true;
          timer?.cancel();
        },
      };
    }
  }
}

function fixed(value: MsalClientCredential): ClientCredentialSource {
  return { get: async () => value, refresh: async () => false, close: () => undefined };
}

function certificateOf(c: {
  thumbprintSha256: string;
  privateKeyPem: string;
  certificatePem: string;
}): MsalClientCredential {
  return {
    clientCertificate: { thumbprintSha256: c.thumbprintSha256, privateKey: c.privateKeyPem, x5c: c.certificatePem },
  };
}
