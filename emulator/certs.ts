// Creates (once) and loads the emulator's local CA, its localhost server certificate and the app's client certificate.
import { X509Certificate, createHash, createPrivateKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { generate } from 'selfsigned';
import { EMULATOR_CERT_FILES, EMULATOR_DEFAULTS } from '../config/emulatorDefaults';

export interface EmulatorCertificates {
  /** Absolute folder holding the files. */
  dir: string;
  /** Absolute paths of every generated file (names from EMULATOR_CERT_FILES). */
  paths: Record<keyof typeof EMULATOR_CERT_FILES, string>;
  caCertPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  /** base64(SHA-256(leaf SPKI DER)), the value Chromium's --ignore-certificate-errors-spki-list takes. */
  spkiHash: string;
  /** Hex SHA-256 thumbprint of the client certificate (msal-node's `clientCertificate.thumbprintSha256`). */
  clientThumbprintSha256: string;
}

export interface CertificateOptions {
  /** Project root; relative state dirs resolve against it. */
  rootDir: string;
  /** Folder for the files; default EMULATOR_DEFAULTS.stateDir. */
  stateDir?: string;
  /** Injectable for tests of the renewal rule. */
  now?: () => number;
}

const DAY = 86_400_000;
/** Regenerate a little before expiry so a long test run never straddles it. */
const RENEW_BEFORE_MS = 7 * DAY;

/** Resolves the absolute state folder the same way everywhere (emulator, scripts). */
export function resolveStateDir(rootDir: string, stateDir: string = EMULATOR_DEFAULTS.stateDir): string {
  return isAbsolute(stateDir) ? stateDir : resolve(rootDir, stateDir);
}

/** Returns the certificates, generating them when missing, unparsable, mismatched or close to expiry. */
export async function ensureCertificates(options: CertificateOptions): Promise<EmulatorCertificates> {
  const dir = resolveStateDir(options.rootDir, options.stateDir);
  const now = options.now ?? Date.now;
  const paths = Object.fromEntries(
    Object.entries(EMULATOR_CERT_FILES).map(([k, file]) => [k, join(dir, file)]),
  ) as EmulatorCertificates['paths'];
  if (!reusable(paths, now())) {
    mkdirSync(dir, { recursive: true });
    await generateAll(paths, now());
  }
  return load(dir, paths);
}

function load(dir: string, paths: EmulatorCertificates['paths']): EmulatorCertificates {
  const read = (p: string) => readFileSync(p, 'utf8');
  const serverCertPem = read(paths.serverCert);
  const clientCertPem = read(paths.clientCert);
  const spki = new X509Certificate(serverCertPem).publicKey.export({ type: 'spki', format: 'der' });
  return {
    dir,
    paths,
    caCertPem: read(paths.caCert),
    serverCertPem,
    serverKeyPem: read(paths.serverKey),
    clientCertPem,
    clientKeyPem: read(paths.clientKey),
    spkiHash: createHash('sha256').update(spki).digest('base64'),
    clientThumbprintSha256: new X509Certificate(clientCertPem).fingerprint256.replace(/:/g, '').toLowerCase(),
  };
}

function reusable(paths: EmulatorCertificates['paths'], now: number): boolean {
  if (!Object.values(paths).every((p) => existsSync(p))) return false;
  try {
    const read = (p: string) => readFileSync(p, 'utf8');
    const ca = new X509Certificate(read(paths.caCert));
    const server = new X509Certificate(read(paths.serverCert));
    const client = new X509Certificate(read(paths.clientCert));
    const fresh = (c: X509Certificate) =>
      Date.parse(c.validTo) - RENEW_BEFORE_MS > now && Date.parse(c.validFrom) <= now + DAY;
    return (
      [ca, server, client].every(fresh) &&
      ca.ca &&
      server.verify(ca.publicKey) &&
      server.checkHost('localhost') !== undefined &&
      server.checkIP('127.0.0.1') !== undefined &&
      server.checkPrivateKey(createPrivateKey(read(paths.serverKey))) &&
      client.checkPrivateKey(createPrivateKey(read(paths.clientKey)))
    );
  } catch {
    return false;
  }
}

async function generateAll(paths: EmulatorCertificates['paths'], now: number): Promise<void> {
  const notBeforeDate = new Date(now - DAY);
  const ca = await generate([{ name: 'commonName', value: 'hybrid-spa-bff emulator local CA' }], {
    algorithm: 'sha256',
    keySize: 2048,
    notBeforeDate,
    notAfterDate: new Date(now + 5 * 365 * DAY),
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await generate([{ name: 'commonName', value: 'localhost' }], {
    algorithm: 'sha256',
    keySize: 2048,
    notBeforeDate,
    // Browsers cap leaf lifetimes (398 days); stay under it.
    notAfterDate: new Date(now + 365 * DAY),
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  // Entra app certificates are usually self-signed; only the registered public key matters.
  const client = await generate([{ name: 'commonName', value: 'hybrid-spa-bff emulator client credential' }], {
    algorithm: 'sha256',
    keySize: 2048,
    notBeforeDate,
    notAfterDate: new Date(now + 2 * 365 * DAY),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', clientAuth: true },
    ],
  });
  writeAtomic(paths.caCert, ca.cert);
  writeAtomic(paths.caKey, ca.private, 0o600);
  writeAtomic(paths.serverCert, server.cert);
  writeAtomic(paths.serverKey, server.private, 0o600);
  writeAtomic(paths.clientCert, client.cert);
  writeAtomic(paths.clientKey, client.private, 0o600);
}

/** Rename is atomic, so a concurrently starting process never reads half a file. */
function writeAtomic(path: string, content: string, mode = 0o644): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { mode });
  renameSync(tmp, path);
}
