// GET /{t}/oauth2/v2.0/authorize: validates the request, then signs in silently, shows the picker or asks consent.
import type { EmulatorContext } from '../context';
import type { EmuRequest, EmuResponse } from '../http/types';
import type { AuthorityTenant } from '../state/directory';
import type { AuthorizeTx, Session } from '../state/store';
import { consentMapKey } from '../state/store';
import { deliverError, issueCode } from './authorizeResponse';
import { consentPage, signInPage } from './loginPage';
import { entraTimestamp } from './errors';
import { errorPage } from './pages';
import { redirectPlatform } from './redirectUris';
import { missingConsent, parseScopes } from './scopes';
import { readSession } from './session';
import { opaque } from './tokenIssuer';

const PROMPTS = new Set(['none', 'login', 'select_account', 'consent', 'create']);
const MODES = new Set(['query', 'fragment', 'form_post']);
/** Parked sign-ins expire like Entra's flow token. */
export const TX_LIFETIME_MS = 30 * 60_000;

export function handleAuthorize(
  ctx: EmulatorContext,
  req: EmuRequest,
  at: AuthorityTenant,
  params: URLSearchParams,
): EmuResponse {
  const now = ctx.clock.now();
  const correlationId = params.get('client-request-id') ?? opaque(12);
  const fail = (code: number, message: string) => errorPage(code, message, correlationId, entraTimestamp(now));

  const clientId = params.get('client_id');
  if (!clientId) return fail(900144, "The request body must contain the following parameter: 'client_id'.");
  const app = ctx.directory.findApp(clientId);
  if (!app) return fail(700016, `Application with identifier '${clientId}' was not found in the directory.`);
  const redirectUri = params.get('redirect_uri');
  if (!redirectUri) return fail(900144, "The request body must contain the following parameter: 'redirect_uri'.");
  const platform = redirectPlatform(app, redirectUri);
  if (!platform) {
    return fail(
      50011,
      `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.`,
    );
  }

  const requestedMode = params.get('response_mode') ?? (platform === 'spa' ? 'fragment' : 'query');
  const responseMode = (MODES.has(requestedMode) ? requestedMode : 'query') as AuthorizeTx['responseMode'];
  const state = params.get('state') ?? undefined;
  const target = { redirectUri, responseMode, state };
  // From here on the redirect URI is trusted, so errors go back to the client.
  const bad = (code: number, message: string, error = 'invalid_request') =>
    deliverError(ctx, req, target, error, code, message);
  if (!MODES.has(requestedMode))
    return bad(900144, `The provided value '${requestedMode}' for the input parameter 'response_mode' is not valid.`);
  if (params.get('response_type') !== 'code') {
    return bad(
      700054,
      "response_type 'code' is the only type this emulator (and a confidential hybrid app) uses.",
      'unsupported_response_type',
    );
  }
  const scope = params.get('scope');
  if (!scope) return bad(900144, "The request body must contain the following parameter: 'scope'.");
  const parsed = parseScopes(scope);
  if (!parsed.ok) return bad(28000, parsed.message, 'invalid_scope');
  const challenge = params.get('code_challenge') ?? undefined;
  const method = params.get('code_challenge_method') ?? (challenge ? 'plain' : undefined);
  if (method !== undefined && method !== 'S256' && method !== 'plain') {
    return bad(501491, `Invalid code_challenge_method '${method}'; use S256 or plain.`);
  }
  const prompt = params.get('prompt') ?? undefined;
  if (prompt && !PROMPTS.has(prompt)) return bad(90023, `Invalid prompt value '${prompt}'.`);

  const tx: AuthorizeTx = {
    id: opaque(24),
    createdAt: now,
    tenantSegment: at.segment,
    clientId: app.clientId,
    redirectUri,
    platform,
    responseMode,
    scope,
    state,
    nonce: params.get('nonce') ?? undefined,
    codeChallenge: challenge,
    codeChallengeMethod: method as AuthorizeTx['codeChallengeMethod'],
    prompt,
    loginHint: decodeLoginHint(params.get('login_hint') ?? undefined),
    clientInfo: params.get('client_info') === '1',
  };
  const session = readSession(ctx, req);
  const interactive = prompt === 'login' || prompt === 'select_account' || prompt === 'create';
  if (prompt === 'none') {
    if (!session) return bad(50058, 'A silent sign-in request was sent but no user is signed in.', 'login_required');
    const user = ctx.directory.findUser(session.userKey);
    if (tx.loginHint && user && user.username.toLowerCase() !== tx.loginHint.toLowerCase()) {
      return bad(
        50058,
        'A silent sign-in request was sent but the signed-in user does not match the login_hint.',
        'login_required',
      );
    }
    const sidParam = params.get('sid');
    if (sidParam && sidParam !== session.sid)
      return bad(50058, 'The session identified by sid is not active.', 'login_required');
    return proceed(ctx, req, at, tx, session);
  }
  const hintMatches =
    !tx.loginHint ||
    ctx.directory.findUser(session?.userKey ?? '')?.username.toLowerCase() === tx.loginHint.toLowerCase();
  if (session && !interactive && hintMatches) return proceed(ctx, req, at, tx, session);
  ctx.store.transactions.set(tx.id, tx);
  return showSignIn(ctx, at, tx);
}

