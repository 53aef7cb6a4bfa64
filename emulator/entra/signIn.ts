// POST /{t}/login (the picker or username form) and POST /{t}/consent (Accept / Cancel).
import type { EmulatorContext } from '../context';
import { formBody, type EmuRequest, type EmuResponse } from '../http/types';
import type { AuthorityTenant } from '../state/directory';
import { consentMapKey } from '../state/store';
import { findTx, proceed, showSignIn } from './authorize';
import { deliverError } from './authorizeResponse';
import { entraTimestamp } from './errors';
import { errorPage } from './pages';
import { consentKey, parseScopes } from './scopes';
import { readSession, startSession } from './session';

function expired(ctx: EmulatorContext): EmuResponse {
  return errorPage(
    90100,
    'The sign-in request has expired or is unknown. Start the sign-in again from the application.',
    '-',
    entraTimestamp(ctx.clock.now()),
  );
}

export function handleLogin(ctx: EmulatorContext, req: EmuRequest, at: AuthorityTenant): EmuResponse {
  const form = formBody(req);
  const tx = findTx(ctx, form.get('ctx'));
  if (!tx) return expired(ctx);
  if (form.has('cancel')) {
    ctx.store.transactions.delete(tx.id);
    return deliverError(ctx, req, tx, 'access_denied', 90092, 'The user canceled the sign-in.');
  }
  const name = (form.get('pick') ?? form.get('loginfmt') ?? '').trim();
  if (!name) return showSignIn(ctx, at, tx, 'Enter a valid email address, phone number, or Skype name.');
  const user = ctx.directory.seed.users.find((u) => u.username.toLowerCase() === name.toLowerCase());
  if (!user) {
    return showSignIn(
      ctx,
      at,
      tx,
      "We couldn't find an account with that username. Try another, or pick one of the accounts above.",
    );
  }
  if (!ctx.directory.identityAt(user, at)) {
    return showSignIn(
      ctx,
      at,
      tx,
      `AADSTS50020: User account '${user.username}' from identity provider does not exist in tenant '${at.segment}' and cannot access the application '${tx.clientId}' in that tenant.`,
    );
  }
  if (ctx.store.access.disabled.has(user.key)) {
    return showSignIn(
      ctx,
      at,
      tx,
      'AADSTS50057: The user account is disabled. Contact your administrator to enable it.',
    );
  }
  // Picking an account replaces the previous session, as signing in as someone else does on Entra.
  const previous = readSession(ctx, req);
  if (previous) ctx.store.sessions.delete(previous.id);
  const { session, setCookie } = startSession(ctx, user.key);
  ctx.log(`sign-in: ${user.username}`);
  return proceed(
    ctx,
    req,
    at,
    { ...tx, loginHint: undefined, prompt: tx.prompt === 'none' ? undefined : tx.prompt },
    session,
    {
      'set-cookie': setCookie,
    },
  );
}

export function handleConsent(ctx: EmulatorContext, req: EmuRequest, at: AuthorityTenant): EmuResponse {
  const form = formBody(req);
  const tx = findTx(ctx, form.get('ctx'));
  if (!tx || !tx.userKey || !tx.sessionId) return expired(ctx);
  const session = ctx.store.sessions.get(tx.sessionId);
  if (!session || session.userKey !== tx.userKey) return expired(ctx);
  if (form.has('cancel')) {
    ctx.store.transactions.delete(tx.id);
    return deliverError(ctx, req, tx, 'access_denied', 65004, 'User declined to consent to access the app.');
  }
  const parsed = parseScopes(tx.scope);
  if (parsed.ok) {
    const key = consentMapKey(tx.userKey, tx.clientId);
    const granted = ctx.store.consent.get(key) ?? new Map<string, string>();
    const resourcePrefix = parsed.scopes.resource === 'https://graph.microsoft.com' ? '' : `${parsed.scopes.resource}/`;
    for (const s of parsed.scopes.oidc) granted.set(consentKey(s), s);
    for (const p of parsed.scopes.permissions) {
      if (p.name !== '.default') granted.set(consentKey(resourcePrefix + p.name), resourcePrefix + p.name);
    }
    ctx.store.consent.set(key, granted);
  }
  return proceed(ctx, req, at, { ...tx, consentShown: true }, session);
}
