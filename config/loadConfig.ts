// loadConfig(env): validates settings once, fills emulator defaults, and fails listing every problem in one message.
import { X509Certificate, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { envSchema, type Env } from './envSchema';
import { authModeOf } from './authMode';
import { debugEnables, IOREDIS_COMMAND_NAMESPACE } from './debugNamespaces';
import { EMULATOR_DEFAULTS } from './emulatorDefaults';
import { binaryKeyWeakness, sessionKeyWeakness } from './secretStrength';
import { resolveRedisStore } from './redisConfig';
import type { ClientCredential, Config, StoreConfig } from './types';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        '\nSee .env.example for every setting.',
    );
  }
}

export interface LoadConfigOptions {
  /** Reads certificate files; injectable for tests. */
  readFile?: (path: string) => string;
  /** Reads binary files (PFX); injectable for tests. */
  readBinaryFile?: (path: string) => Buffer;
  /** Project root for relative paths. */
  rootDir?: string;
}

const GRAPH_V1 = 'https://graph.microsoft.com/v1.0';
/** Scopes that must never be handed to the browser. */
const SERVER_ONLY_SCOPE = /^(mail\.|https:\/\/vault\.azure\.net)/i;
/** Bind addresses meaning "every interface". */
const ALL_INTERFACES = new Set(['0.0.0.0', '::', '[::]', '0:0:0:0:0:0:0:0', '*']);

/**
 * Validates the environment and returns a frozen Config. Throws ConfigError naming every problem.
 * Pure apart from reading the certificate files a certificate credential names.
 */
