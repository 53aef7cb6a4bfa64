// startEmulator(): the local Entra ID + Graph + managed identity + Key Vault, wired and listening on loopback.
import { EMULATOR_DEFAULTS } from '../config/emulatorDefaults';
import { X509Certificate } from 'node:crypto';
import { applyFrontChannelLogoutUrl, createAdmin, createAdminHttpHandler, type EmulatorAdmin } from './admin';
import { ensureCertificates, resolveStateDir, type EmulatorCertificates } from './certs';
import { createClock } from './clock';
import type { EmulatorContext } from './context';
import { createEntraHandler } from './entra/router';
import { DEFAULT_CAE_LIFETIME_SECONDS } from './entra/cae';
import { consentKey } from './entra/scopes';
import { createFaults } from './faults';
import { createGraphHandler } from './graph/router';
import { startService, type RunningService } from './http/server';
import { createKeyVaultHandler } from './keyvault';
import { createManagedIdentityHandler } from './managedIdentity';
import { createRequestLog } from './requestLog';
import { formatPath } from './config/crossCheck';
import { EmulatorConfigError, loadConfigFile } from './config/load';
import { builtInVariables, createDefaultSeed } from './seed';
import type { Seed } from './seedTypes';
import { createSigner } from './signing';
import { createDirectory } from './state/directory';
import { applyState, configHashes, createStateWriter, readState, snapshot, type StateWriter } from './state/persist';
import { createStore } from './state/store';
import { materializeCertificates } from './vaultCertificates';

export type { EmulatorAdmin } from './admin';
export type { FaultSpec, FaultEndpoint } from './faults';
export type { RequestLogEntry } from './requestLog';
export type { Seed, SeedApp, SeedUser } from './seedTypes';
export { EmulatorConfigError, loadConfigFile } from './config/load';
export { StateFileError } from './state/persist';
export type { SentMail } from './state/store';
export type { EmulatorConfigInput } from './config/schema';
export {
  CONSUMERS_TENANT_ID,
  CONTOSO_TENANT_ID,
  FABRIKAM_TENANT_ID,
  SEEDED_CONSENT,
  SYSTEM_MI_CLIENT_ID,
  UNAUTHORIZED_MI_CLIENT_ID,
} from './seed';

export interface EmulatorPorts {
  entra: number;
  managedIdentity: number;
  keyVault: number;
  graph: number;
}

export interface EmulatorOptions {
  /** Project root; the state dir resolves against it. Default: the current directory. */
  rootDir?: string;
  /** Certificate folder (absolute or relative to rootDir). Default EMULATOR_DEFAULTS.stateDir. Not the persisted state. */
  stateDir?: string;
  /** Ports; 0 picks a free one (tests). Defaults: EMULATOR_DEFAULTS.ports. */
  ports?: Partial<EmulatorPorts>;
  /** Enables faults and the admin API (in-process and /_emulator/* over HTTP). Default false. */
  testHooks?: boolean;
  /** A config file (see docs/emulator.md) instead of the built-in demo config (emulator/demo.config.json). */
  configPath?: string;
  /**
   * Values for `${NAME}` in the config. The demo config reads PUBLIC_URL (the BFF's public origin) for its app's
   * redirect, post-logout and front-channel logout URLs. EMULATOR_CERT_DIR is always set to the certificate folder.
   */
  variables?: Readonly<Record<string, string | undefined>>;
  /** Adjusts the loaded seed (extra apps, redirect URIs, users…); receives a fresh copy. */
  seed?: (defaults: Seed) => Seed;
  /**
   * Folder to keep everything the protocol and the admin API change (sessions, codes, refresh tokens, consent, mail,
   * role assignments, revocations, disabled users, vault certificate versions, the clock offset) and the signing key
   * in, as JSON, across restarts. Default: none (everything in memory).
   */
  persistDir?: string;
  /** Receives one-line, secret-free log messages. Default: silent. */
  logger?: (line: string) => void;
  /** Access-token lifetime in seconds; default 3599 (values ≤ 300 make MSAL refresh at once). */
  accessTokenLifetimeSeconds?: number;
  /** Lifetime for CAE-capable clients (xms_cc cp1); default 86399, or accessTokenLifetimeSeconds when that is set. */
  caeAccessTokenLifetimeSeconds?: number;
}

