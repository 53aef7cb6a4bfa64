import { expect } from 'chai';
import fc from 'fast-check';
import { sendMailBody } from '../../bff/api/mailRouter';
import {
  FIELD_LABELS,
  MAX_BODY,
  MAX_SUBJECT,
  toSendMailRequest,
  type MailDraft,
} from '../../client/features/mail/mailDraft';

const ok = { to: 'a@x.test', subject: 'Hi', body: 'Hello' };

describe("toSendMailRequest (the send form checks the server's rules first)", () => {
  it('trims recipients and the subject, keeps the body as typed', () => {
    expect(toSendMailRequest({ to: ' a@x.test , b@x.test ', subject: ' Hi ', body: ' B ' })).to.deep.equal({
      request: { to: ['a@x.test', 'b@x.test'], subject: 'Hi', body: ' B ' },
    });
  });

  it('names the field to fix by its label, in the order the form shows them', () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `u${i}@x.test`).join(',');
    const cases: Array<[Partial<MailDraft>, keyof MailDraft, string]> = [
      [{ to: '' }, 'to', 'To: enter at least one recipient.'],
      [{ to: eleven }, 'to', 'To: enter at most 10 recipients.'],
      [{ to: 'nope' }, 'to', 'To: "nope" is not an email address.'],
      [{ subject: ' ' }, 'subject', 'Subject: enter a subject.'],
      [{ subject: 'x'.repeat(MAX_SUBJECT + 1) }, 'subject', `Subject: keep it under ${MAX_SUBJECT} characters.`],
      [{ subject: 'two\nlines' }, 'subject', 'Subject: use a single line of text.'],
      // The bug: an empty body passed the form and failed on the server as "body must not be empty."
      [{ body: '' }, 'body', 'Message: write a message.'],
      [{ body: ' \n\t ' }, 'body', 'Message: write a message.'],
      [{ body: 'x'.repeat(MAX_BODY + 1) }, 'body', 'Message: keep it under 20,000 characters.'],
    ];
    for (const [change, field, problem] of cases) {
      expect(toSendMailRequest({ ...ok, ...change }), JSON.stringify(change).slice(0, 60)).to.deep.equal({
        problem,
        field,
      });
      expect(problem.startsWith(`${FIELD_LABELS[field]}:`)).to.equal(true);
    }
  });

  it('never lets through a draft the server would refuse, and refuses every body the server refuses (property, 2 000 runs)', () => {
    const address = fc.constantFrom(
      'a@x.test',
      'megan.bowen@contoso.example',
      'b.c@d.example',
      'x@y.z',
      'not-an-address',
      '@x.test',
      'a@',
      'a b@x.test',
    );
    const text = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom(
        '',
        ' ',
        '\n',
        '\t \n',
        'x'.repeat(MAX_SUBJECT),
        'x'.repeat(MAX_SUBJECT + 1),
        'line\r\nbreak',
        '\u0007bell',
        'ok',
      ),
    );
    const body = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom('', ' ', '\n\n', 'x'.repeat(MAX_BODY), 'x'.repeat(MAX_BODY + 1)),
    );
    fc.assert(
      fc.property(fc.array(address, { maxLength: 12 }), text, body, (to, subject, bodyText) => {
        const draft = { to: to.join(', '), subject, body: bodyText };
        const client = toSendMailRequest(draft);
        if ('request' in client) {
          const server = sendMailBody.safeParse(client.request);
          expect(
            server.success,
            `server refuses what the form accepted: ${JSON.stringify(client.request).slice(0, 200)}`,
          ).to.equal(true);
        }
        const serverOnBody = sendMailBody.shape.body.safeParse(bodyText);
        if (!serverOnBody.success && 'request' in client)
          expect.fail(`form accepted a body the server refuses: ${JSON.stringify(bodyText).slice(0, 80)}`);
      }),
      { numRuns: 2_000 },
    );
  });
});
