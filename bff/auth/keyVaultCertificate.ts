// Reads the app's client certificate from Key Vault with an app token: GET /certificates/{name} for the current version
// (its `sid`), then that version's secret, which holds the private key (PFX or PEM, as Key Vault serves certificates).
import { z } from 'zod';
import type { CertificateCredential } from '../../config/types';
import { callDownstream, type DownstreamDeps } from '../downstream/callDownstream';
import { CertificateFormatError, decodePemBundle, decodePfx } from './certificateFormats';

const API_VERSION = '7.5';
const SERVICE = 'Key Vault';

/** Why the certificate could not be read, in words an operator can act on. */
export class KeyVaultCertificateError extends Error {
  override readonly name = 'KeyVaultCertificateError';
}

export interface KeyVaultCertificateVersion extends CertificateCredential {
  /** The secret id with its version (`…/secrets/{name}/{version}`): changes when the certificate is rotated. */
  secretId: string;
}

const certificateBundle = z.object({
  id: z.string(),
  sid: z.string(),
  attributes: z.object({ enabled: z.boolean().optional() }).partial().optional(),
});
const secretBundle = z.object({ value: z.string(), contentType: z.string().optional() });

export interface KeyVaultCertificateReader {
  /** The current version's secret id (one small request; used to notice a rotation cheaply). */
  currentSecretId(token: string): Promise<string>;
  /** The private key and certificate of a version (by its secret id). */
  read(token: string, secretId: string): Promise<KeyVaultCertificateVersion>;
}

export function createKeyVaultCertificateReader(
  deps: DownstreamDeps & { vaultUrl: string; name: string },
): KeyVaultCertificateReader {
  const base = deps.vaultUrl.replace(/\/+$/, '');
  const where = `certificate "${deps.name}" in ${base}`;
  const fetchJson = async (token: string, url: string, what: 'certificate' | 'secret'): Promise<unknown> => {
    const res = await callDownstream(deps, { service: SERVICE, method: 'GET', url, token });
    if (res.status === 404)
      throw new KeyVaultCertificateError(`The ${where} does not exist (Key Vault answered 404 for its ${what}).`);
    if (res.status === 403) {
      const role = what === 'certificate' ? 'Key Vault Certificate User' : 'Key Vault Secrets User';
      throw new KeyVaultCertificateError(
        `The managed identity may not read the ${where}: grant it "${role}" on the vault.`,
      );
    }
    if (res.status === 401)
      throw new KeyVaultCertificateError(`Key Vault did not accept the managed identity's token for the ${where}.`);
    if (res.status !== 200)
      throw new KeyVaultCertificateError(`Key Vault answered HTTP ${res.status} for the ${where}.`);
    try {
      return JSON.parse(res.text) as unknown;
    } catch {
      throw new KeyVaultCertificateError(`Key Vault sent an unreadable answer for the ${where}.`);
    }
  };

  return {
    async currentSecretId(token) {
      const parsed = certificateBundle.safeParse(
        await fetchJson(
          token,
          `${base}/certificates/${encodeURIComponent(deps.name)}?api-version=${API_VERSION}`,
          'certificate',
        ),
      );
      if (!parsed.success)
        throw new KeyVaultCertificateError(`Key Vault sent a certificate bundle without a secret id for the ${where}.`);
      if (parsed.data.attributes?.enabled === false) throw new KeyVaultCertificateError(`The ${where} is disabled.`);
      return parsed.data.sid;
    },

    async read(token, secretId) {
      const url = sameVaultUrl(base, secretId, where);
      const parsed = secretBundle.safeParse(await fetchJson(token, `${url}?api-version=${API_VERSION}`, 'secret'));
      if (!parsed.success) throw new KeyVaultCertificateError(`Key Vault sent no private key for the ${where}.`);
      const { value, contentType } = parsed.data;
      try {
        // Key Vault keeps a certificate's key as a password-less PFX (application/x-pkcs12) or a PEM bundle.
        const credential =
          contentType === 'application/x-pem-file'
            ? decodePemBundle(value)
            : await decodePfx(Buffer.from(value, 'base64'), '');
        return { ...credential, secretId };
      } catch (err) {
        if (err instanceof CertificateFormatError)
          throw new KeyVaultCertificateError(`The ${where} cannot be used: ${err.message}.`);
        throw err;
      }
    },
  };
}

/** The `sid` must point into the configured vault: a token is never sent to a host the certificate bundle names. */
function sameVaultUrl(base: string, secretId: string, where: string): string {
  let url: URL;
  try {
    url = new URL(secretId);
  } catch {
    throw new KeyVaultCertificateError(`Key Vault sent an invalid secret id for the ${where}.`);
  }
  if (url.origin !== new URL(base).origin || !/^\/secrets\/[0-9a-zA-Z-]+\/[0-9a-zA-Z]+$/.test(url.pathname)) {
    throw new KeyVaultCertificateError(`Key Vault sent a secret id outside the vault for the ${where}.`);
  }
  return `${url.origin}${url.pathname}`;
}
