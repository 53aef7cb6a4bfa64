// The environment variables the app reads, their formats and messages (zod); loadConfig turns them into Config.
import { z } from 'zod';

const optional = z
  .string()
  .transform((s) => s.trim())
  .optional()
  .transform((s) => (s === '' ? undefined : s));
const list = (sep: RegExp) =>
  optional.transform((s) =>
    s === undefined
      ? undefined
      : s
          .split(sep)
          .map((x) => x.trim())
          .filter(Boolean),
  );
const intIn = (min: number, max: number) =>
  optional.pipe(
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number')
      .transform(Number)
      .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
      .optional(),
  );
const httpUrl = optional.pipe(
  z
    .string()
    .refine((s) => /^https?:\/\/[^\s/]+/.test(s) && URL.canParse(s), 'must be an absolute http(s) URL')
    .optional(),
);
const httpsUrl = optional.pipe(
  z
    .string()
    .refine((s) => s.startsWith('https://') && URL.canParse(s), 'must be an absolute https:// URL')
    .optional(),
);
const bool = optional.pipe(
  z
    .enum(['true', 'false', '1', '0'])
    .transform((v) => v === 'true' || v === '1')
    .optional(),
);
const jsonString = optional.pipe(
  z
    .string()
    .refine((s) => {
      try {
        JSON.parse(s);
        return true;
      } catch {
        return false;
      }
    }, 'must be a JSON string')
    .optional(),
);

