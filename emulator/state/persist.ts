// `--state-dir`: saves everything the emulator can change at run time (every Store field, through one codec per field,
// so a new field does not compile without deciding how it is saved), the clock's offset and the signing key, as one
// JSON file, and restores it at start. Only the process's instrumentation (faults, request log) is not kept.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JWK } from 'jose';
import { z } from 'zod';
import type { AccessState } from '../entra/cae';
import type { RoleState } from '../entra/appRoles';
import type { AuthorizeTx, CodeGrant, DeliveredMessage, RefreshGrant, SentMail, Session, Store } from './store';

export const STATE_FILE = 'emulator-state.json';
const VERSION = 2;

/** Decides which saved entries still apply: users (and apps) the config no longer declares are dropped. */
export interface RestoreFilter {
  isUser(key: string): boolean;
  isApp(clientId: string): boolean;
}

/** How one Store field is written to and read from the state file. */
interface Codec<T> {
  save(value: T): unknown;
  /** `saved` passed the file's shape check for this field; `seeded` is the fresh value from the config. */
  load(saved: never, seeded: T, keep: RestoreFilter): T;
  /**
   * The field starts from the config (consent, roles, vault certificates): what identifies the config's value. When
   * it changed since the state was saved, the config wins for this field (the saved edits were made to a world that
   * no longer exists).
   */
  fromConfig?: (seeded: T) => unknown;
}

const codec = <T, S>(c: {
  save(value: T): S;
  load(saved: S, seeded: T, keep: RestoreFilter): T;
  fromConfig?: (seeded: T) => unknown;
}): Codec<T> => c as unknown as Codec<T>;

const entries = <V>(keepValue: (v: V, keep: RestoreFilter) => boolean = () => true) =>
  codec<Map<string, V>, [string, V][]>({
    save: (m) => [...m],
    load: (saved, _seeded, keep) => new Map(saved.filter(([, v]) => keepValue(v, keep))),
  });

const ofUser = (v: { userKey?: string }, keep: RestoreFilter) => v.userKey === undefined || keep.isUser(v.userKey);

/** One codec per Store field: the type makes a field without one a compile error. */
export const STORE_CODECS: { [K in keyof Store]: Codec<Store[K]> } = {
  sessions: codec<Map<string, Session>, (Omit<Session, 'clientIds'> & { clientIds: string[] })[]>({
    save: (m) => [...m.values()].map((s) => ({ ...s, clientIds: [...s.clientIds] })),
    load: (saved, _seeded, keep) =>
      new Map(
        saved.filter((s) => keep.isUser(s.userKey)).map((s) => [s.id, { ...s, clientIds: new Set(s.clientIds) }]),
      ),
  }),
  transactions: entries<AuthorizeTx>((tx, keep) => ofUser(tx, keep) && keep.isApp(tx.clientId)),
  codes: entries<CodeGrant>((g, keep) => ofUser(g, keep) && keep.isApp(g.clientId)),
  refreshTokens: entries<RefreshGrant>((g, keep) => ofUser(g, keep) && keep.isApp(g.clientId)),
  consent: codec<Map<string, Map<string, string>>, [string, [string, string][]][]>({
    save: (m) => [...m].map(([key, scopes]) => [key, [...scopes]]),
    load: (saved, _seeded, keep) =>
      new Map(saved.filter(([key]) => keep.isUser(key.split('|')[0]!)).map(([key, scopes]) => [key, new Map(scopes)])),
    fromConfig: (m) => [...m].map(([key, scopes]) => [key, [...scopes.keys()]]),
  }),
  outbox: codec<SentMail[], SentMail[]>({ save: (v) => v, load: (saved) => saved }),
  mailboxes: entries<DeliveredMessage[]>(),
  roles: codec<RoleState, RoleState>({ save: (v) => v, load: (saved) => saved, fromConfig: (v) => v }),
  access: codec<AccessState, { revokedAt: [string, number][]; disabled: string[] }>({
    save: (a) => ({ revokedAt: [...a.revokedAt], disabled: [...a.disabled] }),
    load: (saved, _seeded, keep) => ({
      revokedAt: new Map(saved.revokedAt.filter(([key]) => keep.isUser(key))),
      disabled: new Set(saved.disabled.filter((key) => keep.isUser(key))),
    }),
  }),
  vaultCertificates: codec<Store['vaultCertificates'], Store['vaultCertificates']>({
    save: (v) => v,
    load: (saved) => saved,
    // A generated version is new at every start: the config identifies it by its version id only (the saved key wins).
    fromConfig: (certs) =>
      certs.map((c) => ({
        name: c.name,
        registeredOn: c.registeredOn,
        versions: c.versions.map((v) => (v.generated ? v.version : [v.version, v.certificatePem])),
      })),
  }),
  frontChannelLogoutUrls: codec<Map<string, string | null>, [string, string | null][]>({
    save: (m) => [...m],
    load: (saved, _seeded, keep) => new Map(saved.filter(([clientId]) => keep.isApp(clientId))),
  }),
};

export interface PersistedState {
  version: typeof VERSION;
  savedAt: string;
  signingKey: JWK;
  /** How far admin `advance` calls moved the emulator clock (ms). */
  clockOffsetMs: number;
  /** Store field → its saved form (STORE_CODECS). */
  store: Record<string, unknown>;
  /** Store field → hash of the config's value when saved (fields with `fromConfig`). */
  configHashes: Record<string, string>;
}