export interface RunningEmulator {
  urls: {
    /** `https://localhost:<entra>` (MSAL's instance / knownAuthorities host). */
    instance: string;
    /** `https://localhost:<entra>/<tenantId>`. */
    authority: string;
    /** `https://localhost:<graph>/v1.0`. */
    graph: string;
    /** `https://localhost:<keyVault>`. */
    keyVault: string;
    /** `http://localhost:<mi>/msi/token` (IDENTITY_ENDPOINT). */
    identityEndpoint: string;
  };
  ports: EmulatorPorts;
  tenantId: string;
  clientId: string;
  /** The first app's first secret ('' when it has none). */
  clientSecret: string;
  /** IDENTITY_HEADER value. */
  identityHeader: string;
  /** base64 SHA-256 of the server certificate's SPKI (Chromium --ignore-certificate-errors-spki-list). */
  spkiHash: string;
  certificates: EmulatorCertificates;
  seed: Seed;
  admin: EmulatorAdmin;
  close(): Promise<void>;
}

const PORT_ENV: Record<keyof EmulatorPorts, string> = {
  entra: 'EMULATOR_ENTRA_PORT',
  managedIdentity: 'EMULATOR_MI_PORT',
  keyVault: 'EMULATOR_KEYVAULT_PORT',
  graph: 'EMULATOR_GRAPH_PORT',
};

