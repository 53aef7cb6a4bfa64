// Key Vault certificates: GET /certificates/{name}[/{version}] (public certificate, kid/sid/x5t) and the certificate's
// private key served, as Key Vault does, as the secret of the same name (PEM bundle, application/x-pem-file).
import { X509Certificate, createHash, randomBytes } from 'node:crypto';
import { generate } from 'selfsigned';
import type { EmulatorContext } from './context';
import { json, type EmuRequest, type EmuResponse } from './http/types';
import type { SeedVaultCertificate } from './seedTypes';

type Version = SeedVaultCertificate['versions'][number];
const DAY = 86_400_000;
export const PEM_CONTENT_TYPE = 'application/x-pem-file';

/** A new self-signed certificate version (32-hex version id, like Key Vault's). */
export async function createCertificateVersion(now: number, commonName: string): Promise<Version> {
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    algorithm: 'sha256',
    keySize: 2048,
    notBeforeDate: new Date(now - DAY),
    notAfterDate: new Date(now + 365 * DAY),
  });
  return {
    version: randomBytes(16).toString('hex'),
    certificatePem: pems.cert,
    privateKeyPem: pems.private,
    created: Math.floor(now / 1000),
  };
}

function find(
  ctx: EmulatorContext,
  name: string,
  version: string | undefined,
): { cert: SeedVaultCertificate; v: Version } | undefined {
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
      secret_props: { contentType: PEM_CONTENT_TYPE },
      x509_props: { subject: x509.subject.replace(/\n/g, ', '), validity_months: 12 },
      issuer: { name: 'Self' },
    },
    tags: {},
  });
}

/** GET /secrets/{name}[/{version}] for a certificate-backed secret: key + certificate as one PEM, `managed: true`. */
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
    value: `${v.privateKeyPem.trim()}\n${v.certificatePem.trim()}\n`,
    contentType: PEM_CONTENT_TYPE,
    id: sid,
    kid,
    managed: true,
    attributes: attributes(v, x509),
    tags: {},
  });
}
