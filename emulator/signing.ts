// The emulator's token signing key (RS256, generated per start or restored from the state dir) and the JWKS and verifier.
import { createHash } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, importJWK, jwtVerify, type JWK, type JWTPayload } from 'jose';
import type { Clock } from './clock';

export interface Signer {
  jwks(): { keys: JWK[] };
  /** Signs claims; `iat`/`nbf`/`exp` come from the caller (emulator clock). */
  sign(claims: JWTPayload): Promise<string>;
  /** Verifies signature and lifetime against the emulator clock; audience checked by the caller's list. */
  verify(token: string, audiences: string[]): Promise<JWTPayload>;
  /** The private key as a JWK, so a persisted emulator keeps its tokens valid across a restart. */
  privateJwk(): JWK;
}

/** `existing`: a private JWK saved by privateJwk(); a fresh key otherwise. */
export async function createSigner(clock: Clock, existing?: JWK): Promise<Signer> {
  let privateKey: CryptoKey;
  let privateJwk: JWK;
  if (existing) {
    privateKey = (await importJWK(existing, 'RS256')) as CryptoKey;
    privateJwk = existing;
  } else {
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateKey = pair.privateKey;
    privateJwk = await exportJWK(pair.privateKey);
  }
  const n = privateJwk.n ?? '';
  const publicKey = (await importJWK({ kty: 'RSA', n, e: privateJwk.e }, 'RS256')) as CryptoKey;
  // Entra's kid is the certificate thumbprint; a hash of the modulus is just as stable per key.
  const kid = createHash('sha256').update(n).digest('base64url').slice(0, 27);
  const publicJwk: JWK = { kty: 'RSA', use: 'sig', kid, x5t: kid, n, e: privateJwk.e, alg: 'RS256' };
  return {
    jwks: () => ({ keys: [publicJwk] }),
    sign: (claims) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid, x5t: kid }).sign(privateKey),
    async verify(token, audiences) {
      const { payload } = await jwtVerify(token, publicKey, {
        algorithms: ['RS256'],
        audience: audiences,
        currentDate: new Date(clock.now()),
      });
      return payload;
    },
    privateJwk: () => ({ ...privateJwk }),
  };
}
