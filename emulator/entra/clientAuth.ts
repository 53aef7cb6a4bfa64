// Confidential-client authentication at /token: client secret, or a certificate-signed client assertion (RFC 7523).
import { X509Certificate, createHash } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import type { EmulatorContext } from '../context';
import type { EmuRequest } from '../http/types';
import type { SeedApp } from '../seedTypes';
import type { EntraErrorSpec } from './errors';
import { E } from './errors';
import { vaultCertificatesOf } from '../vaultCertificates';

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export type ClientAuthResult =
  | { kind: 'none' }
  | { kind: 'confidential'; method: 'secret' | 'certificate' }
  | { kind: 'error'; spec: EntraErrorSpec };

/** Checks whatever credential the request presents; `none` when it presents none (the caller decides if that is OK). */
export async function authenticateClient(
  ctx: EmulatorContext,
  req: EmuRequest,
  app: SeedApp,
  form: URLSearchParams,
): Promise<ClientAuthResult> {
  const basic = basicCredentials(req);
  const secret =
    form.get('client_secret') ?? (basic?.clientId.toLowerCase() === app.clientId.toLowerCase() ? basic.secret : null);
  const assertion = form.get('client_assertion');
  if (secret !== null && assertion !== null) {
    return {
      kind: 'error',
      spec: { error: 'invalid_request', code: 90014, message: 'Only one client credential may be presented.' },
    };
  }
  if (secret !== null) {
    return app.secrets.includes(secret)
      ? { kind: 'confidential', method: 'secret' }
      : { kind: 'error', spec: E.badSecret(app.clientId) };
  }
  if (assertion !== null) {
    const failure = await verifyAssertion(ctx, req, app, assertion, form.get('client_assertion_type'));
    return failure ? { kind: 'error', spec: failure } : { kind: 'confidential', method: 'certificate' };
  }
  return { kind: 'none' };
}

async function verifyAssertion(
  ctx: EmulatorContext,
  req: EmuRequest,
  app: SeedApp,
  assertion: string,
  type: string | null,
): Promise<EntraErrorSpec | undefined> {
  const invalid = (code: number, message: string): EntraErrorSpec => ({
    error: 'invalid_client',
    code,
    status: 401,
    message,
  });
  if (type !== JWT_BEARER) {
    return { error: 'invalid_request', code: 50027, message: `client_assertion_type must be '${JWT_BEARER}'.` };
  }
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    return invalid(50027, 'Invalid JWT token. The client assertion is not a well-formed JWT.');
  }
  const x5tS256 = typeof header['x5t#S256'] === 'string' ? header['x5t#S256'] : undefined;
  const x5t = typeof header.x5t === 'string' ? header.x5t : undefined;
  if (!x5tS256 && !x5t)
    return invalid(700027, "Client assertion has no 'x5t#S256' or 'x5t' header identifying the certificate.");
  const cert = [...app.certificates, ...vaultCertificatesOf(ctx, app.clientId)]
    .map((pem) => new X509Certificate(pem))
    .find((c) => (x5tS256 ? thumbprint(c, 'sha256') === x5tS256 : thumbprint(c, 'sha1') === x5t));
  if (!cert) {
    return invalid(
      700027,
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${x5tS256 ?? x5t}']`,
    );
  }
  const tokenEndpoint = `${req.base}${req.url.pathname}`.toLowerCase();
  try {
    const { payload } = await jwtVerify(assertion, cert.publicKey, {
      algorithms: ['RS256', 'PS256'],
      currentDate: new Date(ctx.clock.now()),
      clockTolerance: 300,
      requiredClaims: ['exp', 'aud', 'iss', 'sub'],
    });
    const audiences = (Array.isArray(payload.aud) ? payload.aud : [payload.aud]).map((a) =>
      String(a).toLowerCase().replace(/\/$/, ''),
    );
    if (!audiences.includes(tokenEndpoint)) {
      return invalid(
        700212,
        `No matching federated identity record found for presented assertion audience '${audiences.join(', ')}'. The audience must be the token endpoint '${tokenEndpoint}'.`,
      );
    }
    if (payload.iss !== app.clientId || payload.sub !== app.clientId) {
      return invalid(
        700021,
        'Client assertion application identifier does not match the client_id parameter (iss and sub must both be the client id).',
      );
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_JWT_EXPIRED') return invalid(700024, 'Client assertion is not within its valid time range.');
    return invalid(700027, 'Client assertion failed signature validation.');
  }
  return undefined;
}

/** Certificate thumbprints as JOSE headers carry them: base64url of the raw digest. */
function thumbprint(cert: X509Certificate, alg: 'sha1' | 'sha256'): string {
  return createHash(alg).update(cert.raw).digest('base64url');
}

function basicCredentials(req: EmuRequest): { clientId: string; secret: string } | undefined {
  const auth = req.headers.authorization;
  if (!auth?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return i < 0
    ? undefined
    : { clientId: decodeURIComponent(decoded.slice(0, i)), secret: decodeURIComponent(decoded.slice(i + 1)) };
}
