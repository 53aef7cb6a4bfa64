// Keeps the send-mail draft across the consent round trip (a top-level navigation away and back).
import type { SendMailRequest } from '../../../shared-types/api';
import { localPathOf } from '../../../shared-types/localPath';
import type { AppThunk } from '../../app/withTypes';

const KEY = 'hybrid-spa:mail-draft';

export interface MailDraft {
  /** As typed: comma-separated addresses. */
  to: string;
  subject: string;
  body: string;
}

/**
 * Only paths inside this app (the BFF's consent route): the same rule as the BFF's returnTo, so no scheme, `//host`,
 * `/\host`, dot segment or encoded slash can take the browser elsewhere or run script.
 */
export function isNavigableUrl(url: string): boolean {
  return localPathOf(url) !== null;
}

/** Saves the draft, then navigates to the BFF's consent route (which returns to this page). */
export const grantConsent =
  (consentUrl: string, draft: MailDraft): AppThunk<boolean> =>
  (_dispatch, _getState, extra) => {
    if (!isNavigableUrl(consentUrl)) return false;
    extra.storage.setItem(KEY, JSON.stringify(draft));
    let target = consentUrl;
    if (target.startsWith('/') && !/[?&]returnTo=/.test(target)) {
      target += `${target.includes('?') ? '&' : '?'}returnTo=${encodeURIComponent(extra.currentPath())}`;
    }
    extra.navigate(target);
    return true;
  };

/** Reads a saved draft without removing it (safe in a StrictMode double-invoked state initializer). */
export const loadSavedDraft = (): AppThunk<MailDraft | null> => (_dispatch, _getState, extra) => {
  const raw = extra.storage.getItem(KEY);
  if (raw === null) return null;
  try {
    const v = JSON.parse(raw) as Partial<MailDraft>;
    if (typeof v.to === 'string' && typeof v.subject === 'string' && typeof v.body === 'string') {
      return { to: v.to, subject: v.subject, body: v.body };
    }
  } catch {
    // A corrupt draft is dropped.
  }
  return null;
};

/** Forgets the saved draft (after it was sent or discarded). */
export const clearSavedDraft = (): AppThunk => (_dispatch, _getState, extra) => {
  extra.storage.removeItem(KEY);
};

export const MAX_RECIPIENTS = 10;

/** Validates the form into a request, or explains what is wrong. */
export function toSendMailRequest(draft: MailDraft): { request: SendMailRequest } | { problem: string } {
  const to = draft.to
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (to.length === 0) return { problem: 'Enter at least one recipient.' };
  if (to.length > MAX_RECIPIENTS) return { problem: `Enter at most ${MAX_RECIPIENTS} recipients.` };
  const bad = to.find((a) => !/^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/.test(a));
  if (bad) return { problem: `"${bad}" is not an email address.` };
  if (!draft.subject.trim()) return { problem: 'Enter a subject.' };
  return { request: { to, subject: draft.subject.trim(), body: draft.body } };
}
