// Mail delivery inside the emulator: sendMail puts a copy in each known recipient's Inbox and the sender's Sent Items;
// listing a mailbox merges those with the seeded (Inbox) messages.
import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../context';
import { escapeHtml } from '../http/escape';
import type { SeedUser } from '../seedTypes';
import type { DeliveredMessage, SentMail } from '../state/store';
import { graphMessage } from './resources';

type Json = Record<string, unknown>;
export type MailFolder = 'inbox' | 'sentitems';

/** Graph's well-known folder names, as /me/mailFolders/{name} accepts them (case-insensitive). */
export function wellKnownFolder(name: string): MailFolder | undefined {
  const n = name.toLowerCase();
  return n === 'inbox' ? 'inbox' : n === 'sentitems' ? 'sentitems' : undefined;
}

/** Delivers a sent message; returns the keys of the users whose Inbox received it (unknown addresses go nowhere). */
export function deliverMail(
  ctx: EmulatorContext,
  sender: SeedUser,
  mail: Pick<SentMail, 'message' | 'saveToSentItems'>,
  sentAt: string,
): string[] {
  const { message } = mail;
  const copy = (folder: MailFolder): DeliveredMessage => ({
    id: `AAMkA${randomUUID().replace(/-/g, '')}${folder === 'inbox' ? 'I' : 'S'}=`,
    folder,
    sentAt,
    from: { name: sender.displayName, address: sender.username },
    subject: message.subject,
    body: message.body,
    toRecipients: message.toRecipients,
    ccRecipients: message.ccRecipients ?? [],
    // The sender has read what they wrote; recipients have not.
    isRead: folder === 'sentitems',
  });
  const put = (userKey: string, m: DeliveredMessage) => {
    const box = ctx.store.mailboxes.get(userKey) ?? [];
    box.push(m);
    ctx.store.mailboxes.set(userKey, box);
  };
  const recipients = new Set<string>();
  for (const r of [...message.toRecipients, ...(message.ccRecipients ?? [])]) {
    const user = ctx.directory.seed.users.find(
      (u) => u.username.toLowerCase() === r.emailAddress.address.toLowerCase(),
    );
    if (user) recipients.add(user.key);
  }
  for (const key of recipients) put(key, copy('inbox'));
  if (mail.saveToSentItems) put(sender.key, copy('sentitems'));
  return [...recipients];
}

/** A user's messages (newest first) in Graph's shape: seeded ones are in the Inbox. */
export function mailboxMessages(ctx: EmulatorContext, user: SeedUser, folder?: MailFolder): Json[] {
  const seeded: Json[] =
    folder === 'sentitems'
      ? []
      : user.messages.map((m, i) => ({
          ...graphMessage(user, m, i, ctx.directory.seed.referenceTime),
          parentFolderId: 'inbox',
        }));
  const delivered = (ctx.store.mailboxes.get(user.key) ?? [])
    .filter((m) => !folder || m.folder === folder)
    .map(deliveredToGraph);
  return [...seeded, ...delivered].sort((a, b) => String(b.receivedDateTime).localeCompare(String(a.receivedDateTime)));
}

function deliveredToGraph(m: DeliveredMessage): Json {
  const from = { emailAddress: { name: m.from.name, address: m.from.address } };
  const html = m.body.contentType.toLowerCase() === 'html';
  const text = html ? m.body.content.replace(/<[^>]*>/g, ' ') : m.body.content;
  const escaped = escapeHtml(text);
  const time = m.sentAt.replace(/\.\d+Z$/, 'Z');
  return {
    '@odata.etag': `W/"${m.id.slice(5, 25)}"`,
    id: m.id,
    createdDateTime: time,
    lastModifiedDateTime: time,
    receivedDateTime: time,
    sentDateTime: time,
    hasAttachments: false,
    subject: m.subject,
    bodyPreview: text.replace(/\s+/g, ' ').trim().slice(0, 255),
    importance: 'normal',
    parentFolderId: m.folder,
    conversationId: `AAQkA${m.id.slice(5, 40)}`,
    isRead: m.isRead,
    isDraft: false,
    body: {
      contentType: 'html',
      content: html ? m.body.content : `<html><body><p>${escaped.split('\n').join('<br>')}</p></body></html>`,
    },
    sender: from,
    from,
    toRecipients: m.toRecipients,
    ccRecipients: m.ccRecipients,
    bccRecipients: [],
    replyTo: [],
  };
}
