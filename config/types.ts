// The resolved, validated configuration every other module receives (never process.env).

/** A certificate the app signs client assertions with: the leaf in PEM (x5c), its private key, its SHA-256 thumbprint. */
export interface CertificateCredential {
  privateKeyPem: string;
  certificatePem: string;
  thumbprintSha256: string;
}

export type ClientCredential =
  | { kind: 'secret'; secret: string }
  /** PEM files (certificate + private key). */
  | ({ kind: 'certificate' } & CertificateCredential)
  /** A PKCS#12 (.pfx / .p12) file and its password; decoded (and the password checked) at start-up. */
  | { kind: 'pfx'; path: string; pfx: Buffer; password: string }
  /**
   * A Key Vault certificate, read with the managed identity at start-up (Key Vault serves its private key as the
   * secret of the same name) and re-read every `refreshMs` so a rotated certificate is used without a restart.
   */
  | { kind: 'keyVaultCertificate'; vaultUrl: string; name: string; refreshMs: number };

export interface RedisNode {
  host: string;
  port: number;
}

/** Where the Redis data lives: one server, an OSS-protocol cluster (seed nodes), or a master found through Sentinel. */
export type RedisTopology =
  | { mode: 'standalone'; node: RedisNode; db: number }
  | { mode: 'cluster'; seeds: RedisNode[] }
  | { mode: 'sentinel'; sentinels: RedisNode[]; masterName: string; db: number; sentinelPassword: string | null };

/** How every connection authenticates: not at all, a static password (ACL user), or a Microsoft Entra ID token. */
export type RedisAuth =
  | { kind: 'none' }
  | { kind: 'password'; username: string | null; password: string }
  | { kind: 'entra'; objectId: string; credential: 'managed-identity' | 'client-credential' };

export interface RedisStoreConfig {
  kind: 'redis';
  topology: RedisTopology;
  /** null: plain TCP. caPem null: the system trust store. servername: SNI and the name the certificate must carry. */
  tls: { caPem: string | null; servername: string | null } | null;
  auth: RedisAuth;
  keyPrefix: string;
  commandTimeoutMs: number;
}

export type StoreConfig = { kind: 'memory' } | RedisStoreConfig;

