// The sign-in page (user picker + username box with Entra's element ids) and the consent page.
import { escapeHtml } from '../http/escape';
import type { EmuResponse } from '../http/types';
import type { SeedApp, SeedUser } from '../seedTypes';
import { page } from './pages';

export interface SignInPageInput {
  tenantSegment: string;
  txId: string;
  app: SeedApp;
  users: SeedUser[];
  loginHint?: string;
  error?: string;
}

/**
 * Entra's stable hooks: `input[name=loginfmt]#i0116`, `#i0118` (password), `#idSIButton9` (Next), `#idBtn_Back`.
 * Tiles submit a separate form so pressing Enter in the username box never picks a tile.
 */
export function signInPage(input: SignInPageInput): EmuResponse {
  const action = `/${escapeHtml(input.tenantSegment)}/login`;
  const ctx = `<input type="hidden" name="ctx" value="${escapeHtml(input.txId)}">`;
  const tiles = input.users
    .map(
      (u) =>
        `<li><button type="submit" name="pick" value="${escapeHtml(u.username)}" id="tile-${escapeHtml(u.key)}" data-test-id="${escapeHtml(u.username)}">` +
        `<div class="name">${escapeHtml(u.displayName)}</div><div class="upn">${escapeHtml(u.username)}</div></button></li>`,
    )
    .join('');
  return page(
    'Sign in to your account',
    () =>
      `<h1 id="loginHeader">Pick an account</h1>` +
      `<div class="sub">to continue to <span id="appName">${escapeHtml(input.app.displayName)}</span></div>` +
      `<form method="post" action="${action}" id="pickerForm">${ctx}<ul class="tiles" id="tilesHolder">${tiles}</ul></form>` +
      `<form method="post" action="${action}" name="f1" id="i0281">${ctx}` +
      (input.error ? `<div class="error" id="usernameError" role="alert">${escapeHtml(input.error)}</div>` : '') +
      `<label for="i0116">Or sign in with another account</label>` +
      `<input type="email" name="loginfmt" id="i0116" autocomplete="username" placeholder="Email, phone, or Skype" value="${escapeHtml(input.loginHint ?? '')}">` +
      `<input type="password" name="passwd" id="i0118" autocomplete="current-password" placeholder="Password (any value)">` +
      `<div class="buttons"><input type="submit" id="idSIButton9" value="Next"><input type="submit" id="idBtn_Back" name="cancel" value="Back" formnovalidate></div>` +
      `</form><div class="small">Local emulator: choosing an account signs in as that user. No password is checked.</div>`,
  );
}

const DESCRIPTIONS: Record<string, string> = {
  openid: 'Sign you in',
  profile: 'View your basic profile',
  email: 'View your email address',
  offline_access: 'Maintain access to data you have given it access to',
  'user.read': 'Sign you in and read your profile',
  'contacts.read': 'Read your contacts',
  'mail.read': 'Read your mail',
  'mail.send': 'Send mail as you',
};

export function consentPage(input: {
  tenantSegment: string;
  txId: string;
  app: SeedApp;
  user: SeedUser;
  scopes: string[];
}): EmuResponse {
  const perms = input.scopes
    .map(
      (s) =>
        `<li class="perm" data-scope="${escapeHtml(s)}">${escapeHtml(DESCRIPTIONS[s.toLowerCase()] ?? s)} <span class="upn">(${escapeHtml(s)})</span></li>`,
    )
    .join('');
  return page(
    'Permissions requested',
    () =>
      `<div class="upn" id="consentUser">${escapeHtml(input.user.username)}</div>` +
      `<h1 id="consentHeader">Permissions requested</h1>` +
      `<div class="sub"><span id="appName">${escapeHtml(input.app.displayName)}</span> (unverified) needs permission to:</div>` +
      `<ul id="consentScopes">${perms}</ul>` +
      `<form method="post" action="/${escapeHtml(input.tenantSegment)}/consent" id="consentForm">` +
      `<input type="hidden" name="ctx" value="${escapeHtml(input.txId)}">` +
      `<div class="buttons"><input type="submit" id="idSIButton9" name="accept" value="Accept"><input type="submit" id="idBtn_Back" name="cancel" value="Cancel"></div></form>`,
  );
}
