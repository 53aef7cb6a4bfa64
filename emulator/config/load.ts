// Reads an emulator config file: JSON → `${VAR}` interpolation → schema → cross-references → the emulator's Seed.
// Every mistake is reported at once, each with its JSON path.
import { X509Certificate, createHash, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Seed, SeedApp, SeedUser, SeedVaultCertificate } from '../seedTypes';
import { crossCheck, formatPath, type ConfigProblem } from './crossCheck';
import { emulatorConfigSchema, type EmulatorConfig } from './schema';

export class EmulatorConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(
      `Invalid emulator config ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee docs/emulator.md and emulator/config.schema.json.`,
    );
    this.name = 'EmulatorConfigError';
  }
}

export interface LoadConfigOptions {
  /** Values for `${NAME}` / `${NAME:-default}` in string values (the entry file passes the environment). */
  variables?: Readonly<Record<string, string | undefined>>;
  /** Folder relative certificateFiles resolve against (the config file's folder). */
  baseDir: string;
  /** Names the config in error messages. */
  source: string;
}

/** Loads and validates a config file; throws EmulatorConfigError listing every problem. */
export function loadConfigFile(path: string, variables: LoadConfigOptions['variables'] = {}): Seed {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new EmulatorConfigError(path, [
      `cannot read the file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    ]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new EmulatorConfigError(path, [`not valid JSON: ${(err as Error).message}`]);
  }
  return configToSeed(raw, { variables, baseDir: dirname(resolve(path)), source: path });
}

/** Validates an already-parsed config object and turns it into the emulator's Seed. */
export function configToSeed(raw: unknown, options: LoadConfigOptions): Seed {
  const problems: ConfigProblem[] = [];
  const interpolated = interpolate(raw, options.variables ?? {}, [], problems);
  const parsed = emulatorConfigSchema.safeParse(interpolated);
  if (!parsed.success) {
    // One message per path: an unset variable already explains why the value below it is invalid.
    const reported = new Set(problems.map((p) => formatPath(p.path)));
    for (const issue of parsed.error.issues) {
      const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys)
          problems.push({
            path: [...path, key],
            message: 'is not a known field (check the spelling against emulator/config.schema.json)',
          });
      } else if (!reported.has(formatPath(path))) {
        const missing = issue.code === 'invalid_type' && / received undefined$/.test(issue.message);
        problems.push({ path, message: missing ? `is required (${issue.expected})` : issue.message });
      }
    }
  }
  if (!parsed.success || problems.length) throw new EmulatorConfigError(options.source, problems.map(show));
  const config = parsed.data;
  problems.push(...crossCheck(config));
  const seed = problems.length ? undefined : toSeed(config, options.baseDir, problems);
  if (!seed || problems.length) throw new EmulatorConfigError(options.source, problems.map(show));
  return seed;
}

const show = (p: ConfigProblem) => `${formatPath(p.path)}: ${p.message}`;

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Replaces `${NAME}` and `${NAME:-default}` in every string (not in keys); `$${` escapes a literal `${`. */
function interpolate(
  value: unknown,
  vars: Readonly<Record<string, string | undefined>>,
  path: (string | number)[],
  problems: ConfigProblem[],
): unknown {
  if (typeof value === 'string') {
    const parts = value.split('$${');
    return parts
      .map((part) =>
        part.replace(VARIABLE, (_m, name: string, fallback: string | undefined) => {
          const v = vars[name];
          if (v !== undefined && v !== '') return v;
          if (fallback !== undefined) return fallback;
          problems.push({
            path,
            message: `uses \${${name}}, which is not set (give a default with \${${name}:-value})`,
          });
          return '';
        }),
      )
      .join('${');
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, vars, [...path, i], problems));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, vars, [...path, k], problems)]));
  }
  return value;
}

/** A stable GUID derived from a name, for ids the config may leave out. */
function derivedGuid(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function toSeed(config: EmulatorConfig, baseDir: string, problems: ConfigProblem[]): Seed {
  const homeTenant = config.tenants[0]!.id;
  const apps: SeedApp[] = config.apps.map((a, i) => ({
    clientId: a.clientId,
    displayName: a.displayName,
    homeTenantId: a.homeTenantId ?? homeTenant,
    servicePrincipalOid: a.servicePrincipalOid ?? derivedGuid(`sp|${a.clientId.toLowerCase()}`),
    secrets: a.secrets,
    certificates: [
      ...a.certificates,
      ...a.certificateFiles.flatMap((file, j) => {
        const path = isAbsolute(file) ? file : resolve(baseDir, file);
        try {
          const pem = readFileSync(path, 'utf8');
          if (pem.includes('BEGIN CERTIFICATE')) return [pem];
          problems.push({ path: ['apps', i, 'certificateFiles', j], message: `${path} is not a PEM certificate` });
        } catch (err) {
          problems.push({
            path: ['apps', i, 'certificateFiles', j],
            message: `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
          });
        }
        return [];
      }),
    ],
    webRedirectUris: a.webRedirectUris,
    spaRedirectUris: a.spaRedirectUris,
    postLogoutRedirectUris: a.postLogoutRedirectUris,
    ...(a.frontChannelLogoutUrl ? { frontChannelLogoutUrl: a.frontChannelLogoutUrl } : {}),
    appRoles: a.appRoles,
    apiPermissions: a.apiPermissions,
  }));
  const users: SeedUser[] = config.users.map((u) => ({
    key: u.key,
    displayName: u.displayName,
    givenName: u.givenName,
    surname: u.surname,
    username: u.username,
    ...(u.jobTitle !== undefined ? { jobTitle: u.jobTitle } : {}),
    ...(u.officeLocation !== undefined ? { officeLocation: u.officeLocation } : {}),
    ...(u.mobilePhone !== undefined ? { mobilePhone: u.mobilePhone } : {}),
    homeTenantId: u.homeTenantId ?? homeTenant,
    oid: u.oid,
    ...(u.guestOf.length ? { guestOf: u.guestOf } : {}),
    ...(u.personal ? { personal: true } : {}),
    ...(u.hasPhoto ? { hasPhoto: true } : {}),
    contacts: u.contacts,
    messages: u.messages,
  }));
  return {
    referenceTime: Date.parse(config.referenceTime),
    tenants: config.tenants,
    users,
    apps,
    managedIdentities: config.managedIdentities,
    vault: {
      secrets: config.keyVault.secrets,
      secretReaders: config.keyVault.secretReaders,
      certificates: config.keyVault.certificates.map((c, i) => toVaultCertificate(c, i, baseDir, problems)),
    },
    consents: config.consents.flatMap((c) =>
      (c.user === '*' ? users.map((u) => u.key) : [c.user]).map((userKey) => ({
        userKey,
        clientId: c.app,
        scopes: [...c.scopes],
      })),
    ),
    groups: config.groups,
    roleAssignments: config.roleAssignments.map((r) => ({ clientId: r.app, role: r.role, principal: r.principal })),
  };
}

