// The authorization_code and refresh_token grants, checked in Entra's order (see the spec, §8.2).
import { createHash } from 'node:crypto';
import type { EmuResponse } from '../http/types';
import { consentMapKey, type CodeGrant } from '../state/store';
import { isCaeCapable, refusedGrant } from './cae';
import { E } from './errors';
import { isRegisteredSpaOrigin, redirectPlatform } from './redirectUris';
import { missingConsent, parseScopes } from './scopes';
import type { GrantContext } from './token';
import { opaque } from './tokenIssuer';
import { userTokenResponse } from './tokenResponse';

export const CODE_LIFETIME_MS = 10 * 60_000;

export async function redeemAuthorizationCode(g: GrantContext): Promise<EmuResponse> {
  const { ctx, form, app } = g;
  const code = form.get('code');
  if (!code) return g.fail(E.missingParam('code'));
  const grant = ctx.store.codes.get(code);
  if (!grant || grant.clientId.toLowerCase() !== app.clientId.toLowerCase())
    return g.fail(E.badGrant('unknown authorization code'));
  // Burn the code before anything else can fail, so a replay is always 54005 (Entra does the same).
  if (grant.used) return g.fail(E.codeRedeemed());
  grant.used = true;
  if (ctx.clock.now() - grant.issuedAt > CODE_LIFETIME_MS) return g.fail(E.codeExpired());

  if (grant.platform === 'spa') {
    if (g.confidential) return g.fail(E.publicClientWithSecret());
    if (g.origin === undefined) return g.fail(E.originRequired());
    if (!isRegisteredSpaOrigin(app, g.origin)) return g.fail(E.originNotRegistered(g.origin, app.clientId));
  } else {
    if (g.origin !== undefined) return g.fail(E.originForbidden(g.origin));
    if (!g.confidential) return g.fail(E.credentialRequired());
  }
  if (!grant.isSpaCode) {
    const redirectUri = form.get('redirect_uri');
    if (!redirectUri) return g.fail(E.missingParam('redirect_uri'));
    if (redirectUri !== grant.redirectUri) {
      // Not registered at all: Entra's AADSTS50011; registered but not the code's: AADSTS500112.
      return g.fail(
        redirectPlatform(app, redirectUri)
          ? E.redirectUriMismatch(redirectUri, grant.redirectUri ?? '')
          : E.redirectUriNotRegistered(redirectUri, app.clientId),
      );
    }
    const pkce = checkPkce(grant, form.get('code_verifier'));
    if (pkce) return g.fail(pkce);
  }

  const user = ctx.directory.findUser(grant.userKey)!;
  const refused = refusedGrant(ctx, user.key, grant.issuedAt);
  if (refused) return g.fail(refused);
  // The token request's scope may narrow the code's; Entra issues for the code's resource and what was asked.
  const parsedResult = parseScopes(form.get('scope') || grant.scope);
  if (!parsedResult.ok) return g.fail({ error: 'invalid_scope', code: 28000, message: parsedResult.message });
  const granted = ctx.store.consent.get(consentMapKey(user.key, app.clientId)) ?? new Map<string, string>();
  const missing = missingConsent(parsedResult.scopes, granted);
  if (missing.length) return g.fail(E.consentRequired(app.clientId, missing));

  const extra: Record<string, string> = {};
  // spa_code: only for a confidential redemption of a web code, and never for personal accounts (like Entra).
  if (
    form.get('return_spa_code') === '1' &&
    g.confidential &&
    grant.platform === 'web' &&
    !grant.isSpaCode &&
    !user.personal
  ) {
    const spaCode = opaque(96);
    ctx.store.codes.set(spaCode, {
      ...grant,
      redirectUri: undefined,
      platform: 'spa',
      isSpaCode: true,
      nonce: undefined,
      codeChallenge: undefined,
      codeChallengeMethod: undefined,
      issuedAt: ctx.clock.now(),
      used: false,
    });
    extra.spa_code = spaCode;
  }
  return userTokenResponse(
    ctx,
    g.req,
    {
      app,
      user,
      tenantId: grant.tenantId,
      oid: grant.oid,
      sessionId: grant.sessionId,
      sid: grant.sid,
      authTime: grant.authTime,
      platform: grant.platform,
      scope: grant.scope,
      parsed: parsedResult.scopes,
      granted,
      // Only the redemption of an /authorize code whose request carried a nonce echoes it (msal-node 7 rejects others).
      nonce: grant.isSpaCode ? undefined : grant.nonce,
      clientInfo: form.get('client_info') === '1',
      cae: isCaeCapable(form.get('claims')),
    },
    extra,
  );
}