const pair = <A extends z.ZodType, B extends z.ZodType>(a: A, b: B) => z.tuple([a, b]);
const withUser = z.object({ userKey: z.string(), clientId: z.string() }).loose();
/** Shape check per field: the file is written by this module, so a mismatch means it was edited or truncated. */
const STORE_SHAPES: { [K in keyof Store]: z.ZodType } = {
  sessions: z.array(
    z
      .object({
        id: z.string(),
        sid: z.string(),
        userKey: z.string(),
        createdAt: z.number(),
        clientIds: z.array(z.string()),
      })
      .loose(),
  ),
  transactions: z.array(pair(z.string(), z.object({ id: z.string(), clientId: z.string() }).loose())),
  codes: z.array(pair(z.string(), withUser)),
  refreshTokens: z.array(
    pair(z.string(), withUser.extend({ revoked: z.boolean(), expiresAt: z.number(), issuedAt: z.number() }).loose()),
  ),
  consent: z.array(pair(z.string(), z.array(pair(z.string(), z.string())))),
  outbox: z.array(z.object({ id: z.string(), userKey: z.string() }).loose()),
  mailboxes: z.array(
    pair(z.string(), z.array(z.object({ id: z.string(), folder: z.enum(['inbox', 'sentitems']) }).loose())),
  ),
  roles: z.object({
    groups: z.array(z.object({ id: z.string(), members: z.array(z.string()) }).loose()),
    assignments: z.array(z.object({ clientId: z.string(), role: z.string(), principal: z.string() })),
  }),
  access: z.object({ revokedAt: z.array(pair(z.string(), z.number())), disabled: z.array(z.string()) }),
  vaultCertificates: z.array(
    z
      .object({
        name: z.string(),
        versions: z.array(
          z
            .object({ version: z.string(), certificatePem: z.string(), privateKeyPem: z.string(), created: z.number() })
            .loose(),
        ),
      })
      .loose(),
  ),
  frontChannelLogoutUrls: z.array(pair(z.string(), z.string().nullable())),
};

const fileSchema = z.object({
  version: z.literal(VERSION),
  savedAt: z.string(),
  signingKey: z.object({ kty: z.literal('RSA'), n: z.string(), e: z.string(), d: z.string() }).loose(),
  clockOffsetMs: z.number(),
  store: z.object(STORE_SHAPES),
  configHashes: z.record(z.string(), z.string()),
});

export class StateFileError extends Error {
  constructor(path: string, reason: string) {
    super(
      `The emulator state file ${path} cannot be used: ${reason}. Fix it, or delete it to start from the config again.`,
    );
    this.name = 'StateFileError';
  }
}

/** The saved state in `dir`, or undefined when there is none yet. */
export function readState(dir: string): PersistedState | undefined {
  const path = join(dir, STATE_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StateFileError(path, (err as Error).message);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new StateFileError(path, `not valid JSON (${(err as Error).message})`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    const hint = (raw as { version?: unknown } | null)?.version === 1 ? ' (written by an older emulator)' : '';
    throw new StateFileError(
      path,
      `unexpected content at ${first.path.join('.') || '(root)'}: ${first.message}${hint}`,
    );
  }
  return raw as PersistedState;
}

const FIELDS = Object.keys(STORE_CODECS) as (keyof Store)[];
const hashOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('base64url');

/** Store field → hash of the config's value, for the fields that start from the config (`seeded`: a fresh store). */
export function configHashes(seeded: Store): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const field of FIELDS) {
    const identify = (STORE_CODECS[field] as Codec<unknown>).fromConfig;
    if (identify) hashes[field] = hashOf(identify(seeded[field]));
  }
  return hashes;
}

/**
 * Puts saved state into a store freshly created from the config. Returns the fields where the config changed since
 * the save (the config's value is kept for those).
 */
export function applyState(store: Store, state: PersistedState, keep: RestoreFilter): (keyof Store)[] {
  const configWon: (keyof Store)[] = [];
  const now = configHashes(store);
  for (const field of FIELDS) {
    const c = STORE_CODECS[field] as Codec<unknown>;
    if (c.fromConfig && state.configHashes[field] !== now[field]) {
      configWon.push(field);
      continue;
    }
    (store as unknown as Record<string, unknown>)[field] = c.load(state.store[field] as never, store[field], keep);
  }
  return configWon;
}

/** `hashes`: configHashes() of a store freshly created from the config (computed once at start). */
export function snapshot(
  store: Store,
  hashes: Record<string, string>,
  extra: { signingKey: JWK; clockOffsetMs: number; now: number },
): PersistedState {
  const saved: Record<string, unknown> = {};
  for (const field of FIELDS) saved[field] = (STORE_CODECS[field] as Codec<unknown>).save(store[field]);
  return {
    version: VERSION,
    savedAt: new Date(extra.now).toISOString(),
    signingKey: extra.signingKey,
    clockOffsetMs: extra.clockOffsetMs,
    store: saved,
    configHashes: hashes,
  };
}

export interface StateWriter {
  /** Something may have changed: save soon (debounced). */
  changed(): void;
  /** Save now if anything is pending (on close). */
  flush(): void;
}

/** Writes the state file atomically (temp file + rename, mode 0600: it holds refresh tokens and keys) after changes. */
export function createStateWriter(
  dir: string,
  take: () => PersistedState,
  onError: (err: unknown) => void,
): StateWriter {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, STATE_FILE);
  let timer: NodeJS.Timeout | undefined;
  let last = '';
  const write = () => {
    timer = undefined;
    try {
      const state = take();
      // savedAt changes every time; compare without it so an idle emulator does not rewrite the file.
      const comparable = JSON.stringify({ ...state, savedAt: '' });
      if (comparable === last) return;
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(state, null, 1)}\n`, { mode: 0o600 });
      renameSync(tmp, path);
      last = comparable;
    } catch (err) {
      onError(err);
    }
  };
  return {
    changed() {
      timer ??= setTimeout(write, 25).unref();
    },
    flush() {
      if (timer) clearTimeout(timer);
      write();
    },
  };
}
