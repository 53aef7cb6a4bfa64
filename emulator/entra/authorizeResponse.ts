// Delivers an /authorize result to the client: code or error, by query, fragment or form_post.
import type { EmulatorContext } from '../context';
import { redirect, type EmuRequest, type EmuResponse } from '../http/types';
import type { AuthorizeTx, CodeGrant, Session } from '../state/store';
import { entraErrorBody } from './errors';
import { formPostPage } from './pages';
import { sessionState } from './session';
import { clientInfo, opaque } from './tokenIssuer';

type ResponseTarget = Pick<AuthorizeTx, 'redirectUri' | 'responseMode' | 'state'>;

/** Builds the redirect (or form_post page) carrying `params` to the validated redirect URI. */
export function deliver(
  target: ResponseTarget,
  params: Record<string, string>,
  headers: Record<string, string | string[]> = {},
): EmuResponse {
  const all = { ...params, ...(target.state !== undefined ? { state: target.state } : {}) };
  if (target.responseMode === 'form_post') {
    const res = formPostPage(target.redirectUri, all);
    return { ...res, headers: { ...res.headers, ...headers } };
  }
  const url = new URL(target.redirectUri);
  const encoded = new URLSearchParams(all);
  if (target.responseMode === 'fragment') url.hash = encoded.toString();
  else for (const [k, v] of encoded) url.searchParams.append(k, v);
  return redirect(url.toString(), headers);
}

/** Redirects an OAuth error to the client (only ever after the redirect URI was validated). */
export function deliverError(
  ctx: EmulatorContext,
  req: EmuRequest,
  target: ResponseTarget,
  error: string,
  code: number,
  message: string,
  headers: Record<string, string | string[]> = {},
): EmuResponse {
  const body = entraErrorBody({ error, code, message }, ctx.clock.now(), req.base);
  return deliver(
    target,
    { error, error_description: String(body.error_description), error_uri: String(body.error_uri) },
    headers,
  );
}

/** Mints the one-time code for a completed sign-in and sends it to the client. */
export function issueCode(
  ctx: EmulatorContext,
  tx: AuthorizeTx,
  session: Session,
  identity: { tenantId: string; oid: string },
  headers: Record<string, string | string[]> = {},
): EmuResponse {
  const user = ctx.directory.findUser(session.userKey)!;
  const code = opaque(96);
  const grant: CodeGrant = {
    clientId: tx.clientId,
    userKey: session.userKey,
    tenantId: identity.tenantId,
    oid: identity.oid,
    sessionId: session.id,
    sid: session.sid,
    redirectUri: tx.redirectUri,
    platform: tx.platform,
    isSpaCode: false,
    scope: tx.scope,
    nonce: tx.nonce,
    codeChallenge: tx.codeChallenge,
    codeChallengeMethod: tx.codeChallengeMethod,
    issuedAt: ctx.clock.now(),
    authTime: session.createdAt,
    used: false,
  };
  ctx.store.codes.set(code, grant);
  ctx.store.transactions.delete(tx.id);
  session.clientIds.add(tx.clientId.toLowerCase());
  return deliver(
    tx,
    { code, ...(tx.clientInfo ? { client_info: clientInfo(user) } : {}), session_state: sessionState(session) },
    headers,
  );
}
