// The emulator's token signing key (RS256, generated per start) and the matching JWKS and verifier.
import { createHash } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, jwtVerify, type JWK, type JWTPayload } from 'jose';
import type { Clock } from './clock';

export interface Signer {
  jwks(): { keys: JWK[] };
  /** Signs claims; `iat`/`nbf`/`exp` come from the caller (emulator clock). */
  sign(claims: JWTPayload): Promise<string>;
  /** Verifies signature and lifetime against the emulator clock; audience checked by the caller's list. */
  verify(token: string, audiences: string[]): Promise<JWTPayload>;
}

export async function createSigner(clock: Clock): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  // Entra's kid is the certificate thumbprint; a hash of the modulus is just as stable per key.
  const kid = createHash('sha256').update(jwk.n ?? '').digest('base64url').slice(0, 27);
  const publicJwk: JWK = { kty: 'RSA', use: 'sig', kid, x5t: kid, n: jwk.n, e: jwk.e, alg: 'RS256' };
  return {
    jwks: () => ({ keys: [publicJwk] }),
    sign: (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid, x5t: kid }).sign(privateKey),
    async verify(token, audiences) {
      const { payload } = await jwtVerify(token, publicKey, {
        algorithms: ['RS256'],
        audience: audiences,
        currentDate: new Date(clock.now()),
      });
      return payload;
    },
  };
}