export function loadConfig(env: Record<string, string | undefined>, options: LoadConfigOptions = {}): Readonly<Config> {
  const readFile = options.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  const readBinaryFile = options.readBinaryFile ?? ((p: string) => readFileSync(p));
  const rootDir = options.rootDir ?? process.cwd();
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const mode = authModeOf(env) === 'entra' ? 'entra' : 'emulator'; // AUTH_MODE itself was validated by the schema
  const emu = mode === 'emulator';
  const production = e.NODE_ENV === 'production';
  if (emu && production)
    problems.push('AUTH_MODE: the emulator is for development and tests; set AUTH_MODE=entra in production');

  const port = e.PORT ?? EMULATOR_DEFAULTS.bffPort;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const secureCookies = e.COOKIE_SECURE ?? publicUrl.startsWith('https://');
  if (production && !publicUrl.startsWith('https://')) problems.push('PUBLIC_URL: must be https:// in production');
  if (production && e.COOKIE_SECURE === false && publicUrl.startsWith('https://')) {
    problems.push(
      'COOKIE_SECURE: false is refused in production with an https PUBLIC_URL (the session cookie would also travel over plain http); remove the setting',
    );
  }
  const host = e.HOST ?? (production ? '0.0.0.0' : '127.0.0.1');
  const warnings: string[] = [];
  if (e.TRUST_PROXY && ALL_INTERFACES.has(host)) {
    warnings.push(
      `TRUST_PROXY=true while listening on all interfaces (HOST=${host}): any client that reaches this port directly can forge X-Forwarded-For and evade the per-IP rate limits. Bind HOST to the interface only your proxy reaches, or firewall the port.`,
    );
  }
  if ((e.STORE ?? 'memory') === 'redis' && debugEnables(env.DEBUG, IOREDIS_COMMAND_NAMESPACE)) {
    const leak = `DEBUG=${env.DEBUG} makes ioredis print every command it sends to stderr, AUTH with the Redis password or Entra token included`;
    if (production) problems.push(`DEBUG: ${leak}; unset DEBUG, or exclude ioredis (append ,-ioredis:*)`);
    else warnings.push(`${leak}. Use it only with a throwaway Redis; never in production (refused there).`);
  }
  const timeouts = {
    headersMs: e.SERVER_HEADERS_TIMEOUT_MS ?? 20_000,
    requestMs: e.SERVER_REQUEST_TIMEOUT_MS ?? 30_000,
    keepAliveMs: e.SERVER_KEEP_ALIVE_TIMEOUT_MS ?? 5_000,
  };
  if (timeouts.headersMs > timeouts.requestMs) {
    problems.push(
      `SERVER_HEADERS_TIMEOUT_MS: ${timeouts.headersMs} must not exceed SERVER_REQUEST_TIMEOUT_MS (${timeouts.requestMs})`,
    );
  }

  const emulatorPorts = {
    entra: e.EMULATOR_ENTRA_PORT ?? EMULATOR_DEFAULTS.ports.entra,
    managedIdentity: e.EMULATOR_MI_PORT ?? EMULATOR_DEFAULTS.ports.managedIdentity,
    keyVault: e.EMULATOR_KEYVAULT_PORT ?? EMULATOR_DEFAULTS.ports.keyVault,
    graph: e.EMULATOR_GRAPH_PORT ?? EMULATOR_DEFAULTS.ports.graph,
  };
  const emuHost = EMULATOR_DEFAULTS.host;
  const instance = (
    e.ENTRA_INSTANCE ?? (emu ? `https://${emuHost}:${emulatorPorts.entra}` : 'https://login.microsoftonline.com')
  ).replace(/\/+$/, '');
  const tenant = e.ENTRA_TENANT_ID ?? (emu ? EMULATOR_DEFAULTS.tenantId : undefined);
  if (!tenant) problems.push('ENTRA_TENANT_ID: required (your tenant id, a verified domain, or "organizations")');
  const clientId = e.ENTRA_CLIENT_ID ?? (emu ? EMULATOR_DEFAULTS.clientId : undefined);
  if (!clientId) problems.push('ENTRA_CLIENT_ID: required (the application (client) id of your app registration)');

  const keyVaultUrl = e.KEY_VAULT_URL ?? (emu ? `https://${emuHost}:${emulatorPorts.keyVault}` : undefined);
  const credential = resolveCredential(e, { emu, readFile, readBinaryFile, rootDir, keyVaultUrl }, problems);
  const routeRoles = resolveRouteRoles(e.ROUTE_ROLES, problems);

  const serverScopes = e.SERVER_SCOPES ?? ['User.Read', 'Contacts.Read', 'Mail.Read'];
  const spaScopes = e.SPA_SCOPES ?? ['User.Read', 'Contacts.Read'];
  const leaked = spaScopes.filter((s) => SERVER_ONLY_SCOPE.test(s));
  if (leaked.length)
    problems.push(
      `SPA_SCOPES: ${leaked.join(', ')} must stay server-side; the browser may hold only minimal Graph scopes`,
    );
  const notConsented = spaScopes.filter((s) => !serverScopes.some((x) => x.toLowerCase() === s.toLowerCase()));
  if (notConsented.length)
    problems.push(
      `SPA_SCOPES: ${notConsented.join(', ')} must also be in SERVER_SCOPES (the spa code only carries scopes granted at sign-in)`,
    );

  const knownAuthorities = e.ENTRA_KNOWN_AUTHORITIES ?? (emu ? [`${emuHost}:${emulatorPorts.entra}`] : []);

  let sessionKeys = e.SESSION_KEYS ?? [];
  let keysEphemeral = false;
  if (sessionKeys.length === 0) {
    if (emu && !production && (e.STORE ?? 'memory') === 'memory') {
      sessionKeys = [randomBytes(32).toString('base64url')];
      keysEphemeral = true;
    } else {
      const why = production
        ? 'in production (random per-run keys would sign everyone out at every restart and differ between instances)'
        : emu
          ? 'with STORE=redis (every instance must share the same keys)'
          : 'with AUTH_MODE=entra';
      problems.push(
        `SESSION_KEYS: required ${why}, comma-separated, each at least 32 characters (e.g. \`openssl rand -base64 48\`)`,
      );
    }
  }
  sessionKeys.forEach((k, i) => {
    if (k.length < 32)
      problems.push(`SESSION_KEYS: key #${i + 1} is ${k.length} characters; each key needs at least 32`);
    const weakness = production && !keysEphemeral ? sessionKeyWeakness(k) : null;
    if (weakness)
      problems.push(`SESSION_KEYS: key #${i + 1} ${weakness}; use a random key (e.g. \`openssl rand -base64 48\`)`);
  });

  const store = resolveStore(e, { readFile, rootDir }, problems);
  const encryptionKeys = resolveCacheKeys(e.TOKEN_CACHE_KEYS, sessionKeys, problems, production);

  const secretNames = e.KEY_VAULT_SECRET_NAMES ?? (emu ? [EMULATOR_DEFAULTS.keyVaultSecretName] : []);
  for (const n of secretNames) {
    if (!/^[0-9a-zA-Z-]{1,127}$/.test(n))
      problems.push(`KEY_VAULT_SECRET_NAMES: "${n}" is not a valid Key Vault secret name`);
  }
  if (keyVaultUrl && secretNames.length === 0)
    problems.push('KEY_VAULT_SECRET_NAMES: required when KEY_VAULT_URL is set');

  const metricsPort = e.METRICS_PORT ?? null;
  if (metricsPort !== null && metricsPort === port)
    problems.push('METRICS_PORT: must differ from PORT (metrics are never served on the public listener)');

  if (problems.length) throw new ConfigError(problems);

  const idleMinutes = e.SESSION_IDLE_MINUTES ?? 60;
  const absoluteHours = e.SESSION_ABSOLUTE_HOURS ?? 12;
  const config: Config = {
    mode,
    production,
    warnings,
    server: {
      host,
      port,
      publicUrl,
      trustProxy: e.TRUST_PROXY ?? false,
      proxyHops: e.PROXY_HOPS ?? 1,
      clientDistDir: resolve(rootDir, e.CLIENT_DIST_DIR ?? 'dist/client'),
      timeouts,
    },
    devServer: { host: e.DEV_SERVER_HOST ?? '127.0.0.1', port: e.DEV_SERVER_PORT ?? EMULATOR_DEFAULTS.devServerPort },
    entra: {
      instance,
      tenant: tenant!,
      authority: `${instance}/${tenant}`,
      clientId: clientId!,
      credential: credential!,
      redirectUri: e.ENTRA_REDIRECT_URI ?? `${publicUrl}/auth/callback`,
      spaRedirectUri: e.ENTRA_SPA_REDIRECT_URI ?? `${publicUrl}/`,
      postLogoutRedirectUri: e.ENTRA_POST_LOGOUT_REDIRECT_URI ?? `${publicUrl}/`,
      knownAuthorities,
      authorityMetadata: e.ENTRA_AUTHORITY_METADATA ?? null,
      cloudDiscoveryMetadata: e.ENTRA_CLOUD_DISCOVERY_METADATA ?? null,
      serverScopes,
      spaScopes,
      consentScopes: e.CONSENT_SCOPES ?? ['Mail.Send'],
    },
    authorization: { routeRoles },
    graph: {
      baseUrl: (e.GRAPH_BASE_URL ?? (emu ? `https://${emuHost}:${emulatorPorts.graph}/v1.0` : GRAPH_V1)).replace(
        /\/+$/,
        '',
      ),
    },
    keyVault: {
      url: keyVaultUrl ? keyVaultUrl.replace(/\/+$/, '') : null,
      secretNames,
      managedIdentityClientId: e.MANAGED_IDENTITY_CLIENT_ID ?? null,
    },
    session: {
      keys: sessionKeys,
      keysEphemeral,
      // The __Host- prefix pins the cookie to this exact origin (Secure, Path=/, no Domain); browsers refuse it over
      // plain http, so on http://localhost the plain name is used.
      cookieName: e.SESSION_COOKIE_NAME ?? (secureCookies ? '__Host-hsb' : 'hsb'),
      transactionCookieName: secureCookies ? '__Host-hsb-tx' : 'hsb-tx',
      secureCookies,
      idleTimeoutMs: idleMinutes * 60_000,
      absoluteTimeoutMs: absoluteHours * 3_600_000,
      spa: {
        checkIntervalSeconds: e.SESSION_CHECK_SECONDS ?? 30,
        pollIntervalSeconds: e.SESSION_POLL_SECONDS ?? 60,
        idleNoticeSeconds: e.SESSION_IDLE_NOTICE_SECONDS ?? 120,
      },
    },
    store,
    tokenCache: {
      encryptionKeys,
      ttlMs: (e.TOKEN_CACHE_TTL_HOURS ?? Math.max(24, absoluteHours)) * 3_600_000,
      maxEntries: e.TOKEN_CACHE_MAX_ENTRIES ?? 200_000,
    },
    http: { timeoutMs: e.HTTP_TIMEOUT_MS ?? 10_000 },
    // Per client IP: an enterprise's users reach the BFF from a few egress addresses, so the defaults let a morning
    // rush through one NAT (300 sign-ins a minute) and still damp a single abusive address.
    rateLimit: {
      signInPerMinute: e.RATE_LIMIT_SIGNIN_PER_MINUTE ?? 300,
      callbackPerMinute: e.RATE_LIMIT_CALLBACK_PER_MINUTE ?? 600,
      // Per user: one user's own tabs, far below the per-IP budget that is sized for many users behind one NAT.
      spaCodePerUserPerMinute: e.RATE_LIMIT_SPA_CODE_PER_USER_PER_MINUTE ?? 30,
    },
    observability: {
      metricsPort,
      otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT ? e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '') : null,
      serviceName: e.OTEL_SERVICE_NAME ?? 'hybrid-spa-bff',
    },
    shutdown: { drainMs: e.SHUTDOWN_DRAIN_MS ?? (production ? 5_000 : 0), graceMs: e.SHUTDOWN_GRACE_MS ?? 10_000 },
    log: { level: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info') },
    emulator: { ports: emulatorPorts },
  };
  return deepFreeze(config);
}

