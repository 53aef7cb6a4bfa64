// Turns the containers enterprises keep client certificates in (PKCS#12 / PFX with a password, a PEM bundle of key +
// certificate as Key Vault serves it) into the PEM key, PEM leaf and SHA-256 thumbprint msal-node signs assertions with.
import { X509Certificate, createPrivateKey, webcrypto } from 'node:crypto';
import { CertBag, CryptoEngine, PFX, PKCS8ShroudedKeyBag, PrivateKeyInfo, type SafeContents } from 'pkijs';
import type { CertificateCredential } from '../../config/types';

/** The certificate container could not be used: `reason` says why in words an operator can act on. */
export class CertificateFormatError extends Error {
  override readonly name = 'CertificateFormatError';
  constructor(
    readonly reason:
      | 'wrong_password'
      | 'unsupported_encryption'
      | 'not_a_certificate'
      | 'no_private_key'
      | 'no_certificate'
      | 'key_mismatch',
    message: string,
  ) {
    super(message);
  }
}

interface ShroudedKeyDecryptor {
  parseInternalValues(parameters: { password: ArrayBuffer }, crypto: CryptoEngine): Promise<void>;
}

const KEY_BAG = '1.2.840.113549.1.12.10.1.1';
const SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const CERT_BAG = '1.2.840.113549.1.12.10.1.3';
const X509_CERT_TYPE = '1.2.840.113549.1.9.22.1';

/**
 * Decodes a PFX (the MAC is checked with `password`; PBES2 and legacy-encrypted bags are decrypted) into the private
 * key and the certificate that matches it. pkijs does the ASN.1 and crypto; Node's WebCrypto is its engine.
 */
export async function decodePfx(pfx: Uint8Array, password: string): Promise<CertificateCredential> {
  const engine = new CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto });
  const passwordBytes = new TextEncoder().encode(password).buffer as ArrayBuffer;
  let parsed: PFX;
  try {
    parsed = PFX.fromBER(toArrayBuffer(pfx));
  } catch {
    throw new CertificateFormatError('not_a_certificate', 'the file is not a PKCS#12 (PFX) container');
  }
  try {
    await parsed.parseInternalValues({ password: passwordBytes, checkIntegrity: true }, engine);
  } catch {
    throw new CertificateFormatError(
      'wrong_password',
      'the password is wrong, or the file is damaged (its integrity check failed)',
    );
  }
  const authSafe = parsed.parsedValue?.authenticatedSafe;
  if (!authSafe) throw new CertificateFormatError('not_a_certificate', 'the PFX holds no password-integrity content');
  try {
    await authSafe.parseInternalValues(
      { safeContents: authSafe.safeContents.map(() => ({ password: passwordBytes })) },
      engine,
    );
  } catch {
    // The MAC (same password) passed, so the password is right: the bags use an encryption pkijs lacks (RC2 / 3DES).
    throw new CertificateFormatError(
      'unsupported_encryption',
      'it uses legacy encryption (RC2 or 3DES); export it again with AES-256 (e.g. `openssl pkcs12 -export` without -legacy, or "AES256-SHA256" on Windows)',
    );
  }
  const keys: Buffer[] = [];
  const certs: Buffer[] = [];
  const contents =
    (authSafe.parsedValue as { safeContents?: { value: SafeContents }[] } | undefined)?.safeContents ?? [];
  for (const content of contents) {
    for (const bag of content.value.safeBags) {
      if (bag.bagId === KEY_BAG && bag.bagValue instanceof PrivateKeyInfo) {
        keys.push(Buffer.from(bag.bagValue.toSchema().toBER(false)));
      } else if (bag.bagId === SHROUDED_KEY_BAG && bag.bagValue instanceof PKCS8ShroudedKeyBag) {
        try {
          // Public at run time (pkijs' own PKCS#12 example calls it); its .d.ts marks it protected.
          await (bag.bagValue as unknown as ShroudedKeyDecryptor).parseInternalValues(
            { password: passwordBytes },
            engine,
          );
        } catch {
          throw new CertificateFormatError(
            'unsupported_encryption',
            'its private key uses an encryption this app cannot decrypt; export it again with AES-256',
          );
        }
        if (bag.bagValue.parsedValue) keys.push(Buffer.from(bag.bagValue.parsedValue.toSchema().toBER(false)));
      } else if (bag.bagId === CERT_BAG && bag.bagValue instanceof CertBag && bag.bagValue.certId === X509_CERT_TYPE) {
        const cert = bag.bagValue.parsedValue as { toSchema(): { toBER(s: boolean): ArrayBuffer } } | undefined;
        if (cert) certs.push(Buffer.from(cert.toSchema().toBER(false)));
      }
    }
  }
  if (keys.length === 0) throw new CertificateFormatError('no_private_key', 'the PFX holds no private key');
  if (certs.length === 0) throw new CertificateFormatError('no_certificate', 'the PFX holds no certificate');
  const privateKeyPem = createPrivateKey({ key: keys[0]!, format: 'der', type: 'pkcs8' })
    .export({ format: 'pem', type: 'pkcs8' })
    .toString();
  return matchingCredential(
    privateKeyPem,
    certs.map((der) => new X509Certificate(der)),
  );
}

/** A PEM bundle (private key + certificate chain in one text, Key Vault's `application/x-pem-file`). */
export function decodePemBundle(pem: string): CertificateCredential {
  const keyBlock = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/.exec(
    pem,
  )?.[0];
  if (!keyBlock) throw new CertificateFormatError('no_private_key', 'the PEM holds no private key');
  const certBlocks = [...pem.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)].map(
    (m) => m[0],
  );
  if (certBlocks.length === 0) throw new CertificateFormatError('no_certificate', 'the PEM holds no certificate');
  let certs: X509Certificate[];
  try {
    certs = certBlocks.map((b) => new X509Certificate(b));
  } catch {
    throw new CertificateFormatError('not_a_certificate', 'a certificate in the PEM cannot be read');
  }
  const privateKeyPem = createPrivateKey(keyBlock).export({ format: 'pem', type: 'pkcs8' }).toString();
  return matchingCredential(privateKeyPem, certs);
}

/** The leaf whose public key belongs to the private key (a PFX or bundle may carry the chain as well). */
function matchingCredential(privateKeyPem: string, certs: X509Certificate[]): CertificateCredential {
  const key = createPrivateKey(privateKeyPem);
  const leaf = certs.find((c) => c.checkPrivateKey(key));
  if (!leaf) throw new CertificateFormatError('key_mismatch', 'no certificate in it matches its private key');
  return {
    privateKeyPem,
    certificatePem: leaf.toString(),
    thumbprintSha256: leaf.fingerprint256.replace(/:/g, '').toLowerCase(),
  };
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