type ConfigCertificate = EmulatorConfig['keyVault']['certificates'][number];

/** The private key and the certificate matching it in a PEM text (key + chain); throws with a reason. */
function readPemBundle(pem: string): { certificatePem: string; privateKeyPem: string } {
  const keyBlock = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/.exec(
    pem,
  )?.[0];
  if (!keyBlock) throw new Error('holds no unencrypted private key (BEGIN PRIVATE KEY)');
  const certs = [...pem.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)].map(
    (m) => new X509Certificate(m[0]),
  );
  if (!certs.length) throw new Error('holds no certificate (BEGIN CERTIFICATE)');
  const key = createPrivateKey(keyBlock);
  const leaf = certs.find((c) => c.checkPrivateKey(key));
  if (!leaf) throw new Error('holds no certificate matching its private key');
  return { certificatePem: leaf.toString(), privateKeyPem: key.export({ format: 'pem', type: 'pkcs8' }).toString() };
}

/** A declared vault certificate; generated and PFX versions are completed at start (materializeCertificates). */
function toVaultCertificate(
  c: ConfigCertificate,
  i: number,
  baseDir: string,
  problems: ConfigProblem[],
): SeedVaultCertificate {
  const read = (file: string, path: (string | number)[], encoding?: 'utf8') => {
    const full = isAbsolute(file) ? file : resolve(baseDir, file);
    try {
      return encoding ? readFileSync(full, encoding) : readFileSync(full).toString('base64');
    } catch (err) {
      problems.push({ path, message: `cannot read ${full} (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
      return undefined;
    }
  };
  const versions: SeedVaultCertificate['versions'] = [];
  c.versions.forEach((v, j) => {
    const at = (field: string) => ['keyVault', 'certificates', i, 'versions', j, field];
    const version =
      v.version ?? createHash('sha256').update(`kv|${c.name.toLowerCase()}|${j}`).digest('hex').slice(0, 32);
    const created = v.created === undefined ? {} : { created: v.created };
    if (v.generate) {
      versions.push({
        version,
        ...created,
        source: { generate: { commonName: v.generate.commonName ?? c.name, validityDays: v.generate.validityDays } },
      });
      return;
    }
    if (v.pfxFile !== undefined) {
      const pfx = read(v.pfxFile, at('pfxFile'));
      if (pfx !== undefined) versions.push({ version, ...created, source: { pfx } });
      return;
    }
    const [text, field] =
      v.pem !== undefined
        ? [v.pem, 'pem']
        : v.pemFile !== undefined
          ? [read(v.pemFile, at('pemFile'), 'utf8'), 'pemFile']
          : [
              [read(v.keyFile!, at('keyFile'), 'utf8'), read(v.certificateFile!, at('certificateFile'), 'utf8')]
                .filter((t) => t !== undefined)
                .join('\n'),
              'certificateFile',
            ];
    if (text === undefined || text === '') return;
    try {
      const pems = readPemBundle(text);
      versions.push({
        version,
        ...pems,
        created: v.created ?? Math.floor(Date.parse(new X509Certificate(pems.certificatePem).validFrom) / 1000),
      });
    } catch (err) {
      problems.push({ path: at(field), message: (err as Error).message });
    }
  });
  return { name: c.name, registeredOn: c.registeredOn, versions };
}