/** API routes whose required app role can be configured (ROUTE_ROLES). */
export const ROLE_PROTECTABLE_ROUTES = ['/api/me', '/api/mail', '/api/mail/send', '/api/secret'] as const;
/** Without ROUTE_ROLES: reading the Key Vault secret needs the Secrets.Read app role. */
export const DEFAULT_ROUTE_ROLES: Readonly<Record<string, string>> = { '/api/secret': 'Secrets.Read' };

/** `ROUTE_ROLES=/api/secret=Secrets.Read,/api/mail=Mail.User`; `none` turns role checks off. */
function resolveRouteRoles(given: string[] | undefined, problems: string[]): Record<string, string> {
  if (given === undefined) return { ...DEFAULT_ROUTE_ROLES };
  if (given.length === 1 && given[0]!.toLowerCase() === 'none') return {};
  const roles: Record<string, string> = {};
  for (const entry of given) {
    const m = /^([^=]+)=([^=]+)$/.exec(entry);
    const route = m?.[1]!.trim();
    const role = m?.[2]!.trim();
    if (!route || !role) {
      problems.push(`ROUTE_ROLES: "${entry}" must look like /api/secret=Secrets.Read`);
    } else if (!(ROLE_PROTECTABLE_ROUTES as readonly string[]).includes(route)) {
      problems.push(
        `ROUTE_ROLES: "${route}" is not a route that can require a role (one of ${ROLE_PROTECTABLE_ROUTES.join(', ')})`,
      );
    } else if (!/^[A-Za-z0-9][\w.:-]{0,119}$/.test(role)) {
      problems.push(
        `ROUTE_ROLES: "${role}" is not an app role value (letters, digits, dots, hyphens, underscores; no spaces)`,
      );
    } else if (roles[route] !== undefined) {
      problems.push(`ROUTE_ROLES: ${route} is listed twice`);
    } else {
      roles[route] = role;
    }
  }
  return roles;
}

