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
/** The BFF's limits (bff/api/mailRouter.ts), checked here first so the user hears about them next to the form. */
export const MAX_SUBJECT = 255;
export const MAX_BODY = 20_000;

/** zod's z.email() pattern (what the BFF checks); test/client/mailDraft.test.ts keeps the two in agreement. */
const EMAIL = /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

export type DraftField = keyof MailDraft;

/** The form's label for each field: problems name the field the way the user sees it. */
export const FIELD_LABELS: Record<DraftField, string> = { to: 'To', subject: 'Subject', body: 'Message' };

/** Validates the form into a request, or explains what is wrong and which field to fix (the server's rules, checked first here). */
export function toSendMailRequest(
  draft: MailDraft,
): { request: SendMailRequest } | { problem: string; field: DraftField } {
  const to = draft.to
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (to.length === 0) return { problem: `${FIELD_LABELS.to}: enter at least one recipient.`, field: 'to' };
  if (to.length > MAX_RECIPIENTS)
    return { problem: `${FIELD_LABELS.to}: enter at most ${MAX_RECIPIENTS} recipients.`, field: 'to' };
  const bad = to.find((a) => !EMAIL.test(a));
  if (bad) return { problem: `${FIELD_LABELS.to}: "${bad}" is not an email address.`, field: 'to' };
  const subject = draft.subject.trim();
  if (!subject) return { problem: `${FIELD_LABELS.subject}: enter a subject.`, field: 'subject' };
  if (subject.length > MAX_SUBJECT)
    return { problem: `${FIELD_LABELS.subject}: keep it under ${MAX_SUBJECT} characters.`, field: 'subject' };
  if (/\p{Cc}/u.test(subject))
    return { problem: `${FIELD_LABELS.subject}: use a single line of text.`, field: 'subject' };
  if (!draft.body.trim()) return { problem: `${FIELD_LABELS.body}: write a message.`, field: 'body' };
  if (draft.body.length > MAX_BODY)
    return {
      problem: `${FIELD_LABELS.body}: keep it under ${MAX_BODY.toLocaleString('en-US')} characters.`,
      field: 'body',
    };
  return { request: { to, subject, body: draft.body } };
}
