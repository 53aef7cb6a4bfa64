// `--state-dir`: saves sessions, refresh tokens (with their revocations), consents, sent and delivered mail and the
// signing key as one JSON file, and restores them at start. Pending sign-ins and unredeemed codes are not kept.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JWK } from 'jose';
import { z } from 'zod';
import type { DeliveredMessage, RefreshGrant, SentMail, Session, Store } from './store';

export const STATE_FILE = 'emulator-state.json';
const VERSION = 1;

export interface PersistedState {
  version: typeof VERSION;
  savedAt: string;
  signingKey: JWK;
  sessions: (Omit<Session, 'clientIds'> & { clientIds: string[] })[];
  refreshTokens: [string, RefreshGrant][];
  consent: [string, [string, string][]][];
  outbox: SentMail[];
  mailboxes: [string, DeliveredMessage[]][];
}

// Shape check only: the file is written by this module, so a mismatch means it was edited or truncated.
const fileSchema = z.object({
  version: z.literal(VERSION),
  savedAt: z.string(),
  signingKey: z.object({ kty: z.literal('RSA'), n: z.string(), e: z.string(), d: z.string() }).loose(),
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
  refreshTokens: z.array(
    z.tuple([
      z.string(),
      z.object({ userKey: z.string(), clientId: z.string(), revoked: z.boolean(), expiresAt: z.number() }).loose(),
    ]),
  ),
  consent: z.array(z.tuple([z.string(), z.array(z.tuple([z.string(), z.string()]))])),
  outbox: z.array(z.object({ id: z.string(), userKey: z.string() }).loose()),
  mailboxes: z.array(
    z.tuple([z.string(), z.array(z.object({ id: z.string(), folder: z.enum(['inbox', 'sentitems']) }).loose())]),
  ),
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
    throw new StateFileError(path, `unexpected content at ${first.path.join('.') || '(root)'}: ${first.message}`);
  }
  return raw as PersistedState;
}

/** Puts saved state into a fresh store, dropping what belongs to users the config no longer declares. */
export function applyState(store: Store, state: PersistedState, isUser: (key: string) => boolean): void {
  for (const s of state.sessions)
    if (isUser(s.userKey)) store.sessions.set(s.id, { ...s, clientIds: new Set(s.clientIds) });
  for (const [token, grant] of state.refreshTokens) if (isUser(grant.userKey)) store.refreshTokens.set(token, grant);
  // Saved consent replaces the seeded one: a consent revoked before the restart stays revoked.
  store.consent = new Map(
    state.consent.filter(([key]) => isUser(key.split('|')[0]!)).map(([key, scopes]) => [key, new Map(scopes)]),
  );
  store.outbox = state.outbox;
  store.mailboxes = new Map(state.mailboxes.filter(([key]) => isUser(key)));
}

export function snapshot(store: Store, signingKey: JWK, now: number): PersistedState {
  return {
    version: VERSION,
    savedAt: new Date(now).toISOString(),
    signingKey,
    sessions: [...store.sessions.values()].map((s) => ({ ...s, clientIds: [...s.clientIds] })),
    refreshTokens: [...store.refreshTokens],
    consent: [...store.consent].map(([key, scopes]) => [key, [...scopes]]),
    outbox: store.outbox,
    mailboxes: [...store.mailboxes],
  };
}

export interface StateWriter {
  /** Something may have changed: save soon (debounced). */
  changed(): void;
  /** Save now if anything is pending (on close). */
  flush(): void;
}

/** Writes the state file atomically (temp file + rename, mode 0600: it holds refresh tokens) after changes. */
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
