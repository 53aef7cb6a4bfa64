// Typed Microsoft Graph calls the BFF makes with the user's server-side token: list mail, send mail.
import { z } from 'zod';
import type { MailMessage } from '../../shared-types/api';
import { UpstreamError } from '../http/errors';
import { callDownstream, parseJsonBody, type DownstreamDeps, type DownstreamResponse } from './callDownstream';

const SERVICE = 'Microsoft Graph';
const MESSAGE_FIELDS = 'id,subject,from,receivedDateTime,bodyPreview,isRead';

/** A Graph answer the caller must interpret: 401 (token rejected, maybe a claims challenge), 403, 404, other 4xx. */
export class GraphError extends Error {
  override readonly name = 'GraphError';
  constructor(
    readonly status: number,
    /** Graph's error.code, e.g. InvalidAuthenticationToken, ErrorAccessDenied. */
    readonly code: string,
    message: string,
    /** From WWW-Authenticate on 401: `error` and the decoded `claims` JSON of a claims challenge. */
    readonly challenge: { error: string | null; claims: string | null },
  ) {
    super(message);
  }

  /** A Conditional Access / CAE claims challenge: a new token must be requested with these claims. */
  get claimsChallenge(): string | null {
    return this.challenge.claims;
  }
}

export interface MailPage {
  messages: MailMessage[];
  /** The skip value of the next page, or null when Graph sent no @odata.nextLink. */
  nextSkip: number | null;
}

export interface OutgoingMail {
  to: string[];
  subject: string;
  body: string;
}

export interface GraphClient {
  listMessages(token: string, page: { top: number; skip: number }): Promise<MailPage>;
  /** POST /me/sendMail. Never retried automatically (a send may already have happened). */
  sendMail(token: string, mail: OutgoingMail): Promise<void>;
}

const graphMessage = z.object({
  id: z.string(),
  subject: z.string().nullish(),
  from: z
    .object({ emailAddress: z.object({ name: z.string().nullish(), address: z.string().nullish() }).nullish() })
    .nullish(),
  receivedDateTime: z.string().nullish(),
  bodyPreview: z.string().nullish(),
  isRead: z.boolean().nullish(),
});

const graphMessageList = z.object({
  value: z.array(graphMessage),
  '@odata.nextLink': z.string().optional(),
});

export function createGraphClient(deps: DownstreamDeps & { baseUrl: string }): GraphClient {
  const base = deps.baseUrl.replace(/\/+$/, '');
  return {
    async listMessages(token, { top, skip }) {
      const query = new URLSearchParams({
        $top: String(top),
        $skip: String(skip),
        $select: MESSAGE_FIELDS,
        $orderby: 'receivedDateTime desc',
      });
      const res = await callDownstream(deps, {
        service: SERVICE,
        method: 'GET',
        url: `${base}/me/messages?${query}`,
        token,
      });
      if (res.status !== 200) throw toGraphError(res);
      const parsed = graphMessageList.safeParse(parseJsonBody(SERVICE, res));
      if (!parsed.success) {
        throw new UpstreamError(
          502,
          'upstream_bad_response',
          `${SERVICE} sent a mail list we could not read. Try again.`,
          { cause: parsed.error },
        );
      }
      const messages = parsed.data.value.map(toMailMessage);
      const nextLink = parsed.data['@odata.nextLink'];
      return { messages, nextSkip: nextLink ? nextSkipFrom(nextLink, skip + top) : null };
    },

    async sendMail(token, mail) {
      const res = await callDownstream(deps, {
        service: SERVICE,
        method: 'POST',
        url: `${base}/me/sendMail`,
        token,
        json: {
          message: {
            subject: mail.subject,
            body: { contentType: 'Text', content: mail.body },
            toRecipients: mail.to.map((address) => ({ emailAddress: { address } })),
          },
          saveToSentItems: true,
        },
      });
      if (res.status !== 202 && res.status !== 200 && res.status !== 204) throw toGraphError(res);
    },
  };
}

function toMailMessage(m: z.infer<typeof graphMessage>): MailMessage {
  const address = m.from?.emailAddress;
  return {
    id: m.id,
    subject: m.subject ?? '',
    from: address?.address || address?.name ? { name: address.name ?? '', address: address.address ?? '' } : null,
    receivedDateTime: m.receivedDateTime ?? '',
    bodyPreview: m.bodyPreview ?? '',
    isRead: m.isRead ?? false,
  };
}

/** Graph's next link carries the next $skip; fall back to skip + top when it does not (or it is unreadable). */
function nextSkipFrom(nextLink: string, fallback: number): number {
  try {
    const raw = new URL(nextLink).searchParams.get('$skip');
    const n = raw === null ? NaN : Number(raw);
    return Number.isSafeInteger(n) && n >= 0 ? n : fallback;
  } catch {
    return fallback;
  }
}

const graphErrorBody = z.object({ error: z.object({ code: z.string().optional(), message: z.string().optional() }) });

/** Reads Graph's `{error:{code,message}}` and the WWW-Authenticate challenge; never keeps the body itself. */
export function toGraphError(res: DownstreamResponse): GraphError {
  let code = `http_${res.status}`;
  let message = `HTTP ${res.status}`;
  try {
    const parsed = graphErrorBody.safeParse(JSON.parse(res.text));
    if (parsed.success) {
      code = parsed.data.error.code ?? code;
      message = parsed.data.error.message ?? message;
    }
  } catch {
    // Not JSON (a gateway's page): status alone tells the caller enough.
  }
  return new GraphError(res.status, code, message, parseBearerChallenge(res.headers.get('www-authenticate')));
}

/** Parses `Bearer k="v", …` for `error` and base64 `claims` (decoded to its JSON text, or null if not a JSON object). */
export function parseBearerChallenge(header: string | null): { error: string | null; claims: string | null } {
  if (!header) return { error: null, claims: null };
  const params = new Map<string, string>();
  for (const m of header.matchAll(/([\w-]+)\s*=\s*"([^"]*)"/g)) params.set(m[1]!.toLowerCase(), m[2]!);
  return { error: params.get('error') ?? null, claims: decodeClaims(params.get('claims')) };
}

function decodeClaims(b64: string | undefined): string | null {
  if (!b64 || b64.length > 8192) return null;
  try {
    // Node's base64 decoder accepts both the standard and the URL-safe alphabet.
    const json = Buffer.from(b64, 'base64').toString('utf8');
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' && !Array.isArray(value) ? json : null;
  } catch {
    return null;
  }
}
