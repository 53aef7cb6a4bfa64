// Bearer-token check for Graph: the emulator's signature, a Graph audience, expiry on the emulator clock.
import type { JWTPayload } from 'jose';
import type { EmulatorContext } from '../context';
import { header, type EmuRequest, type EmuResponse } from '../http/types';
import { GRAPH_APP_ID, GRAPH_RESOURCE } from '../entra/scopes';
import { graphError } from './errors';

const BEARER = `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="${GRAPH_APP_ID}"`;
const CHALLENGE = { 'www-authenticate': BEARER };

/** Graph's CAE answer: 401 InvalidAuthenticationToken with an `insufficient_claims` claims challenge. */
export function claimsChallengeResponse(
  req: EmuRequest,
  now: number,
  challenge: { claims: string; reason: string },
): EmuResponse {
  return graphError(
    req,
    now,
    401,
    'InvalidAuthenticationToken',
    `Continuous access evaluation resulted in challenge with result: InteractionRequired and code: ${challenge.reason}`,
    { 'www-authenticate': `${BEARER}, error="insufficient_claims", claims="${challenge.claims}"` },
  );
}

export type GraphAuth =
  | { ok: true; claims: JWTPayload & { scp?: string; oid?: string; tid?: string; idtyp?: string } }
  | { ok: false; response: EmuResponse };

export async function authenticateGraph(ctx: EmulatorContext, req: EmuRequest): Promise<GraphAuth> {
  const now = ctx.clock.now();
  const unauthorized = (message: string): GraphAuth => ({
    ok: false,
    response: graphError(req, now, 401, 'InvalidAuthenticationToken', message, CHALLENGE),
  });
  const auth = header(req, 'authorization') ?? '';
  const token = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
  if (!token) return unauthorized('Access token is empty.');
  try {
    const claims = await ctx.signer.verify(token, [GRAPH_APP_ID, GRAPH_RESOURCE, `${GRAPH_RESOURCE}/`]);
    return { ok: true, claims };
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_JWT_EXPIRED') return unauthorized('Lifetime validation failed, the token is expired.');
    if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && (err as { claim?: string }).claim === 'aud') {
      return unauthorized('Access token validation failure. Invalid audience.');
    }
    if (code === 'ERR_JWS_INVALID' || code === 'ERR_JWT_INVALID')
      return unauthorized('IDX14100: JWT is not well formed, there are no dots (.).');
    return unauthorized('Access token validation failure.');
  }
}

/** Delegated permission check (case-insensitive, like Graph); any of `accepted` suffices. */
export function hasScope(claims: { scp?: string }, accepted: string[]): boolean {
  const granted = new Set((claims.scp ?? '').toLowerCase().split(/\s+/).filter(Boolean));
  return accepted.some((s) => granted.has(s.toLowerCase()));
}
