// Key Vault "Get Secret" / "Get Certificate" at the root of its own port: challenge 401, audience 401, api-version 400,
// RBAC 403, 404, 200. A certificate's private key is the secret of the same name (vaultCertificates.ts).
import type { EmulatorContext } from './context';
import type { ActiveFault } from './faults';
import { instrument, rawFaultBody } from './http/instrument';
import { header, json, type EmuRequest, type EmuResponse, type Handler } from './http/types';
import { certificateBundle, certificateSecret } from './vaultCertificates';

export const VAULT_RESOURCE = 'https://vault.azure.net';
const API_VERSION = /^(7\.\d+(-preview)?|20\d\d-\d\d-\d\d(-preview)?)$/;
const kvError = (
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) => json(status, { error: { code, message, ...extra } }, { 'x-ms-keyvault-service-version': '1.9.0.0', ...headers });

export function createKeyVaultHandler(ctx: EmulatorContext): Handler {
  const challenge = () => ({
    'www-authenticate': `Bearer authorization="${ctx.entraBase()}/${ctx.directory.seed.tenants[0]!.id}", resource="${VAULT_RESOURCE}"`,
  });
  const route = async (req: EmuRequest): Promise<EmuResponse> => {
    const m = /^\/(?:secrets|(certificates))\/([0-9a-zA-Z-]{1,127})(?:\/([0-9a-fA-F]{32}))?\/?$/.exec(req.url.pathname);
    const token = /^Bearer\s+(\S+)$/i.exec(header(req, 'authorization') ?? '')?.[1];
    if (!token)
      return kvError(401, 'Unauthorized', 'AKV10000: Request is missing a Bearer or PoP token.', {}, challenge());
    let claims: Awaited<ReturnType<typeof ctx.signer.verify>>;
    try {
      claims = await ctx.signer.verify(token, [VAULT_RESOURCE, `${VAULT_RESOURCE}/`]);
    } catch (err) {
      const e = err as { code?: string; claim?: string };
      const message =
        e.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && e.claim === 'aud'
          ? `AKV10022: Invalid audience. Expected ${VAULT_RESOURCE}.`
          : e.code === 'ERR_JWT_EXPIRED'
            ? 'AKV10032: Token expired.'
            : 'AKV10013: Invalid token, signature or issuer could not be validated.';
      return kvError(401, 'Unauthorized', message, {}, challenge());
    }
    const apiVersion = req.url.searchParams.get('api-version');
    if (!apiVersion || !API_VERSION.test(apiVersion)) {
      return kvError(
        400,
        'BadParameter',
        apiVersion
          ? `The specified version (${apiVersion}) is not recognized. Consider using the latest supported version (7.6).`
          : 'The api-version query parameter is required.',
      );
    }
    if (!m || req.method !== 'GET')
      return kvError(
        400,
        'BadParameter',
        `The request URI is not valid for this emulator: ${req.method} ${req.url.pathname}`,
      );
    const vault = ctx.directory.seed.vault;
    const oid = String(claims.oid ?? '');
    if (!vault.secretReaders.includes(oid)) {
      return kvError(
        403,
        'Forbidden',
        [
          'Caller is not authorized to perform action on resource.',
          'If role assignments, deny assignments or role definitions were changed recently, please observe propagation time.',
          `Caller: appid=${String(claims.appid ?? '')};oid=${oid};iss=${String(claims.iss ?? '')}`,
          "Action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'",
          `Resource: '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/emulator/providers/microsoft.keyvault/vaults/emulator/${m[1] ? 'certificates' : 'secrets'}/${m[2]!.toLowerCase()}'`,
          'Assignment: (not found)',
          "DecisionReason: 'DeniedWithNoValidRBAC' ",
          'Vault: emulator;location=local',
          '',
        ].join('\r\n'),
        { innererror: { code: 'ForbiddenByRbac' } },
      );
    }
    const name = m[2]!;
    const version = m[3]?.toLowerCase();
    if (m[1]) {
      return (
        certificateBundle(ctx, req, name, version) ??
        kvError(
          404,
          'CertificateNotFound',
          `A certificate with (name/id) ${version ? `${name}/${version}` : name} was not found in this key vault. If you recently deleted this certificate you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
        )
      );
    }
    const secret = vault.secrets.find(
      (s) => s.name.toLowerCase() === name.toLowerCase() && (!version || s.version === version),
    );
    const backing = secret ? undefined : certificateSecret(ctx, req, name, version);
    if (backing) return backing;
    if (!secret) {
      return kvError(
        404,
        'SecretNotFound',
        `A secret with (name/id) ${version ? `${name}/${version}` : name} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
      );
    }
    if (!secret.enabled)
      return kvError(403, 'Forbidden', `Operation get is not allowed on a disabled secret.`, {
        innererror: { code: 'SecretDisabled' },
      });
    return json(
      200,
      {
        value: secret.value,
        id: `${req.base}/secrets/${secret.name}/${secret.version}`,
        attributes: {
          enabled: true,
          created: secret.created,
          updated: secret.created,
          recoveryLevel: 'Recoverable+Purgeable',
          recoverableDays: 90,
        },
        tags: secret.tags ?? {},
      },
      { 'cache-control': 'no-cache', 'x-ms-keyvault-service-version': '1.9.0.0' },
    );
  };
  return instrument(
    ctx,
    { service: 'keyvault', endpointOf: () => 'keyvault', faultResponse: (f) => faultResponse(f) },
    route,
  );
}

function faultResponse(fault: ActiveFault): EmuResponse {
  const status = fault.status ?? 500;
  const raw = rawFaultBody(fault);
  if (raw) return { status, ...raw };
  const code =
    fault.error ??
    (status === 403
      ? 'Forbidden'
      : status === 404
        ? 'SecretNotFound'
        : status === 429
          ? 'Throttled'
          : 'InternalServerError');
  const extra = status === 403 && !fault.error ? { innererror: { code: 'ForbiddenByRbac' } } : {};
  return kvError(status, code, fault.errorDescription ?? 'Injected fault.', extra);
}