/** Version id of the generated client certificate in the emulator's vault. */
const CLIENT_CERT_VERSION = '9f1c2e3d4b5a69788796a5b4c3d2e1f0';

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const certificates = await ensureCertificates({
    rootDir: options.rootDir ?? process.cwd(),
    stateDir: options.stateDir,
  });
  const defaults = options.configPath
    ? loadConfigFile(options.configPath, { ...options.variables, ...builtInVariables(certificates.dir) })
    : createDefaultSeed({ certDir: certificates.dir, variables: options.variables });
  const seed = options.seed ? options.seed(structuredClone(defaults)) : defaults;
  // The generated client certificate is also kept in the vault (unless the config declares one of that name), so the
  // BFF can load its credential from Key Vault; the apps that trust it trust its rotated versions too.
  const declared = seed.vault.certificates ?? [];
  const builtInName = EMULATOR_DEFAULTS.keyVaultCertificateName;
  if (!declared.some((c) => c.name.toLowerCase() === builtInName.toLowerCase())) {
    const clientCert = new X509Certificate(certificates.clientCertPem);
    declared.push({
      name: builtInName,
      registeredOn: seed.apps
        .filter((a) =>
          a.certificates.some((pem) => new X509Certificate(pem).fingerprint256 === clientCert.fingerprint256),
        )
        .map((a) => a.clientId),
      versions: [
        {
          version: CLIENT_CERT_VERSION,
          certificatePem: certificates.clientCertPem,
          privateKeyPem: certificates.clientKeyPem,
          created: 1_735_689_600,
        },
      ],
    });
  }
  seed.vault.certificates = declared;
  const clock = createClock();
  const problems: string[] = [];
  const vaultCertificates = await materializeCertificates(declared, clock.now(), (path, message) =>
    problems.push(`keyVault.certificates${formatPath(path).replace(/^(?=[^[])/, '.')}: ${message}`),
  );
  if (problems.length) throw new EmulatorConfigError(options.configPath ?? 'the emulator seed', problems);
  const log = options.logger ?? (() => undefined);
  const persistDir =
    options.persistDir === undefined
      ? undefined
      : resolveStateDir(options.rootDir ?? process.cwd(), options.persistDir);
  const saved = persistDir ? readState(persistDir) : undefined;
  const directory = createDirectory(seed);
  const freshStore = () => createStore(seed, consentKey, vaultCertificates);
  const store = freshStore();
  const hashes = configHashes(store);
  if (saved) {
    const configWon = applyState(store, saved, {
      isUser: (key) => directory.findUser(key)?.key === key,
      isApp: (clientId) => directory.findApp(clientId) !== undefined,
    });
    for (const [clientId, url] of store.frontChannelLogoutUrls)
      applyFrontChannelLogoutUrl(directory.findApp(clientId)!, url);
    clock.advance(saved.clockOffsetMs);
    if (configWon.length)
      log(`the config changed since the state was saved: ${configWon.join(', ')} start from the config again`);
  }
  const ports: EmulatorPorts = { ...EMULATOR_DEFAULTS.ports, ...options.ports };
  let entraPort = ports.entra;
  let writer: StateWriter | undefined;
  const ctx: EmulatorContext = {
    clock,
    directory,
    store,
    signer: await createSigner(clock, saved?.signingKey),
    faults: createFaults(),
    requestLog: createRequestLog(),
    entraBase: () => `https://localhost:${entraPort}`,
    accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds ?? 3599,
    // A test that shortens token lifetimes wants refreshes: CAE tokens then live just as short unless it says otherwise.
    caeAccessTokenLifetimeSeconds:
      options.caeAccessTokenLifetimeSeconds ?? options.accessTokenLifetimeSeconds ?? DEFAULT_CAE_LIFETIME_SECONDS,
    identityHeader: EMULATOR_DEFAULTS.identityHeader,
    testHooks: options.testHooks ?? false,
    log,
    stateChanged: () => writer?.changed(),
  };
  if (persistDir) {
    writer = createStateWriter(
      persistDir,
      () =>
        snapshot(ctx.store, hashes, {
          signingKey: ctx.signer.privateJwk(),
          clockOffsetMs: ctx.clock.offset(),
          now: ctx.clock.now(),
        }),
      (err) => log(`cannot save state to ${persistDir}: ${(err as Error).message}`),
    );
    if (saved)
      log(`restored state from ${persistDir} (${store.sessions.size} sessions, ${store.outbox.length} sent messages)`);
  }
  const admin = createAdmin(ctx, () => {
    // Registrations the admin API changed stay (see EmulatorAdmin.setFrontChannelLogoutUrl).
    ctx.store = { ...freshStore(), frontChannelLogoutUrls: ctx.store.frontChannelLogoutUrls };
    ctx.clock.reset();
    ctx.faults.clear();
    ctx.requestLog.clear();
    ctx.stateChanged();
  });
  const tls = { key: certificates.serverKeyPem, cert: certificates.serverCertPem };
  const onError = (err: unknown) => log(`emulator internal error: ${(err as Error)?.stack ?? String(err)}`);
  const started: RunningService[] = [];
  const start = async (
    name: keyof EmulatorPorts,
    handler: Parameters<typeof startService>[0]['handler'],
    secure: boolean,
  ) => {
    const service = await startService({
      name,
      port: ports[name],
      portEnvVar: PORT_ENV[name],
      handler,
      onError,
      ...(secure ? { tls } : {}),
    });
    started.push(service);
    ports[name] = service.port;
  };
  try {
    await start('entra', createEntraHandler(ctx, createAdminHttpHandler(admin)), true);
    entraPort = ports.entra;
    await start('graph', createGraphHandler(ctx), true);
    await start('keyVault', createKeyVaultHandler(ctx), true);
    await start('managedIdentity', createManagedIdentityHandler(ctx), false);
  } catch (err) {
    await Promise.all(started.map((s) => s.close()));
    throw err;
  }
  const tenantId = seed.tenants[0]!.id;
  const instance = `https://localhost:${ports.entra}`;
  let closed = false;
  return {
    urls: {
      instance,
      authority: `${instance}/${tenantId}`,
      graph: `https://localhost:${ports.graph}/v1.0`,
      keyVault: `https://localhost:${ports.keyVault}`,
      identityEndpoint: `http://localhost:${ports.managedIdentity}/msi/token`,
    },
    ports: { ...ports },
    tenantId,
    clientId: seed.apps[0]!.clientId,
    clientSecret: seed.apps[0]!.secrets[0] ?? '',
    identityHeader: ctx.identityHeader,
    spkiHash: certificates.spkiHash,
    certificates,
    seed,
    admin,
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(started.map((s) => s.close()));
      writer?.flush();
    },
  };
}