interface CredentialInputs {
  emu: boolean;
  readFile: (p: string) => string;
  readBinaryFile: (p: string) => Buffer;
  rootDir: string;
  keyVaultUrl: string | undefined;
}

function resolveCredential(e: Env, input: CredentialInputs, problems: string[]): ClientCredential | undefined {
  const { emu, readFile, readBinaryFile, rootDir } = input;
  const sources = [
    e.ENTRA_CLIENT_SECRET !== undefined && 'ENTRA_CLIENT_SECRET',
    (e.ENTRA_CLIENT_CERTIFICATE_PATH !== undefined || e.ENTRA_CLIENT_PRIVATE_KEY_PATH !== undefined) &&
      'ENTRA_CLIENT_CERTIFICATE_PATH',
    e.ENTRA_CLIENT_PFX_PATH !== undefined && 'ENTRA_CLIENT_PFX_PATH',
    e.ENTRA_CLIENT_CERTIFICATE_NAME !== undefined && 'ENTRA_CLIENT_CERTIFICATE_NAME',
  ].filter((s): s is string => typeof s === 'string');
  if (sources.length > 1) {
    problems.push(
      `${sources.join(' / ')}: set one client credential, not ${sources.length === 2 ? 'both' : sources.length}`,
    );
    return undefined;
  }
  if (e.ENTRA_CLIENT_SECRET !== undefined) return { kind: 'secret', secret: e.ENTRA_CLIENT_SECRET };
  if (e.ENTRA_CLIENT_CERTIFICATE_PATH !== undefined || e.ENTRA_CLIENT_PRIVATE_KEY_PATH !== undefined) {
    if (!e.ENTRA_CLIENT_CERTIFICATE_PATH || !e.ENTRA_CLIENT_PRIVATE_KEY_PATH) {
      problems.push(
        'ENTRA_CLIENT_CERTIFICATE_PATH and ENTRA_CLIENT_PRIVATE_KEY_PATH: a certificate credential needs both PEM files',
      );
      return undefined;
    }
    try {
      const certificatePem = readFile(resolve(rootDir, e.ENTRA_CLIENT_CERTIFICATE_PATH));
      const privateKeyPem = readFile(resolve(rootDir, e.ENTRA_CLIENT_PRIVATE_KEY_PATH));
      const thumbprintSha256 = new X509Certificate(certificatePem).fingerprint256.replace(/:/g, '').toLowerCase();
      if (!/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(privateKeyPem)) {
        problems.push('ENTRA_CLIENT_PRIVATE_KEY_PATH: not a PEM private key');
        return undefined;
      }
      return { kind: 'certificate', certificatePem, privateKeyPem, thumbprintSha256 };
    } catch (err) {
      problems.push(`ENTRA_CLIENT_CERTIFICATE_PATH: could not read the certificate (${(err as Error).message})`);
      return undefined;
    }
  }
  if (e.ENTRA_CLIENT_PFX_PATH !== undefined) {
    if (e.ENTRA_CLIENT_PFX_PASSWORD === undefined) {
      problems.push(
        'ENTRA_CLIENT_PFX_PASSWORD: required with ENTRA_CLIENT_PFX_PATH (set it to an empty value for a PFX without a password)',
      );
      return undefined;
    }
    const path = resolve(rootDir, e.ENTRA_CLIENT_PFX_PATH);
    try {
      return { kind: 'pfx', path, pfx: readBinaryFile(path), password: e.ENTRA_CLIENT_PFX_PASSWORD };
    } catch (err) {
      problems.push(`ENTRA_CLIENT_PFX_PATH: could not read the PFX file (${(err as Error).message})`);
      return undefined;
    }
  }
  if (e.ENTRA_CLIENT_CERTIFICATE_NAME !== undefined) {
    const vaultUrl = e.ENTRA_CLIENT_CERTIFICATE_KEY_VAULT_URL ?? input.keyVaultUrl;
    if (!vaultUrl) {
      problems.push(
        'ENTRA_CLIENT_CERTIFICATE_KEY_VAULT_URL: required with ENTRA_CLIENT_CERTIFICATE_NAME (or set KEY_VAULT_URL)',
      );
      return undefined;
    }
    return {
      kind: 'keyVaultCertificate',
      vaultUrl: vaultUrl.replace(/\/+$/, ''),
      name: e.ENTRA_CLIENT_CERTIFICATE_NAME,
      refreshMs: (e.ENTRA_CLIENT_CERTIFICATE_REFRESH_MINUTES ?? 60) * 60_000,
    };
  }
  if (e.ENTRA_CLIENT_PFX_PASSWORD !== undefined || e.ENTRA_CLIENT_CERTIFICATE_KEY_VAULT_URL !== undefined) {
    problems.push(
      'ENTRA_CLIENT_PFX_PASSWORD / ENTRA_CLIENT_CERTIFICATE_KEY_VAULT_URL: set only with ENTRA_CLIENT_PFX_PATH / ENTRA_CLIENT_CERTIFICATE_NAME',
    );
    return undefined;
  }
  if (emu) return { kind: 'secret', secret: EMULATOR_DEFAULTS.clientSecret };
  problems.push(
    'ENTRA_CLIENT_SECRET, ENTRA_CLIENT_CERTIFICATE_PATH + ENTRA_CLIENT_PRIVATE_KEY_PATH, ENTRA_CLIENT_PFX_PATH + ENTRA_CLIENT_PFX_PASSWORD, or ENTRA_CLIENT_CERTIFICATE_NAME (Key Vault): a client credential is required',
  );
  return undefined;
}

