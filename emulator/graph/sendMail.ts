// Validates a Graph sendMail JSON body and turns it into an outbox entry.
import type { SentMail } from '../state/store';

type Result =
  { ok: true; mail: Pick<SentMail, 'message' | 'saveToSentItems'> } | { ok: false; code: string; message: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

export function validateSendMail(body: unknown): Result {
  const bad = (message: string): Result => ({ ok: false, code: 'BadRequest', message });
  if (!isObject(body)) return bad('Empty Payload. JSON content expected.');
  const m = body.message;
  if (!isObject(m)) return bad("The 'message' parameter is required.");
  if (m.subject !== undefined && typeof m.subject !== 'string') return bad("Invalid value for 'subject'.");
  const b = m.body;
  if (
    b !== undefined &&
    (!isObject(b) ||
      typeof b.content !== 'string' ||
      !['text', 'html'].includes(String(b.contentType ?? 'text').toLowerCase()))
  ) {
    return bad("Invalid 'body': expected {contentType: 'Text'|'HTML', content: string}.");
  }
  const recipients = (field: string): SentMail['message']['toRecipients'] | Result => {
    const list = m[field];
    if (list === undefined) return [];
    if (!Array.isArray(list)) return bad(`'${field}' must be an array.`);
    const out: SentMail['message']['toRecipients'] = [];
    for (const r of list) {
      const address = isObject(r) && isObject(r.emailAddress) ? r.emailAddress.address : undefined;
      if (typeof address !== 'string' || !EMAIL.test(address)) {
        return {
          ok: false,
          code: 'ErrorInvalidRecipients',
          message: 'At least one recipient is not valid., Recipient is not a valid SMTP address.',
        };
      }
      const name =
        isObject(r) && isObject(r.emailAddress) && typeof r.emailAddress.name === 'string'
          ? r.emailAddress.name
          : undefined;
      out.push({ emailAddress: { address, ...(name ? { name } : {}) } });
    }
    return out;
  };
  const to = recipients('toRecipients');
  if (!Array.isArray(to)) return to;
  const cc = recipients('ccRecipients');
  if (!Array.isArray(cc)) return cc;
  if (to.length + cc.length === 0) {
    return {
      ok: false,
      code: 'ErrorInvalidRecipients',
      message: "At least one recipient is not valid., A message can't be sent because it contains no recipients.",
    };
  }
  if (body.saveToSentItems !== undefined && typeof body.saveToSentItems !== 'boolean')
    return bad("Invalid value for 'saveToSentItems'.");
  const content = isObject(b)
    ? { contentType: String(b.contentType ?? 'Text'), content: String(b.content) }
    : { contentType: 'Text', content: '' };
  return {
    ok: true,
    mail: {
      message: {
        subject: typeof m.subject === 'string' ? m.subject : '',
        body: content,
        toRecipients: to,
        ...(cc.length ? { ccRecipients: cc } : {}),
      },
      saveToSentItems: body.saveToSentItems !== false,
    },
  };
}
