// Key Vault certificates: GET /certificates/{name}[/{version}] (public certificate, kid/sid/x5t) and the certificate's
// private key served, as Key Vault does, as the secret of the same name (PEM bundle, or PKCS#12 for a PFX import);
// completing the config's generated and PFX versions at start; which apps trust them for client assertions.
import { X509Certificate, createHash, randomBytes } from 'node:crypto';
import { generate } from 'selfsigned';
import type { EmulatorContext } from './context';
import { json, type EmuRequest, type EmuResponse } from './http/types';
import type { SeedVaultCertificate, VaultCertificate, VaultCertificateVersion } from './seedTypes';
import { readPasswordlessPfx } from './vaultPfx';

type Version = VaultCertificateVersion;
const DAY = 86_400_000;
export const PEM_CONTENT_TYPE = 'application/x-pem-file';
export const PFX_CONTENT_TYPE = 'application/x-pkcs12';

/** A new self-signed certificate version (32-hex version id, like Key Vault's, unless given). */
export async function createCertificateVersion(
  now: number,
  commonName: string,
  options: { version?: string; validityDays?: number; created?: number } = {},
): Promise<Version> {
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    algorithm: 'sha256',
    keySize: 2048,
    notBeforeDate: new Date(now - DAY),
    notAfterDate: new Date(now + (options.validityDays ?? 365) * DAY),
  });
  return {
    version: options.version ?? randomBytes(16).toString('hex'),
    certificatePem: pems.cert,
    privateKeyPem: pems.private,
    created: options.created ?? Math.floor(now / 1000),
    generated: true,
  };
}

/**
 * Completes the versions the config could not (generated keys, PFX contents). `problem(path, message)` receives what
 * is wrong, with the path below keyVault.certificates; nothing is returned for a certificate with a problem.
 */
export async function materializeCertificates(
  declared: readonly SeedVaultCertificate[],
  now: number,
  problem: (path: (string | number)[], message: string) => void,
): Promise<VaultCertificate[]> {
  const out: VaultCertificate[] = [];
  for (const [i, cert] of declared.entries()) {
    const versions: Version[] = [];
    for (const [j, v] of cert.versions.entries()) {
      if (!('source' in v)) {
        versions.push(v);
        continue;
      }
      if ('generate' in v.source) {
        const { commonName, validityDays } = v.source.generate;
        versions.push(
          await createCertificateVersion(now, commonName, {
            version: v.version,
            validityDays,
            ...(v.created === undefined ? {} : { created: v.created }),
          }),
        );
        continue;
      }
      try {
        const pfx = Buffer.from(v.source.pfx, 'base64');
        const pems = await readPasswordlessPfx(pfx);
        versions.push({
          version: v.version,
          ...pems,
          created: v.created ?? Math.floor(Date.parse(new X509Certificate(pems.certificatePem).validFrom) / 1000),
          pfx: v.source.pfx,
        });
      } catch (err) {
        problem([i, 'versions', j, 'pfxFile'], (err as Error).message);
      }
    }
    if (versions.length === cert.versions.length) out.push({ ...cert, versions });
  }
  return out;
}

/** PEM certificates `clientId` trusts through the vault: every version of the certificates registered on it. */
export function vaultCertificatesOf(ctx: EmulatorContext, clientId: string): string[] {
  const id = clientId.toLowerCase();
  return ctx.store.vaultCertificates
    .filter((c) => c.registeredOn.some((r) => r.toLowerCase() === id))
    .flatMap((c) => c.versions.map((v) => v.certificatePem));
}

function find(
  ctx: EmulatorContext,
  name: string,
  version: string | undefined,
): { cert: VaultCertificate; v: Version } | undefined {
  const cert = ctx.store.vaultCertificates.find((c) => c.name.toLowerCase() === name.toLowerCase());
  const v = cert && (version ? cert.versions.find((x) => x.version === version) : cert.versions.at(-1));
  return cert && v ? { cert, v } : undefined;
}

const ids = (base: string, name: string, version: string) => ({
  id: `${base}/certificates/${name}/${version}`,
  kid: `${base}/keys/${name}/${version}`,
  sid: `${base}/secrets/${name}/${version}`,
});

const attributes = (v: Version, x509: X509Certificate) => ({
  enabled: true,
  nbf: Math.floor(Date.parse(x509.validFrom) / 1000),
  exp: Math.floor(Date.parse(x509.validTo) / 1000),
  created: v.created,
  updated: v.created,
  recoveryLevel: 'Recoverable+Purgeable',
  recoverableDays: 90,
});

/** GET /certificates/{name}[/{version}]: the certificate bundle, or undefined when there is no such certificate. */
export function certificateBundle(
  ctx: EmulatorContext,
  req: EmuRequest,
  name: string,
  version: string | undefined,
): EmuResponse | undefined {
  const found = find(ctx, name, version);
  if (!found) return undefined;
  const { cert, v } = found;
  const x509 = new X509Certificate(v.certificatePem);
  return json(200, {
    ...ids(req.base, cert.name, v.version),
    x5t: createHash('sha1').update(x509.raw).digest('base64url'),
    cer: x509.raw.toString('base64'),
    attributes: attributes(v, x509),
    policy: {
      id: `${req.base}/certificates/${cert.name}/policy`,
      key_props: { exportable: true, kty: 'RSA', key_size: 2048, reuse_key: false },
      secret_props: { contentType: v.pfx ? PFX_CONTENT_TYPE : PEM_CONTENT_TYPE },
      x509_props: {
        subject: x509.subject.replace(/\n/g, ', '),
        validity_months: Math.max(
          1,
          Math.round((Date.parse(x509.validTo) - Date.parse(x509.validFrom)) / (30.44 * DAY)),
        ),
      },
      issuer: { name: 'Self' },
    },
    tags: {},
  });
}

/**
 * GET /secrets/{name}[/{version}] for a certificate-backed secret, `managed: true`: key + certificate as one PEM, or the
 * password-less PFX (base64) for a version imported as PFX, as Key Vault serves them.
 */
export function certificateSecret(
  ctx: EmulatorContext,
  req: EmuRequest,
  name: string,
  version: string | undefined,
): EmuResponse | undefined {
  const found = find(ctx, name, version);
  if (!found) return undefined;
  const { cert, v } = found;
  const x509 = new X509Certificate(v.certificatePem);
  const { kid, sid } = ids(req.base, cert.name, v.version);
  return json(200, {
    value: v.pfx ?? `${v.privateKeyPem.trim()}\n${v.certificatePem.trim()}\n`,
    contentType: v.pfx ? PFX_CONTENT_TYPE : PEM_CONTENT_TYPE,
    id: sid,
    kid,
    managed: true,
    attributes: attributes(v, x509),
    tags: {},
  });
}
