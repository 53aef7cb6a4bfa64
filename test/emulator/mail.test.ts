// sendMail delivers: the recipients' Inbox and the sender's Sent Items, seen through Graph like any other message.
import { expect } from 'chai';
import fc from 'fast-check';
import type { RunningEmulator } from '../../emulator/index';
import { startTestEmulator, userTokens } from './helpers';

type Message = {
  id: string;
  subject: string;
  isRead: boolean;
  parentFolderId: string;
  from: { emailAddress: { address: string } };
  body: { content: string };
};
const USERS = {
  adele: 'adele.vance@contoso.example',
  alex: 'alex.wilber@contoso.example',
  bobby: 'bobby@contoso.example',
  gina: 'gina@fabrikam.example',
  pat: 'pat@outlook.example',
} as const;
type Key = keyof typeof USERS;

describe('emulator mail delivery', () => {
  let emu: RunningEmulator;
  const readTokens = new Map<Key, string>();
  let sendToken: string;
  before(async () => {
    emu = await startTestEmulator();
    emu.admin.grantConsent('adele', emu.clientId, ['Mail.Send']);
    sendToken = String((await userTokens(emu, USERS.adele, 'openid Mail.Send')).access_token);
    for (const key of Object.keys(USERS) as Key[])
      readTokens.set(key, String((await userTokens(emu, USERS[key], 'openid Mail.Read')).access_token));
  });
  after(async () => emu?.close());

  const graph = async (path: string, token: string, init: RequestInit = {}) => {
    const res = await fetch(`${emu.urls.graph}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
    });
    return res;
  };
  const list = async (user: Key, path = '/me/messages?$top=1000') =>
    ((await (await graph(path, readTokens.get(user)!)).json()) as { value: Message[] }).value;
  const send = (message: Record<string, unknown>, saveToSentItems?: boolean) =>
    graph('/me/sendMail', sendToken, {
      method: 'POST',
      body: JSON.stringify({ message, ...(saveToSentItems === undefined ? {} : { saveToSentItems }) }),
    });
  const to = (...addresses: string[]) => addresses.map((address) => ({ emailAddress: { address } }));

  it('puts a sent message in the recipient’s Inbox (unread, newest first) and the sender’s Sent Items (read)', async () => {
    const res = await send({
      subject: 'Lunch?',
      body: { contentType: 'Text', content: 'Thursday <noon>' },
      toRecipients: to(USERS.alex),
      ccRecipients: to('someone@elsewhere.example'),
    });
    expect(res.status).to.equal(202);
    const [newest] = await list('alex');
    expect(newest).to.deep.include({ subject: 'Lunch?', isRead: false, parentFolderId: 'inbox' });
    expect(newest!.from.emailAddress.address).to.equal(USERS.adele);
    expect(newest!.body.content).to.include('Thursday &lt;noon&gt;');
    const inbox = await list('alex', '/me/mailFolders/Inbox/messages');
    expect(inbox[0]!.id).to.equal(newest!.id);
    const sent = await list('adele', '/me/mailFolders/sentitems/messages');
    expect(sent.map((m) => m.subject)).to.include('Lunch?');
    expect(sent.find((m) => m.subject === 'Lunch?')).to.include({ isRead: true, parentFolderId: 'sentitems' });
    // The one message can be fetched by id, and the outbox still records everything sent (external addresses too).
    const one = (await (
      await graph(`/me/messages/${encodeURIComponent(newest!.id)}`, readTokens.get('alex')!)
    ).json()) as Message;
    expect(one.subject).to.equal('Lunch?');
    expect(emu.admin.outbox().at(-1)!.message.ccRecipients).to.deep.equal(to('someone@elsewhere.example'));
  });

  it('delivers one copy to each directory recipient (to and cc, any letter case), and to Sent Items only when asked (generated)', async () => {
    const keys = Object.keys(USERS) as Key[];
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(keys, { minLength: 1 }),
        fc.subarray(keys),
        fc.boolean(),
        fc.boolean(),
        async (toKeys, ccKeys, save, upper) => {
          run++;
          const subject = `generated ${run}`;
          const before = new Map(await Promise.all(keys.map(async (k) => [k, (await list(k)).length] as const)));
          const addr = (k: Key) => (upper ? USERS[k].toUpperCase() : USERS[k]);
          const res = await send(
            {
              subject,
              body: { contentType: 'Text', content: 'x' },
              toRecipients: to(...toKeys.map(addr)),
              ccRecipients: to(...ccKeys.map(addr)),
            },
            save,
          );
          expect(res.status).to.equal(202);
          const recipients = new Set([...toKeys, ...ccKeys]);
          for (const k of keys) {
            const box = await list(k);
            const copies = box.filter((m) => m.subject === subject);
            const expected = (recipients.has(k) ? 1 : 0) + (k === 'adele' && save ? 1 : 0);
            expect(copies, `${k}'s copies of "${subject}"`).to.have.length(expected);
            expect(box.length - before.get(k)!, `${k}'s mailbox growth`).to.equal(expected);
          }
        },
      ),
      { numRuns: 6 },
    );
  });

  it('keeps Sent Items empty with saveToSentItems: false, and the SentItems folder holds no seeded mail', async () => {
    const before = (await list('adele', '/me/mailFolders/SentItems/messages')).length;
    expect((await send({ subject: 'quiet', toRecipients: to(USERS.bobby) }, false)).status).to.equal(202);
    const after = await list('adele', '/me/mailFolders/SentItems/messages');
    expect(after.length).to.equal(before);
    expect(after.every((m) => m.parentFolderId === 'sentitems')).to.equal(true);
    const unknown = await graph('/me/mailFolders/archive/messages', readTokens.get('adele')!);
    expect(unknown.status).to.equal(404);
  });
});
