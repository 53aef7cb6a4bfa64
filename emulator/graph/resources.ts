// Graph JSON shapes for the seeded user, contacts and messages, plus $select projection and $top/$skip paging.
import { createHash } from 'node:crypto';
import type { SeedContact, SeedMessage, SeedUser } from '../seedTypes';
import { escapeHtml } from '../http/escape';

type Json = Record<string, unknown>;

/** Outlook-style opaque ids, stable per user and item. */
const itemId = (prefix: string, userOid: string, i: number) =>
  `AAMkA${createHash('sha256').update(`${prefix}|${userOid}|${i}`).digest('base64url').slice(0, 60)}=`;

export function graphUser(user: SeedUser, oid: string): Json {
  return {
    businessPhones: user.mobilePhone ? [user.mobilePhone] : [],
    displayName: user.displayName,
    givenName: user.givenName,
    jobTitle: user.jobTitle ?? null,
    mail: user.username,
    mobilePhone: user.mobilePhone ?? null,
    officeLocation: user.officeLocation ?? null,
    preferredLanguage: 'en-US',
    surname: user.surname,
    userPrincipalName:
      user.personal || oid !== user.oid ? `${user.username.replace('@', '_')}#EXT#@contoso.example` : user.username,
    id: oid,
  };
}

export function graphContact(user: SeedUser, c: SeedContact, i: number): Json {
  const displayName = `${c.givenName} ${c.surname}`;
  return {
    '@odata.etag': `W/"${createHash('sha1').update(`${user.oid}${i}`).digest('base64')}"`,
    id: itemId('contact', user.oid, i),
    createdDateTime: '2025-01-15T10:00:00Z',
    lastModifiedDateTime: '2025-01-15T10:00:00Z',
    displayName,
    givenName: c.givenName,
    surname: c.surname,
    companyName: c.companyName ?? null,
    jobTitle: c.jobTitle ?? null,
    mobilePhone: c.mobilePhone ?? null,
    businessPhones: [],
    emailAddresses: [{ name: displayName, address: c.email }],
  };
}

export function graphMessage(user: SeedUser, m: SeedMessage, i: number, referenceTime: number): Json {
  const received = new Date(referenceTime - m.hoursAgo * 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const from = { emailAddress: { name: m.fromName, address: m.fromAddress } };
  const content = m.body.split('\n').map(escapeHtml).join('<br>');
  return {
    '@odata.etag': `W/"${createHash('sha1').update(`m${user.oid}${i}`).digest('base64')}"`,
    id: itemId('message', user.oid, i),
    createdDateTime: received,
    lastModifiedDateTime: received,
    receivedDateTime: received,
    sentDateTime: received,
    hasAttachments: false,
    subject: m.subject,
    bodyPreview: m.body.replace(/\s+/g, ' ').slice(0, 255),
    importance: m.importance ?? 'normal',
    conversationId: itemId('conversation', user.oid, i),
    isRead: m.isRead ?? true,
    isDraft: false,
    webLink: `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(itemId('message', user.oid, i))}&exvsurl=1&viewmodel=ReadMessageItem`,
    body: { contentType: 'html', content: `<html><body><p>${content}</p></body></html>` },
    sender: from,
    from,
    toRecipients: [{ emailAddress: { name: user.displayName, address: user.username } }],
    ccRecipients: [],
    bccRecipients: [],
    replyTo: [],
  };
}

export type PageResult =
  | { ok: true; items: Json[]; nextSkip?: number; top: number; skip: number; select?: string[] }
  | { ok: false; message: string };

/** Applies $top (1-1000, default 10), $skip and $select like Graph's Outlook endpoints. */
export function page(items: Json[], query: URLSearchParams, defaultTop = 10): PageResult {
  const topRaw = query.get('$top');
  const skipRaw = query.get('$skip');
  const top = topRaw === null ? defaultTop : Number(topRaw);
  const skip = skipRaw === null ? 0 : Number(skipRaw);
  if (!Number.isInteger(top) || top < 1 || top > 1000)
    return { ok: false, message: `Invalid value '${topRaw}' for $top; it must be between 1 and 1000.` };
  if (!Number.isInteger(skip) || skip < 0) return { ok: false, message: `Invalid value '${skipRaw}' for $skip.` };
  const select = parseSelect(query);
  const slice = items.slice(skip, skip + top).map((it) => project(it, select));
  return { ok: true, items: slice, top, skip, select, ...(skip + top < items.length ? { nextSkip: skip + top } : {}) };
}

export function parseSelect(query: URLSearchParams): string[] | undefined {
  const raw = query.get('$select');
  return raw
    ? raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
}

/** $select keeps the named properties (case-insensitive) plus id and @odata.etag, as Graph does. */
export function project(item: Json, select: string[] | undefined): Json {
  if (!select) return item;
  const wanted = new Set([...select.map((s) => s.toLowerCase()), 'id', '@odata.etag']);
  return Object.fromEntries(Object.entries(item).filter(([k]) => wanted.has(k.toLowerCase())));
}
