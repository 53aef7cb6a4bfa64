// The emulator's mutable state (sessions, pending sign-ins, codes, refresh tokens, consent, outbox, delivered mail,
// app-role assignments, CAE revocations, vault certificates, changed registrations): everything the protocol and the
// admin API change at run time lives here, in memory, and all of it is saved to a state dir when asked (persist.ts).
import { createRoleState, type RoleState } from '../entra/appRoles';
import { createAccessState, type AccessState } from '../entra/cae';
import type { Seed, VaultCertificate } from '../seedTypes';

export type Platform = 'web' | 'spa';

export interface Session {
  id: string;
  /** The `sid` claim and front-channel logout parameter. */
  sid: string;
  userKey: string;
  createdAt: number;
  /** Apps signed in through this session: front-channel logout notifies each. */
  clientIds: Set<string>;
}

/** A parked /authorize request while the user is on the sign-in or consent page. */
export interface AuthorizeTx {
  id: string;
  createdAt: number;
  tenantSegment: string;
  clientId: string;
  redirectUri: string;
  platform: Platform;
  responseMode: 'query' | 'fragment' | 'form_post';
  scope: string;
  state?: string;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  prompt?: string;
  loginHint?: string;
  /** Whether the client asked for client_info (MSAL always does). */
  clientInfo: boolean;
  /** Set once the user is identified (before consent). */
  userKey?: string;
  sessionId?: string;
  /** prompt=consent shows the consent page once even when everything is granted. */
  consentShown?: boolean;
}

/** Who a code or refresh token was issued to, and in which sign-in session. */
interface GrantSubject {
  clientId: string;
  userKey: string;
  tenantId: string;
  oid: string;
  sessionId: string;
  sid: string;
}

export interface CodeGrant extends GrantSubject {
  /** Undefined for spa_code (it binds no redirect URI). */
  redirectUri?: string;
  platform: Platform;
  isSpaCode: boolean;
  scope: string;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  issuedAt: number;
  /** Original sign-in time: SPA refresh tokens expire 24 h after it. */
  authTime: number;
  used: boolean;
}

export interface RefreshGrant extends GrantSubject {
  platform: Platform;
  /** Scopes of the original grant (new ones may be requested if consented). */
  scope: string;
  authTime: number;
  expiresAt: number;
  revoked: boolean;
  /** Epoch ms it was issued (revoking a user's sessions refuses refresh tokens issued before). */
  issuedAt: number;
}

export interface SentMail {
  id: string;
  /** userPrincipalName of the sender. */
  from: string;
  userKey: string;
  sentAt: string;
  saveToSentItems: boolean;
  message: {
    subject: string;
    body: { contentType: string; content: string };
    toRecipients: { emailAddress: { address: string; name?: string } }[];
    ccRecipients?: { emailAddress: { address: string; name?: string } }[];
  };
}

/** A message sendMail put into a mailbox: the recipients' Inbox and the sender's Sent Items. */
export interface DeliveredMessage {
  id: string;
  folder: 'inbox' | 'sentitems';
  /** ISO time it was sent (emulator clock). */
  sentAt: string;
  from: { name: string; address: string };
  subject: string;
  body: { contentType: string; content: string };
  toRecipients: { emailAddress: { address: string; name?: string } }[];
  ccRecipients: { emailAddress: { address: string; name?: string } }[];
  isRead: boolean;
}

export interface Store {
  sessions: Map<string, Session>;
  transactions: Map<string, AuthorizeTx>;
  codes: Map<string, CodeGrant>;
  refreshTokens: Map<string, RefreshGrant>;
  /** `${userKey}|${clientId}` → consent key (see scopes.consentKey) → the scope as first granted (for display). */
  consent: Map<string, Map<string, string>>;
  outbox: SentMail[];
  /** userKey → messages delivered by sendMail (seeded messages stay in the seed). */
  mailboxes: Map<string, DeliveredMessage[]>;
  /** App role assignments and group memberships (admin hooks change them). */
  roles: RoleState;
  /** Revoked sessions and disabled users (CAE). */
  access: AccessState;
  /** Key Vault certificates (rotation adds versions). */
  vaultCertificates: VaultCertificate[];
  /**
   * clientId (lower case) → front-channel logout URL set by the admin API (null: removed). A registration change, not
   * session state: reset() keeps it.
   */
  frontChannelLogoutUrls: Map<string, string | null>;
}

export const consentMapKey = (userKey: string, clientId: string): string => `${userKey}|${clientId.toLowerCase()}`;

/** `certificates`: the vault's certificates with every version ready (materializeCertificates). */
export function createStore(
  seed: Seed,
  consentKey: (scope: string) => string,
  certificates: readonly VaultCertificate[],
): Store {
  const store: Store = {
    sessions: new Map(),
    transactions: new Map(),
    codes: new Map(),
    refreshTokens: new Map(),
    consent: new Map(),
    outbox: [],
    mailboxes: new Map(),
    roles: createRoleState(seed),
    access: createAccessState(),
    vaultCertificates: structuredClone([...certificates]),
    frontChannelLogoutUrls: new Map(),
  };
  for (const c of seed.consents) {
    store.consent.set(consentMapKey(c.userKey, c.clientId), new Map(c.scopes.map((s) => [consentKey(s), s])));
  }
  return store;
}