export interface Config {
  /** `emulator`: the local stand-in for Entra ID, Graph, managed identity and Key Vault; `entra`: the real services. */
  mode: 'emulator' | 'entra';
  production: boolean;
  /** Settings that are allowed but risky; logged loudly when the server starts. */
  warnings: string[];
  server: {
    host: string;
    port: number;
    /** Origin users reach the BFF at (no trailing slash), e.g. http://localhost:3000. */
    publicUrl: string;
    /** Trust X-Forwarded-* (only behind a known proxy). */
    trustProxy: boolean;
    /** With trustProxy: how many proxies append to X-Forwarded-For; the client IP is taken that many from the right. */
    proxyHops: number;
    /** Where the built SPA lives (index.html and assets). */
    clientDistDir: string;
    /** Slow clients are dropped: whole headers within headersMs, the whole request within requestMs, idle keep-alive after keepAliveMs. */
    timeouts: { headersMs: number; requestMs: number; keepAliveMs: number };
  };
  /** `npm run dev`'s webpack-dev-server (serves the SPA with Fast Refresh, proxies /auth and /api to the BFF). */
  devServer: {
    /** Bind address; loopback by default so the proxy to the BFF is not exposed to the network. */
    host: string;
    port: number;
  };
  entra: {
    /** Authority host base, e.g. https://login.microsoftonline.com (national clouds: their own host). */
    instance: string;
    /** Tenant id, verified domain, `organizations` or `common`. */
    tenant: string;
    /** `${instance}/${tenant}` */
    authority: string;
    clientId: string;
    credential: ClientCredential;
    /** Web-platform redirect URI (the BFF's /auth/callback). */
    redirectUri: string;
    /** SPA-platform redirect URI msal-browser returns to after a fallback redirect. */
    spaRedirectUri: string;
    postLogoutRedirectUri: string;
    /** Hosts MSAL trusts without instance discovery (required for non-Microsoft hosts such as the emulator). */
    knownAuthorities: string[];
    authorityMetadata: string | null;
    cloudDiscoveryMetadata: string | null;
    /** Scopes the BFF asks for at sign-in (a superset of spaScopes). */
    serverScopes: string[];
    /** Scopes the SPA may hold itself; never Mail.* or Key Vault. */
    spaScopes: string[];
    /** Scopes the BFF may ask for later, when a feature needs them (incremental consent), e.g. Mail.Send. */
    consentScopes: string[];
  };
  authorization: {
    /**
     * App role each protected API route needs (route path → role value, e.g. `/api/secret` → `Secrets.Read`), read
     * from the ID token's `roles` claim at sign-in. Routes not listed need only a signed-in user.
     */
    routeRoles: Readonly<Record<string, string>>;
  };
  graph: { baseUrl: string };
  keyVault: {
    /** Vault base URL, or null when the secret feature is not configured. */
    url: string | null;
    /** The only secret names /api/secret may read; the first is the default. */
    secretNames: string[];
    /** Client id of a user-assigned managed identity; null for system-assigned. */
    managedIdentityClientId: string | null;
  };
  session: {
    /** Cookie signing keys, newest first (rotation: add a new key in front, drop the oldest later). */
    keys: string[];
    /** True when no SESSION_KEYS were given and random keys were made for this process (emulator mode only). */
    keysEphemeral: boolean;
    cookieName: string;
    transactionCookieName: string;
    secureCookies: boolean;
    idleTimeoutMs: number;
    absoluteTimeoutMs: number;
    /** How the SPA follows the session (sent in the bootstrap payload). */
    spa: {
      /** At most one session check per this many seconds per browser (focus, visibility, before Graph calls). */
      checkIntervalSeconds: number;
      /** A visible tab confirms the session this often (0 = never); hidden tabs never poll. */
      pollIntervalSeconds: number;
      /** The "you'll be signed out" notice shows this many seconds before the idle expiry (0 = no notice). */
      idleNoticeSeconds: number;
    };
  };
  store: StoreConfig;
  tokenCache: {
    /** AES-256-GCM keys (32 bytes each), first encrypts, all decrypt. */
    encryptionKeys: Buffer[];
    ttlMs: number;
    /** Upper bound of partitions the in-memory cache holds (least recently used are dropped). */
    maxEntries: number;
  };
  http: {
    /** Deadline for every outbound call (Entra, Graph, Key Vault, managed identity), in milliseconds. */
    timeoutMs: number;
  };
  rateLimit: {
    /** Sign-in starts (/auth/signin, /auth/spa-code, /auth/consent) per client IP per minute, per instance. */
    signInPerMinute: number;
    /** Callbacks per client IP per minute, per instance. */
    callbackPerMinute: number;
    /** Fresh spa-code round trips (/auth/spa-code) one signed-in user may start per minute, per instance. */
    spaCodePerUserPerMinute: number;
  };
  observability: {
    /** Port of the separate Prometheus listener (/metrics), bound to server.host; null: no metrics at all. */
    metricsPort: number | null;
    /** OTLP/HTTP collector base URL for traces (spans go to <url>/v1/traces); null: tracing is off. */
    otlpEndpoint: string | null;
    /** service.name resource attribute of every span. */
    serviceName: string;
  };
  shutdown: {
    /** On SIGTERM, how long /readyz answers 503 while requests are still served, so load balancers stop routing here. */
    drainMs: number;
    /** Then how long in-flight requests may take before their connections are closed. */
    graceMs: number;
  };
  log: { level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' };
  emulator: {
    ports: { entra: number; managedIdentity: number; keyVault: number; graph: number };
  };
}
