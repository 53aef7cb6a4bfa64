// --state-dir: sessions, codes, consents, refresh tokens and their revocation, sent mail and the signing key survive a
// restart; a config changed since the save wins for the parts that start from it. (Admin calls: persistAdmin.test.ts.)
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { decodeJwt } from 'jose';
import { StateFileError, type RunningEmulator } from '../../emulator/index';
import { STATE_FILE } from '../../emulator/state/persist';
import { Browser, WEB_REDIRECT, authorize, postToken, startTestEmulator, userTokens } from './helpers';

describe('emulator state persistence (--state-dir)', () => {
  let emu: RunningEmulator | undefined;
  afterEach(async () => emu?.close());

  const authUrl = (e: RunningEmulator, extra: Record<string, string> = {}) =>
    `${e.urls.authority}/oauth2/v2.0/authorize?${new URLSearchParams({ client_id: e.clientId, redirect_uri: WEB_REDIRECT, response_type: 'code', scope: 'openid offline_access User.Read', ...extra })}`;
  const refresh = (e: RunningEmulator, token: string) =>
    postToken(e, {
      client_id: e.clientId,
      client_secret: e.clientSecret,
      grant_type: 'refresh_token',
      refresh_token: token,
      scope: 'openid offline_access User.Read',
    });

  it('restores sessions, consents, refresh tokens (revoked ones stay revoked), sent mail and token validity', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-state-'));
    emu = await startTestEmulator({ persistDir: dir });
    // A browser signs in (emulator session cookie); adele consents to Mail.Send and mails alex; adele's tokens are revoked.
    const browser = new Browser();
    const first = await authorize(browser, authUrl(emu), 'alex.wilber@contoso.example');
    expect(first.params?.get('code')).to.be.a('string');
    const alexTokens = await userTokens(emu, 'alex.wilber@contoso.example');
    emu.admin.grantConsent('adele', emu.clientId, ['Mail.Send']);
    const adeleSend = await userTokens(emu, 'adele.vance@contoso.example', 'openid offline_access Mail.Send');
    const sent = await fetch(`${emu.urls.graph}/me/sendMail`, {
      method: 'POST',
      headers: { authorization: `Bearer ${String(adeleSend.access_token)}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        message: {
          subject: 'before the restart',
          toRecipients: [{ emailAddress: { address: 'alex.wilber@contoso.example' } }],
        },
      }),
    });
    expect(sent.status).to.equal(202);
    expect(emu.admin.revokeRefreshTokens('adele')).to.be.greaterThan(0);
    await emu.close();
    expect(statSync(join(dir, STATE_FILE)).mode & 0o777, 'state file mode (it holds refresh tokens)').to.equal(0o600);

    emu = await startTestEmulator({ persistDir: dir });
    // The session: prompt=none signs alex in without the picker.
    const silent = await authorize(browser, authUrl(emu, { prompt: 'none' }));
    expect(silent.params?.get('code'), silent.page?.slice(0, 300)).to.be.a('string');
    // Refresh tokens: alex's still works, adele's revocation held.
    expect((await refresh(emu, String(alexTokens.refresh_token))).status).to.equal(200);
    const revoked = await refresh(emu, String(adeleSend.refresh_token));
    expect(revoked.body).to.include({ error: 'invalid_grant' });
    expect(revoked.body.error_codes).to.deep.equal([50173]);
    // Consent: Mail.Send needs no consent page any more.
    const again = await userTokens(emu, 'adele.vance@contoso.example', 'openid Mail.Send');
    expect(String(again.scope)).to.include('Mail.Send');
    // Mail: the outbox and alex's Inbox; the old access token still verifies (same signing key).
    expect(emu.admin.outbox().map((m) => m.message.subject)).to.deep.equal(['before the restart']);
    const inbox = await fetch(`${emu.urls.graph}/me/messages?$top=1`, {
      headers: { authorization: `Bearer ${String(alexTokens.access_token)}` },
    });
    expect(inbox.status).to.equal(200);
    expect(((await inbox.json()) as { value: { subject: string }[] }).value[0]!.subject).to.equal('before the restart');
  });

  it('redeems a code issued before the restart, and lets a changed config win over saved role assignments', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-state-'));
    emu = await startTestEmulator({ persistDir: dir });
    const out = await authorize(new Browser(), authUrl(emu), 'alex.wilber@contoso.example');
    const code = out.params!.get('code')!;
    emu.admin.assignAppRole('gina', 'Secrets.Read');
    await emu.close();
    // Same config: the code redeems and the saved assignment holds.
    emu = await startTestEmulator({ persistDir: dir });
    const redeemed = await postToken(emu, {
      client_id: emu.clientId,
      client_secret: emu.clientSecret,
      grant_type: 'authorization_code',
      code,
      redirect_uri: WEB_REDIRECT,
      scope: 'openid offline_access User.Read',
    });
    expect(redeemed.status, JSON.stringify(redeemed.body)).to.equal(200);
    const ginaRoles = async () =>
      decodeJwt(String((await userTokens(emu!, 'gina@fabrikam.example', 'openid')).id_token)).roles;
    expect(await ginaRoles()).to.deep.equal(['Secrets.Read']);
    await emu.close();
    // The config's role assignments change: they win, and the log says so.
    const lines: string[] = [];
    emu = await startTestEmulator({
      persistDir: dir,
      logger: (line) => lines.push(line),
      seed: (s) => ({ ...s, roleAssignments: s.roleAssignments.filter((r) => r.role !== 'Mail.Admin') }),
    });
    expect(await ginaRoles()).to.equal(undefined);
    expect(lines.join('\n')).to.include('roles start from the config again');
  });

  it('keeps everything in memory by default: a restart forgets sessions and tokens', async () => {
    emu = await startTestEmulator();
    const browser = new Browser();
    await authorize(browser, authUrl(emu), 'alex.wilber@contoso.example');
    const tokens = await userTokens(emu, 'alex.wilber@contoso.example');
    await emu.close();
    emu = await startTestEmulator();
    const silent = await authorize(browser, authUrl(emu, { prompt: 'none' }));
    expect(silent.params?.get('error')).to.equal('login_required');
    expect((await refresh(emu, String(tokens.refresh_token))).body).to.include({ error: 'invalid_grant' });
  });

  it('refuses to start on a damaged state file, naming it and what to do (never overwriting it)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-state-'));
    const file = join(dir, STATE_FILE);
    for (const content of ['{"version": 1, "sessions": [', JSON.stringify({ version: 99 })]) {
      writeFileSync(file, content);
      let error: unknown;
      try {
        emu = await startTestEmulator({ persistDir: dir });
      } catch (err) {
        error = err;
      }
      expect(error).to.be.instanceOf(StateFileError);
      expect((error as Error).message)
        .to.include(file)
        .and.include('delete it to start from the config again');
      expect(readFileSync(file, 'utf8')).to.equal(content);
      emu = undefined;
    }
    expect(existsSync(file)).to.equal(true);
  });
});
