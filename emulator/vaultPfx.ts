// Reads the private key and certificate out of a password-less PKCS#12 (PFX), the form Key Vault keeps an imported PFX
// in; pkijs does the ASN.1 and the (empty-password) decryption with Node's WebCrypto.
import { X509Certificate, createPrivateKey, webcrypto } from 'node:crypto';
import { CertBag, CryptoEngine, PFX, PKCS8ShroudedKeyBag, PrivateKeyInfo, type SafeContents } from 'pkijs';

const KEY_BAG = '1.2.840.113549.1.12.10.1.1';
const SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const CERT_BAG = '1.2.840.113549.1.12.10.1.3';

interface ShroudedKeyDecryptor {
  parseInternalValues(parameters: { password: ArrayBuffer }, crypto: CryptoEngine): Promise<void>;
}

/** The leaf certificate (the one matching the key) and the PKCS#8 key; throws an Error saying what is wrong. */
export async function readPasswordlessPfx(pfx: Buffer): Promise<{ certificatePem: string; privateKeyPem: string }> {
  const engine = new CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto });
  const password = new ArrayBuffer(0);
  let parsed: PFX;
  try {
    parsed = PFX.fromBER(pfx.buffer.slice(pfx.byteOffset, pfx.byteOffset + pfx.byteLength) as ArrayBuffer);
    await parsed.parseInternalValues({ password, checkIntegrity: true }, engine);
  } catch {
    throw new Error(
      'is not a password-less PKCS#12 file (Key Vault keeps an imported PFX without its password: export it with `openssl pkcs12 -export -passout pass:`)',
    );
  }
  const authSafe = parsed.parsedValue?.authenticatedSafe;
  const keys: Buffer[] = [];
  const certs: X509Certificate[] = [];
  try {
    if (!authSafe) throw new Error('no content');
    await authSafe.parseInternalValues({ safeContents: authSafe.safeContents.map(() => ({ password })) }, engine);
    const contents =
      (authSafe.parsedValue as { safeContents?: { value: SafeContents }[] } | undefined)?.safeContents ?? [];
    for (const bag of contents.flatMap((c) => c.value.safeBags)) {
      if (bag.bagId === KEY_BAG && bag.bagValue instanceof PrivateKeyInfo) {
        keys.push(Buffer.from(bag.bagValue.toSchema().toBER(false)));
      } else if (bag.bagId === SHROUDED_KEY_BAG && bag.bagValue instanceof PKCS8ShroudedKeyBag) {
        // Public at run time (pkijs' own PKCS#12 example calls it); its .d.ts marks it protected.
        await (bag.bagValue as unknown as ShroudedKeyDecryptor).parseInternalValues({ password }, engine);
        if (bag.bagValue.parsedValue) keys.push(Buffer.from(bag.bagValue.parsedValue.toSchema().toBER(false)));
      } else if (bag.bagId === CERT_BAG && bag.bagValue instanceof CertBag) {
        const cert = bag.bagValue.parsedValue as { toSchema(): { toBER(s: boolean): ArrayBuffer } } | undefined;
        if (cert) certs.push(new X509Certificate(Buffer.from(cert.toSchema().toBER(false))));
      }
    }
  } catch {
    throw new Error('uses an encryption the emulator cannot read (export it again with AES-256, without -legacy)');
  }
  if (keys.length === 0) throw new Error('holds no private key');
  const key = createPrivateKey({ key: keys[0]!, format: 'der', type: 'pkcs8' });
  const leaf = certs.find((c) => c.checkPrivateKey(key));
  if (!leaf) throw new Error('holds no certificate matching its private key');
  return { certificatePem: leaf.toString(), privateKeyPem: key.export({ format: 'pem', type: 'pkcs8' }).toString() };
}
