// The bootstrap payload the BFF embeds in index.html (and serves at /api/bootstrap): the one contract between the tiers.

/** The signed-in user as the BFF knows it. Never carries tokens. */
export interface BootstrapAccount {
  /** `<oid>.<tid>` from Entra's client_info; the key the SPA must match MSAL accounts by. */
  homeAccountId: string;
  tenantId: string;
  username: string;
  name: string;
  /** The `login_hint` claim, for silent / redirect fallbacks. */
  loginHint: string | null;
  /**
   * App roles from the ID token at sign-in (`roles` claim). For the UI only (hide or explain what the user cannot
   * use): the BFF checks roles itself on every request.
   */
  roles: string[];
}

export interface BootstrapMsalConfig {
  clientId: string;
  authority: string;
  knownAuthorities: string[];
  /** The SPA-platform redirect URI registered for the app (the BFF's origin + "/"). */
  redirectUri: string;
  postLogoutRedirectUri: string;
  /** openid-configuration JSON string, so the browser makes no metadata request (optional). */
  authorityMetadata?: string;
  /** Cloud discovery metadata JSON string for non-Microsoft hosts (optional). */
  cloudDiscoveryMetadata?: string;
}

export interface BootstrapRoutes {
  /** Top-level navigation that starts a server sign-in: `${signIn}?returnTo=/path`. */
  signIn: string;
  /** Top-level navigation that signs out; carries a session-bound token, so it cannot be forged cross-site. Null when anonymous. */
  signOut: string | null;
  /** Top-level navigation that mints a fresh spa code with prompt=none: `${freshSpaCode}?returnTo=/path`. */
  freshSpaCode: string;
}

/** How the SPA follows the server session (GET /api/session), from the BFF's configuration. */
export interface BootstrapSession {
  /** At most one session check per this many seconds per browser (focus, visibility, before Graph calls). */
  checkIntervalSeconds: number;
  /** A visible tab confirms the session this often; 0 = never. Hidden tabs never poll. */
  pollIntervalSeconds: number;
  /** Seconds before the idle expiry at which "You'll be signed out…" shows; 0 = no notice. */
  idleNoticeSeconds: number;
  /** Seconds until idle expiry as of this page load; null when anonymous. */
  idleExpiresInSeconds: number | null;
  /** Seconds until absolute expiry as of this page load; null when anonymous. */
  absoluteExpiresInSeconds: number | null;
}

export interface BootstrapPayload {
  msal: BootstrapMsalConfig;
  /** The scopes the SPA may ask for (minimal: User.Read, Contacts.Read). */
  scopes: string[];
  graphBaseUrl: string;
  account: BootstrapAccount | null;
  /** One-time Entra spa code; delivered once, null on every later load. */
  spaCode: string | null;
  /**
   * Why no spa code could be minted on the last fresh-code attempt (e.g. "login_required"), delivered once.
   * The SPA goes straight to the redirect fallback when set.
   */
  spaCodeError: string | null;
  /**
   * True when Entra issued no spa code at this session's sign-in (personal accounts): a fresh-code round trip cannot
   * succeed either, so the SPA goes straight to its own redirect.
   */
  spaCodeUnavailable: boolean;
  session: BootstrapSession;
  routes: BootstrapRoutes;
  /** App role each protected API route needs (`/api/secret` → `Secrets.Read`); routes not listed need none. */
  requiredRoles: Record<string, string>;
}

/** Query parameter the BFF adds to a returnTo page when an authorization round trip ended without success. */
export const AUTH_NOTICE_PARAM = 'authNotice';
/** consent_declined: the user cancelled a consent screen (still signed in); signin_cancelled: the sign-in page. */
export const AUTH_NOTICE_CODES = ['consent_declined', 'signin_cancelled'] as const;
export type AuthNoticeCode = (typeof AUTH_NOTICE_CODES)[number];
/** With consent_declined: the permissions that were not granted (comma separated). */
export const AUTH_NOTICE_SCOPES_PARAM = 'authNoticeScopes';

/** The id of the `<script type="application/json">` element that holds the payload. */
export const BOOTSTRAP_ELEMENT_ID = 'bootstrap';
/** The marker in index.html that the BFF replaces with the bootstrap element. */
export const BOOTSTRAP_PLACEHOLDER = '<!--BFF_BOOTSTRAP-->';