export const envSchema = z.object({
  NODE_ENV: optional.pipe(z.enum(['development', 'production', 'test']).optional()),
  AUTH_MODE: optional.pipe(z.enum(['emulator', 'entra']).optional()),
  HOST: optional,
  PORT: intIn(1, 65535),
  DEV_SERVER_HOST: optional,
  DEV_SERVER_PORT: intIn(1, 65535),
  PUBLIC_URL: httpUrl,
  TRUST_PROXY: bool,
  PROXY_HOPS: intIn(1, 10),
  CLIENT_DIST_DIR: optional,
  SERVER_HEADERS_TIMEOUT_MS: intIn(1_000, 600_000),
  SERVER_REQUEST_TIMEOUT_MS: intIn(1_000, 3_600_000),
  SERVER_KEEP_ALIVE_TIMEOUT_MS: intIn(1, 600_000),
  ENTRA_INSTANCE: httpsUrl,
  ENTRA_TENANT_ID: optional.pipe(
    z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9.-]*$/,
        'must be a tenant id (GUID), a verified domain, "organizations" or "common"',
      )
      .optional(),
  ),
  ENTRA_CLIENT_ID: optional.pipe(
    z
      .string()
      .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a GUID')
      .optional(),
  ),
  ENTRA_CLIENT_SECRET: optional,
  ENTRA_CLIENT_CERTIFICATE_PATH: optional,
  ENTRA_CLIENT_PRIVATE_KEY_PATH: optional,
  ENTRA_CLIENT_PFX_PATH: optional,
  ENTRA_CLIENT_PFX_PASSWORD: z.string().optional(),
  ENTRA_CLIENT_CERTIFICATE_KEY_VAULT_URL: httpUrl,
  ENTRA_CLIENT_CERTIFICATE_NAME: optional.pipe(
    z
      .string()
      .regex(/^[0-9a-zA-Z-]{1,127}$/, 'must be a Key Vault certificate name (letters, digits, hyphens)')
      .optional(),
  ),
  ENTRA_CLIENT_CERTIFICATE_REFRESH_MINUTES: intIn(1, 7 * 24 * 60),
  ENTRA_REDIRECT_URI: httpUrl,
  ENTRA_SPA_REDIRECT_URI: httpUrl,
  ENTRA_POST_LOGOUT_REDIRECT_URI: httpUrl,
  ENTRA_KNOWN_AUTHORITIES: list(/[,\s]+/),
  ENTRA_AUTHORITY_METADATA: jsonString,
  ENTRA_CLOUD_DISCOVERY_METADATA: jsonString,
  SERVER_SCOPES: list(/[,\s]+/),
  SPA_SCOPES: list(/[,\s]+/),
  CONSENT_SCOPES: list(/[,\s]+/),
  ROUTE_ROLES: list(/[,\s]+/),
  GRAPH_BASE_URL: httpUrl,
  KEY_VAULT_URL: httpUrl,
  KEY_VAULT_SECRET_NAMES: list(/[,\s]+/),
  MANAGED_IDENTITY_CLIENT_ID: optional,
  SESSION_KEYS: list(/,/),
  SESSION_COOKIE_NAME: optional.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/, 'must be a plain cookie name')
      .optional(),
  ),
  COOKIE_SECURE: bool,
  SESSION_IDLE_MINUTES: intIn(1, 7 * 24 * 60),
  SESSION_ABSOLUTE_HOURS: intIn(1, 30 * 24),
  SESSION_CHECK_SECONDS: intIn(1, 3600),
  SESSION_POLL_SECONDS: intIn(0, 3600),
  SESSION_IDLE_NOTICE_SECONDS: intIn(0, 3600),
  STORE: optional.pipe(z.enum(['memory', 'redis']).optional()),
  REDIS_URL: optional.pipe(
    z
      .string()
      .refine((s) => /^rediss?:\/\//.test(s) && URL.canParse(s), 'must be a redis:// or rediss:// URL')
      .optional(),
  ),
  REDIS_KEY_PREFIX: optional.pipe(
    z
      .string()
      .regex(/^[^{}\s]*$/, 'must not contain braces or spaces (braces would become a cluster hash tag)')
      .optional(),
  ),
  REDIS_COMMAND_TIMEOUT_MS: intIn(50, 60_000),
  REDIS_MODE: optional.pipe(z.enum(['standalone', 'cluster', 'sentinel']).optional()),
  REDIS_NODES: list(/[,\s]+/),
  REDIS_SENTINEL_MASTER: optional,
  REDIS_SENTINEL_PASSWORD: optional,
  REDIS_USERNAME: optional,
  REDIS_PASSWORD: optional,
  REDIS_TLS: bool,
  REDIS_TLS_CA_FILE: optional,
  REDIS_TLS_SERVERNAME: optional,
  REDIS_AUTH: optional.pipe(z.enum(['password', 'entra']).optional()),
  REDIS_ENTRA_OBJECT_ID: optional.pipe(
    z
      .string()
      .regex(
        /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
        'must be a GUID (the object id)',
      )
      .optional(),
  ),
  REDIS_ENTRA_CREDENTIAL: optional.pipe(z.enum(['managed-identity', 'client-credential']).optional()),
  TOKEN_CACHE_KEYS: list(/,/),
  TOKEN_CACHE_TTL_HOURS: intIn(1, 90 * 24),
  TOKEN_CACHE_MAX_ENTRIES: intIn(1, 10_000_000),
  HTTP_TIMEOUT_MS: intIn(100, 120_000),
  RATE_LIMIT_SIGNIN_PER_MINUTE: intIn(1, 100_000),
  RATE_LIMIT_CALLBACK_PER_MINUTE: intIn(1, 100_000),
  RATE_LIMIT_SPA_CODE_PER_USER_PER_MINUTE: intIn(1, 100_000),
  LOG_LEVEL: optional.pipe(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional()),
  METRICS_PORT: intIn(1, 65535),
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl,
  OTEL_SERVICE_NAME: optional,
  SHUTDOWN_GRACE_MS: intIn(0, 600_000),
  SHUTDOWN_DRAIN_MS: intIn(0, 120_000),
  EMULATOR_ENTRA_PORT: intIn(1, 65535),
  EMULATOR_MI_PORT: intIn(1, 65535),
  EMULATOR_KEYVAULT_PORT: intIn(1, 65535),
  EMULATOR_GRAPH_PORT: intIn(1, 65535),
});

export type Env = z.infer<typeof envSchema>;
