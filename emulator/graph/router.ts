// Microsoft Graph v1.0 subset: /me, /me/photo/$value, /me/contacts, /me/messages, POST /me/sendMail.
import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../context';
import type { ActiveFault } from '../faults';
import { preflight, withCors } from '../http/cors';
import { instrument, rawFaultBody } from '../http/instrument';
import { header, jsonBody, type EmuRequest, type EmuResponse, type Handler } from '../http/types';
import type { SeedUser } from '../seedTypes';
import { caeChallenge } from '../entra/cae';
import { authenticateGraph, claimsChallengeResponse, hasScope } from './auth';
import { graphError, graphJson } from './errors';
import { avatarPng } from './photo';
import { deliverMail, mailboxMessages, wellKnownFolder } from './mailbox';
import { graphContact, graphUser, page, parseSelect, project } from './resources';
import { validateSendMail } from './sendMail';

const GRAPH_ORIGIN = 'https://graph.microsoft.com/v1.0';
const DIRECTORY_DENIED = ['Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'] as const;
const MAILBOX_DENIED = ['ErrorAccessDenied', 'Access is denied. Check credentials and try again.'] as const;

export function createGraphHandler(ctx: EmulatorContext): Handler {
  const route = async (req: EmuRequest): Promise<EmuResponse> => {
    if (req.method === 'OPTIONS') return preflight(req, 'GET, POST, PATCH, DELETE, OPTIONS');
    const now = ctx.clock.now();
    const path = req.url.pathname.replace(/\/+$/, '');
    if (!path.toLowerCase().startsWith('/v1.0/')) return graphError(req, now, 400, 'BadRequest', 'Invalid version.');
    const rel = path.slice('/v1.0'.length);
    const auth = await authenticateGraph(ctx, req);
    if (!auth.ok) return auth.response;
    const { claims } = auth;
    if (claims.idtyp === 'app' || !claims.scp) {
      return graphError(req, now, 400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
    }
    const user = ctx.directory.userByTenantOid(String(claims.tid), String(claims.oid));
    if (!user)
      return graphError(
        req,
        now,
        404,
        'Request_ResourceNotFound',
        `Resource '${String(claims.oid)}' does not exist or one of its queried reference-property objects are not present.`,
      );
    const challenge = caeChallenge(ctx, user.key, claims);
    if (challenge) return claimsChallengeResponse(req, now, challenge);
    const deny = ([code, message]: readonly [string, string]) => graphError(req, now, 403, code, message);
    const key = `${req.method} ${rel.toLowerCase()}`;
    switch (key) {
      case 'GET /me':
        if (
          !hasScope(claims, [
            'User.Read',
            'User.ReadWrite',
            'User.Read.All',
            'User.ReadBasic.All',
            'Directory.Read.All',
          ])
        )
          return deny(DIRECTORY_DENIED);
        return graphJson(req, 200, {
          '@odata.context': `${GRAPH_ORIGIN}/$metadata#users/$entity`,
          ...project(graphUser(user, String(claims.oid)), parseSelect(req.url.searchParams)),
        });
      case 'GET /me/photo/$value':
        if (!hasScope(claims, ['User.Read', 'User.ReadWrite', 'User.Read.All', 'User.ReadBasic.All']))
          return deny(DIRECTORY_DENIED);
        if (!user.hasPhoto)
          return graphError(
            req,
            now,
            404,
            'ImageNotFound',
            "Exception of type 'Microsoft.Fast.Profile.Core.Exception.ImageNotFoundException' was thrown.",
          );
        return withCors({
          status: 200,
          headers: { 'content-type': 'image/png', 'cache-control': 'private, max-age=3600' },
          body: avatarPng(user.oid),
        });
      case 'GET /me/contacts':
        if (!hasScope(claims, ['Contacts.Read', 'Contacts.ReadWrite'])) return deny(MAILBOX_DENIED);
        return list(
          req,
          user,
          String(claims.oid),
          'contacts',
          user.contacts.map((c, i) => graphContact(user, c, i)),
        );
      case 'GET /me/messages':
        if (!hasScope(claims, ['Mail.Read', 'Mail.ReadBasic', 'Mail.ReadWrite'])) return deny(MAILBOX_DENIED);
        return list(req, user, String(claims.oid), 'messages', mailboxMessages(ctx, user));
      case 'POST /me/sendmail': {
        if (!hasScope(claims, ['Mail.Send'])) return deny(MAILBOX_DENIED);
        if (!(header(req, 'content-type') ?? '').toLowerCase().includes('application/json')) {
          return graphError(
            req,
            now,
            415,
            'UnsupportedMediaType',
            'This emulator accepts only the JSON sendMail body (Content-Type: application/json).',
          );
        }
        const result = validateSendMail(jsonBody(req));
        if (!result.ok) return graphError(req, now, 400, result.code, result.message);
        const sentAt = new Date(now).toISOString();
        ctx.store.outbox.push({ id: randomUUID(), from: user.username, userKey: user.key, sentAt, ...result.mail });
        const delivered = deliverMail(ctx, user, result.mail, sentAt);
        ctx.log(
          `graph: mail sent by ${user.key} to ${result.mail.message.toRecipients.length} recipient(s), ${delivered.length} in this emulator`,
        );
        return withCors({ status: 202, headers: { 'request-id': randomUUID(), 'content-length': '0' } });
      }
    }
    const folderMatch = /^\/me\/mailFolders\/([^/]+)\/messages$/i.exec(rel);
    if (req.method === 'GET' && folderMatch) {
      if (!hasScope(claims, ['Mail.Read', 'Mail.ReadBasic', 'Mail.ReadWrite'])) return deny(MAILBOX_DENIED);
      const folder = wellKnownFolder(decodeURIComponent(folderMatch[1]!));
      if (!folder)
        return graphError(
          req,
          now,
          404,
          'ErrorItemNotFound',
          'The specified object was not found in the store. (The emulator knows the Inbox and SentItems folders.)',
        );
      return list(req, user, String(claims.oid), 'messages', mailboxMessages(ctx, user, folder));
    }
    const messageMatch = /^\/me\/messages\/([^/]+)$/i.exec(rel);
    if (req.method === 'GET' && messageMatch) {
      if (!hasScope(claims, ['Mail.Read', 'Mail.ReadBasic', 'Mail.ReadWrite'])) return deny(MAILBOX_DENIED);
      const msgs = mailboxMessages(ctx, user);
      const found = msgs.find((m) => m.id === decodeURIComponent(messageMatch[1]!));
      if (!found)
        return graphError(req, now, 404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
      return graphJson(req, 200, {
        '@odata.context': `${GRAPH_ORIGIN}/$metadata#users('${String(claims.oid)}')/messages/$entity`,
        ...project(found, parseSelect(req.url.searchParams)),
      });
    }
    const segment = rel.split('/').filter(Boolean).pop() ?? '';
    return graphError(req, now, 400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
  };

  const list = (
    req: EmuRequest,
    _user: SeedUser,
    oid: string,
    kind: 'contacts' | 'messages',
    items: Record<string, unknown>[],
  ): EmuResponse => {
    const result = page(items, req.url.searchParams);
    if (!result.ok) return graphError(req, ctx.clock.now(), 400, 'BadRequest', result.message);
    const selectPart = result.select ? `(${result.select.join(',')})` : '';
    const body: Record<string, unknown> = {
      '@odata.context': `${GRAPH_ORIGIN}/$metadata#users('${oid}')/${kind}${selectPart}`,
      value: result.items,
    };
    if (result.nextSkip !== undefined) {
      // The next link points back at this emulator (the caller follows it verbatim).
      const next = new URL(`${req.base}${req.url.pathname}`);
      for (const [k, v] of req.url.searchParams) if (k !== '$skip' && k !== '$top') next.searchParams.set(k, v);
      next.searchParams.set('$top', String(result.top));
      next.searchParams.set('$skip', String(result.nextSkip));
      body['@odata.nextLink'] = next.toString();
    }
    return graphJson(req, 200, body);
  };

  return instrument(
    ctx,
    { service: 'graph', endpointOf: () => 'graph', faultResponse: (f, req) => faultResponse(ctx, f, req) },
    route,
  );
}

function faultResponse(ctx: EmulatorContext, fault: ActiveFault, req: EmuRequest): EmuResponse {
  const status = fault.status ?? 503;
  const raw = rawFaultBody(fault);
  let res: EmuResponse;
  if (raw) res = withCors({ status, ...raw });
  else {
    const code =
      fault.error ??
      (status === 429
        ? 'TooManyRequests'
        : status === 401
          ? 'InvalidAuthenticationToken'
          : status === 403
            ? 'ErrorAccessDenied'
            : 'ServiceNotAvailable');
    res = graphError(req, ctx.clock.now(), status, code, fault.errorDescription ?? 'Injected fault.');
  }
  if (!fault.omitCors) return res;
  const headers = { ...res.headers };
  for (const k of Object.keys(headers)) if (k.startsWith('access-control-')) delete headers[k];
  return { ...res, headers };
}