/** After the user is known: check they belong to this authority, then consent, then issue the code. */
export function proceed(
  ctx: EmulatorContext,
  req: EmuRequest,
  at: AuthorityTenant,
  tx: AuthorizeTx,
  session: Session,
  headers: Record<string, string | string[]> = {},
): EmuResponse {
  const user = ctx.directory.findUser(session.userKey);
  const identity = user && ctx.directory.identityAt(user, at);
  const silent = tx.prompt === 'none';
  if (!user || !identity) {
    if (silent)
      return deliverError(
        ctx,
        req,
        tx,
        'login_required',
        50058,
        'The signed-in user cannot access this tenant.',
        headers,
      );
    ctx.store.transactions.set(tx.id, tx);
    return withHeaders(showSignIn(ctx, at, tx), headers);
  }
  const parsed = parseScopes(tx.scope);
  if (!parsed.ok) return deliverError(ctx, req, tx, 'invalid_scope', 28000, parsed.message, headers);
  const granted = ctx.store.consent.get(consentMapKey(user.key, tx.clientId)) ?? new Map<string, string>();
  const missing = missingConsent(parsed.scopes, granted);
  const forceConsent = tx.prompt === 'consent' && !tx.consentShown;
  if (missing.length || forceConsent) {
    if (silent) {
      return deliverError(
        ctx,
        req,
        tx,
        'consent_required',
        65001,
        `The user or administrator has not consented to use the application with ID '${tx.clientId}'. Send an interactive authorization request for this user and resource.`,
        headers,
      );
    }
    tx.userKey = user.key;
    tx.sessionId = session.id;
    ctx.store.transactions.set(tx.id, tx);
    const app = ctx.directory.findApp(tx.clientId)!;
    const shown = forceConsent ? [...parsed.scopes.oidc, ...parsed.scopes.permissions.map((p) => p.name)] : missing;
    return withHeaders(
      consentPage({ tenantSegment: tx.tenantSegment, txId: tx.id, app, user, scopes: shown }),
      headers,
    );
  }
  return issueCode(ctx, tx, session, identity, headers);
}

export function showSignIn(ctx: EmulatorContext, at: AuthorityTenant, tx: AuthorizeTx, error?: string): EmuResponse {
  const app = ctx.directory.findApp(tx.clientId)!;
  return signInPage({
    tenantSegment: tx.tenantSegment,
    txId: tx.id,
    app,
    users: ctx.directory.usersAt(at),
    loginHint: tx.loginHint,
    error,
  });
}

/** Looks up a parked sign-in that is still fresh. */
export function findTx(ctx: EmulatorContext, id: string | null): AuthorizeTx | undefined {
  const tx = id ? ctx.store.transactions.get(id) : undefined;
  if (!tx) return undefined;
  if (ctx.clock.now() - tx.createdAt > TX_LIFETIME_MS) {
    ctx.store.transactions.delete(tx.id);
    return undefined;
  }
  return tx;
}

/** MSAL passes either a UPN or the id_token's opaque `login_hint` claim (base64url JSON carrying the upn). */
function decodeLoginHint(hint: string | undefined): string | undefined {
  if (!hint || hint.includes('@')) return hint;
  try {
    const decoded = JSON.parse(Buffer.from(hint, 'base64url').toString('utf8')) as { upn?: unknown };
    return typeof decoded.upn === 'string' ? decoded.upn : hint;
  } catch {
    return hint;
  }
}

function withHeaders(res: EmuResponse, headers: Record<string, string | string[]>): EmuResponse {
  return Object.keys(headers).length ? { ...res, headers: { ...res.headers, ...headers } } : res;
}
