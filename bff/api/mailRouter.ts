// GET /api/mail (Mail.Read) and POST /api/mail/send (Mail.Send, incremental consent) with the server-side Graph token.
import Router from '@koa/router';
import { z } from 'zod';
import type { Config } from '../../config/types';
import type { MailListResponse, SendMailResponse } from '../../shared-types/api';
import type { TokenService } from '../auth/tokenService';
import type { GraphClient } from '../downstream/graphClient';
import type { AppState } from '../http/appState';
import { AppError } from '../http/errors';
import type { Logger } from '../http/logger';
import { parseOrThrow, single } from '../http/validate';
import type { Services } from '../services';
import { graphAsUser } from './graphAsUser';
import { requireRole } from './requireRole';
import { requireUser } from './requireUser';

export const MAIL_READ_SCOPES = ['Mail.Read'];
export const MAIL_SEND_SCOPES = ['Mail.Send'];
/** SPA pages the consent / sign-in round trips return to. */
const MAIL_PAGE = '/mail';
const SEND_PAGE = '/mail/send';

export type MailRouterServices = Pick<Services, 'config' | 'log' | 'tokenService' | 'graph'>;

interface MailRouterDeps {
  tokenService: TokenService;
  graph: GraphClient;
  entra: Pick<Config['entra'], 'consentScopes'>;
  /** App role per route (config.authorization.routeRoles). */
  routeRoles: Readonly<Record<string, string>>;
  log: Logger;
}

const wholeNumber = (name: string, min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      const n = /^\d{1,6}$/.test(v) ? Number(v) : NaN;
      if (Number.isNaN(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a whole number from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    });

const mailQuery = z.object({
  top: wholeNumber('top', 1, 50, 10),
  skip: wholeNumber('skip', 0, 10_000, 0),
});

/** Exported for the client-agrees-with-server property test. */
export const sendMailBody = z.strictObject({
  to: z
    .array(
      z.email({
        error: (iss) =>
          typeof iss.input === 'string'
            ? `to: "${iss.input.slice(0, 100)}" is not a valid email address`
            : 'to must be a list of email addresses',
      }),
      {
        error: 'to must be a list of email addresses',
      },
    )
    .min(1, 'to needs at least one recipient')
    .max(10, 'to may have at most 10 recipients'),
  subject: z
    .string({ error: 'subject is required' })
    .trim()
    .min(1, 'subject must not be empty')
    .max(255, 'subject may be at most 255 characters')
    .regex(/^[^\p{Cc}]*$/u, 'subject must be a single line of text'),
  body: z
    .string({ error: 'body is required' })
    .min(1, 'body must not be empty')
    .max(20_000, 'body may be at most 20000 characters'),
});

export function createMailRouter(services: MailRouterServices): Router {
  const deps: MailRouterDeps = {
    tokenService: services.tokenService,
    graph: services.graph,
    entra: services.config.entra,
    routeRoles: services.config.authorization.routeRoles,
    log: services.log,
  };
  const router = new Router<AppState>();

  router.get('/api/mail', requireRole(deps.routeRoles['/api/mail']), async (ctx) => {
    const user = requireUser(ctx);
    const query = parseOrThrow(
      mailQuery,
      { top: single(ctx.query.top), skip: single(ctx.query.skip) },
      'invalid_query',
    );
    const page = await graphAsUser(
      deps,
      { user, scopes: MAIL_READ_SCOPES, returnTo: MAIL_PAGE, requestId: ctx.state.requestId },
      (token) => deps.graph.listMessages(token, query),
    );
    const nextSkip = page.nextSkip !== null && page.nextSkip <= 10_000 ? page.nextSkip : null;
    const body: MailListResponse = { messages: page.messages, top: query.top, skip: query.skip, nextSkip };
    ctx.set('Cache-Control', 'no-store');
    ctx.body = body;
  });

  router.post('/api/mail/send', requireRole(deps.routeRoles['/api/mail/send']), async (ctx) => {
    const user = requireUser(ctx);
    if (!ctx.is('application/json')) {
      throw new AppError(415, 'unsupported_media_type', 'Send the message as JSON (Content-Type: application/json).', {
        expose: true,
      });
    }
    const mail = parseOrThrow(sendMailBody, (ctx.request as { body?: unknown }).body, 'invalid_request');
    await graphAsUser(
      deps,
      { user, scopes: MAIL_SEND_SCOPES, returnTo: SEND_PAGE, requestId: ctx.state.requestId },
      (token) => deps.graph.sendMail(token, mail),
    );
    deps.log.info({ requestId: ctx.state.requestId, recipients: mail.to.length }, 'mail sent');
    const body: SendMailResponse = { status: 'sent' };
    ctx.status = 202;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = body;
  });

  return router;
}
