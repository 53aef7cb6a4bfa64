// Test hooks (in-process and /_emulator HTTP), request-log redaction, certificates and startup errors.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { expect } from 'chai';
import { ensureCertificates } from '../../emulator/certs';
import type { RunningEmulator } from '../../emulator/index';
import { Browser, WEB_REDIRECT, authorize, postToken, startTestEmulator, userTokens } from './helpers';

describe('emulator test hooks', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startTestEmulator();
  });
  after(async () => emu?.close());
  afterEach(() => emu.admin.reset());

  const admin = (path: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(`${emu.urls.instance}/_emulator${path}`, {
      method: init.method ?? (init.body ? 'POST' : 'GET'),
      headers: init.body ? { 'content-type': 'application/json' } : {},
      body: init.body ? JSON.stringify(init.body) : undefined,
    });

  it('injects an Entra-shaped token error for the next N calls, then recovers', async () => {
    emu.admin.fail({
      endpoint: 'token',
      times: 2,
      error: 'invalid_grant',
      errorCode: 700082,
      errorDescription: 'Expired.',
    });
    const form = {
      client_id: emu.clientId,
      client_secret: emu.clientSecret,
      grant_type: 'client_credentials',
      scope: 'https://graph.microsoft.com/.default',
    };
    for (let i = 0; i < 2; i++) {
      const res = await postToken(emu, form);
      expect(res.status).to.equal(400);
      expect(res.body.error_codes).to.deep.equal([700082]);
      expect(res.headers.get('access-control-allow-origin')).to.equal('*');
    }
    expect((await postToken(emu, form)).status).to.equal(200);
  });

  it('injects Graph 429 with Retry-After for one path only, over the HTTP admin API', async () => {
    const token = String((await userTokens(emu, 'adele.vance@contoso.example')).access_token);
    const created = await admin('/faults', {
      body: { endpoint: 'graph', path: '/me/messages', status: 429, headers: { 'Retry-After': '2' } },
    });
    expect(created.status).to.equal(201);
    const headers = { authorization: `Bearer ${token}` };
    expect((await fetch(`${emu.urls.graph}/me`, { headers })).status, 'other paths unaffected').to.equal(200);
    const throttled = await fetch(`${emu.urls.graph}/me/messages`, { headers });
    expect(throttled.status).to.equal(429);
    expect(throttled.headers.get('retry-after')).to.equal('2');
    expect(((await throttled.json()) as { error: { code: string } }).error.code).to.equal('TooManyRequests');
    expect((await fetch(`${emu.urls.graph}/me/messages`, { headers })).status).to.equal(200);
  });

  it('injects an /authorize error as a redirect to the client, and a non-JSON token body', async () => {
    emu.admin.fail({ endpoint: 'authorize', error: 'access_denied', errorCode: 65004 });
    const q = new URLSearchParams({
      client_id: emu.clientId,
      redirect_uri: WEB_REDIRECT,
      response_type: 'code',
      scope: 'openid',
      state: 's',
    });
    const out = await authorize(new Browser(), `${emu.urls.authority}/oauth2/v2.0/authorize?${q}`);
    expect(out.params!.get('error')).to.equal('access_denied');
    expect(out.params!.get('state')).to.equal('s');
    emu.admin.fail({ endpoint: 'token', status: 502, body: '<html>Bad gateway</html>' });
    const res = await fetch(`${emu.urls.authority}/oauth2/v2.0/token`, { method: 'POST' });
    expect(res.status).to.equal(502);
    expect(await res.text()).to.equal('<html>Bad gateway</html>');
  });

  it('delays a real response with a delay-only fault', async () => {
    emu.admin.fail({ endpoint: 'msi', delayMs: 300 });
    const started = Date.now();
    const res = await fetch(`${emu.urls.identityEndpoint}?api-version=2019-08-01&resource=https://vault.azure.net`, {
      headers: { 'X-IDENTITY-HEADER': emu.identityHeader },
    });
    expect(res.status).to.equal(200);
    expect(Date.now() - started).to.be.at.least(280);
  });

  it("revokes a user's refresh tokens and ends sessions", async () => {
    const tokens = await userTokens(emu, 'alex.wilber@contoso.example');
    const revoked = await admin('/users/alex.wilber@contoso.example/revoke', { method: 'POST' });
    expect(await revoked.json()).to.deep.equal({ revoked: 1 });
    const res = await postToken(emu, {
      client_id: emu.clientId,
      client_secret: emu.clientSecret,
      grant_type: 'refresh_token',
      refresh_token: String(tokens.refresh_token),
      scope: 'User.Read',
    });
    expect(res.body).to.include({ error: 'invalid_grant' });
    const ended = await admin('/sessions/end', { body: {} });
    expect(((await ended.json()) as { ended: number }).ended).to.be.at.least(1);
  });

  it('logs requests with secrets redacted but names, grant_type and presence flags kept', async () => {
    const cca = new ConfidentialClientApplication({
      auth: {
        clientId: emu.clientId,
        authority: emu.urls.authority,
        clientSecret: emu.clientSecret,
        knownAuthorities: [new URL(emu.urls.instance).host],
      },
    });
    const url = await cca.getAuthCodeUrl({ scopes: ['User.Read'], redirectUri: WEB_REDIRECT });
    const out = await authorize(new Browser(), url, 'adele.vance@contoso.example');
    await cca.acquireTokenByCode({
      code: out.params!.get('code')!,
      scopes: ['User.Read'],
      redirectUri: WEB_REDIRECT,
      enableSpaAuthorizationCode: true,
    });
    const log = (await (await admin('/requests?service=entra&pathIncludes=/token')).json()) as {
      value: Array<Record<string, never>>;
    };
    const entry = log.value.at(-1) as unknown as {
      form: Record<string, string>;
      flags: Record<string, boolean>;
      status: number;
    };
    expect(entry.status).to.equal(200);
    expect(entry.form).to.include({
      grant_type: 'authorization_code',
      code: '[redacted]',
      client_secret: '[redacted]',
      return_spa_code: '1',
    });
    expect(entry.flags).to.include({
      hasRedirectUri: true,
      hasClientSecret: true,
      hasOrigin: false,
      hasCodeVerifier: false,
    });
    const text = JSON.stringify(emu.admin.requests());
    expect(text).not.to.include(emu.clientSecret);
    expect(text).not.to.include(out.params!.get('code')!);
  });

  it('moves the clock and reads the outbox over HTTP', async () => {
    const before = ((await (await admin('/clock')).json()) as { now: number }).now;
    const moved = ((await (await admin('/clock/advance', { body: { ms: 60_000 } })).json()) as { now: number }).now;
    expect(moved - before).to.be.within(60_000, 65_000);
    expect(await (await admin('/outbox')).json()).to.deep.equal({ value: [] });
    expect((await admin('/reset', { method: 'POST' })).status).to.equal(204);
  });

  it('keeps the admin API off unless testHooks is set', async () => {
    const plain = await startTestEmulator({ testHooks: false });
    try {
      expect((await fetch(`${plain.urls.instance}/_emulator/requests`)).status).to.equal(404);
      expect(() => plain.admin.fail({ endpoint: 'token' })).to.throw(/test hooks are disabled/);
    } finally {
      await plain.close();
    }
  });

  it('names the port and the variable to change when a port is taken', async () => {
    const err = await startTestEmulator({
      ports: { entra: emu.ports.entra, graph: 0, keyVault: 0, managedIdentity: 0 },
    }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).to.equal(
      `port ${emu.ports.entra} is in use (emulator entra); set EMULATOR_ENTRA_PORT to another port`,
    );
  });
});

describe('emulator certificates', () => {
  it('generates a CA-signed localhost certificate once and reuses it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-certs-'));
    try {
      const first = await ensureCertificates({ rootDir: dir });
      expect(first.paths.caCert).to.equal(join(dir, '.emulator', 'ca.pem'));
      expect(first.spkiHash).to.match(/^[A-Za-z0-9+/]{43}=$/);
      const again = await ensureCertificates({ rootDir: dir });
      expect(again.serverCertPem).to.equal(first.serverCertPem);
      const later = await ensureCertificates({ rootDir: dir, now: () => Date.now() + 400 * 86_400_000 });
      expect(later.serverCertPem, 'renewed when close to expiry').to.not.equal(first.serverCertPem);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