export async function redeemRefreshToken(g: GrantContext): Promise<EmuResponse> {
  const { ctx, form, app } = g;
  const token = form.get('refresh_token');
  if (!token) return g.fail(E.missingParam('refresh_token'));
  const rt = ctx.store.refreshTokens.get(token);
  if (!rt || rt.clientId.toLowerCase() !== app.clientId.toLowerCase())
    return g.fail(E.badGrant('unknown refresh token'));
  if (rt.revoked) {
    return g.fail({
      error: 'invalid_grant',
      code: 50173,
      message:
        'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.',
    });
  }
  if (rt.platform === 'spa') {
    if (g.confidential) return g.fail(E.publicClientWithSecret());
    if (g.origin === undefined) return g.fail(E.originRequired());
    if (!isRegisteredSpaOrigin(app, g.origin)) return g.fail(E.originNotRegistered(g.origin, app.clientId));
    if (ctx.clock.now() >= rt.expiresAt) {
      return g.fail({
        error: 'invalid_grant',
        code: 700084,
        message: `The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime of 1.00:00:00, which cannot be extended. It is now expired and a new sign in request must be sent by the SPA to the sign in page.`,
      });
    }
  } else {
    if (g.origin !== undefined) return g.fail(E.originForbidden(g.origin));
    if (!g.confidential) return g.fail(E.credentialRequired());
    if (ctx.clock.now() >= rt.expiresAt) {
      return g.fail({
        error: 'invalid_grant',
        code: 700082,
        message:
          'The refresh token has expired due to inactivity. The token was issued and was inactive for 90.00:00:00.',
      });
    }
  }
  const user = ctx.directory.findUser(rt.userKey)!;
  const refused = refusedGrant(ctx, user.key, rt.issuedAt);
  if (refused) return g.fail(refused);
  const parsedResult = parseScopes(form.get('scope') || rt.scope);
  if (!parsedResult.ok) return g.fail({ error: 'invalid_scope', code: 28000, message: parsedResult.message });
  const granted = ctx.store.consent.get(consentMapKey(user.key, app.clientId)) ?? new Map<string, string>();
  const missing = missingConsent(parsedResult.scopes, granted);
  if (missing.length) return g.fail(E.consentRequired(app.clientId, missing));
  // Entra rotates but does not invalidate the old refresh token at once.
  return userTokenResponse(ctx, g.req, {
    app,
    user,
    tenantId: rt.tenantId,
    oid: rt.oid,
    sessionId: rt.sessionId,
    sid: rt.sid,
    authTime: rt.authTime,
    platform: rt.platform,
    scope: rt.scope,
    parsed: parsedResult.scopes,
    granted,
    clientInfo: form.get('client_info') === '1',
    refreshExpiresAt: rt.platform === 'spa' ? rt.expiresAt : undefined,
    cae: isCaeCapable(form.get('claims')),
  });
}

function checkPkce(grant: CodeGrant, verifier: string | null) {
  if (!grant.codeChallenge) {
    // Cross-origin (SPA) redemption without PKCE is refused by Entra.
    return grant.platform === 'spa'
      ? {
          error: 'invalid_request',
          code: 9002325,
          message: 'Proof Key for Code Exchange is required for cross-origin authorization code redemption.',
        }
      : undefined;
  }
  // A missing verifier is a failed grant check like a wrong one (invalid_grant), not a malformed request.
  if (!verifier)
    return {
      error: 'invalid_grant',
      code: 501481,
      message:
        'The code_verifier is missing; the authorization request supplied a code_challenge (PKCE), so the redemption must present its code_verifier.',
    };
  const computed =
    grant.codeChallengeMethod === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return computed === grant.codeChallenge
    ? undefined
    : {
        error: 'invalid_grant',
        code: 501481,
        message: 'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
      };
}