function resolveStore(
  e: Env,
  files: { readFile: (p: string) => string; rootDir: string },
  problems: string[],
): StoreConfig {
  if ((e.STORE ?? 'memory') === 'memory') return { kind: 'memory' };
  return resolveRedisStore(e, files, problems) ?? { kind: 'memory' };
}

function resolveCacheKeys(
  given: string[] | undefined,
  sessionKeys: string[],
  problems: string[],
  production: boolean,
): Buffer[] {
  if (given && given.length) {
    return given.flatMap((k, i) => {
      const buf = Buffer.from(k, 'base64');
      if (buf.length !== 32) {
        problems.push(
          `TOKEN_CACHE_KEYS: key #${i + 1} must be 32 bytes, base64-encoded (e.g. \`openssl rand -base64 32\`)`,
        );
        return [];
      }
      const weakness = production ? binaryKeyWeakness(buf) : null;
      if (weakness) problems.push(`TOKEN_CACHE_KEYS: key #${i + 1} ${weakness}; use \`openssl rand -base64 32\``);
      return [buf];
    });
  }
  // Derived from the session keys (same rotation order), so one secret list covers both when no cache keys are set.
  return sessionKeys.map((k) =>
    Buffer.from(hkdfSync('sha256', k, createHash('sha256').update('hsb').digest(), 'token-cache-v1', 32)),
  );
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Buffer.isBuffer(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
