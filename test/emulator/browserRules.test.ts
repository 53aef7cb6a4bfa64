// The browser-only token rules at the HTTP level, with the exact requests msal-browser sends (spec §2.5, peers d4).
import { ConfidentialClientApplication, CryptoProvider } from '@azure/msal-node';
import { expect } from 'chai';
import type { RunningEmulator } from '../../emulator/index';
import { Browser, SPA_REDIRECT, WEB_REDIRECT, authorize, postToken, startTestEmulator } from './helpers';

const SPA_ORIGIN = 'http://localhost:51234';
const BROWSER_EXTRAS = {
  'x-client-SKU': 'msal.js.browser',
  'x-client-VER': '5.29.0',
  'x-ms-lib-capability': 'retry-after, h429',
  'x-client-current-telemetry': '',
  'x-client-last-telemetry': '',
  client_info: '1',
  claims: '{"id_token":{"login_hint":{"essential":false}}}',
};

describe('emulator token endpoint: browser (SPA) rules', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startTestEmulator();
  });
  after(async () => emu?.close());
  afterEach(() => emu.admin.reset());

  /** A web code redeemed by the server with return_spa_code=1; returns the spa_code. */
  async function spaCode(user = 'adele.vance@contoso.example'): Promise<string> {
    const cca = new ConfidentialClientApplication({
      auth: {
        clientId: emu.clientId,
        authority: emu.urls.authority,
        clientSecret: emu.clientSecret,
        knownAuthorities: [new URL(emu.urls.instance).host],
      },
    });
    const url = await cca.getAuthCodeUrl({ scopes: ['User.Read', 'Contacts.Read'], redirectUri: WEB_REDIRECT });
    const out = await authorize(new Browser(), url, user);
    const code = out.params!.get('code')!;
    const result = await cca.acquireTokenByCode({
      code,
      scopes: ['User.Read', 'Contacts.Read'],
      redirectUri: WEB_REDIRECT,
      enableSpaAuthorizationCode: true,
    });
    return result.code!;
  }

  /** A code from /authorize to a web redirect URI, not yet redeemed. */
  async function webCode(): Promise<string> {
    const q = new URLSearchParams({
      client_id: emu.clientId,
      redirect_uri: WEB_REDIRECT,
      response_type: 'code',
      scope: 'openid profile offline_access User.Read',
    });
    const out = await authorize(
      new Browser(),
      `${emu.urls.authority}/oauth2/v2.0/authorize?${q}`,
      'adele.vance@contoso.example',
    );
    return out.params!.get('code')!;
  }

  const spaRedemption = (code: string) => ({
    client_id: emu.clientId,
    scope: 'User.Read openid profile offline_access',
    code,
    grant_type: 'authorization_code',
    ...BROWSER_EXTRAS,
  });

  it('redeems a spa_code with Origin, no secret and no redirect_uri: 200, SPA refresh token, no spa_code', async () => {
    const res = await postToken(emu, spaRedemption(await spaCode()), { origin: SPA_ORIGIN });
    expect(res.status).to.equal(200);
    expect(res.headers.get('access-control-allow-origin')).to.equal('*');
    expect(res.body).to.include.keys('access_token', 'refresh_token', 'id_token', 'client_info');
    expect(res.body).not.to.have.property('spa_code');
    expect(res.body.scope).to.equal('User.Read openid profile');
    expect(res.body.refresh_token_expires_in).to.be.a('number').within(86_000, 86_400);
  });

  it('refuses a spa_code redeemed without Origin (AADSTS9002327), with CORS headers on the error', async () => {
    const res = await postToken(emu, spaRedemption(await spaCode()));
    expect(res.status).to.equal(400);
    expect(res.body).to.include({ error: 'invalid_request' });
    expect(res.body.error_codes).to.deep.equal([9002327]);
    expect(String(res.body.error_description)).to.match(/^AADSTS9002327: /);
    expect(res.body).to.include.keys('timestamp', 'trace_id', 'correlation_id', 'error_uri');
    expect(res.headers.get('access-control-allow-origin')).to.equal('*');
  });

  it('refuses a spa_code redeemed with a client secret (AADSTS700025)', async () => {
    const res = await postToken(
      emu,
      { ...spaRedemption(await spaCode()), client_secret: emu.clientSecret },
      { origin: SPA_ORIGIN },
    );
    expect(res.status).to.equal(401);
    expect(res.body).to.include({ error: 'invalid_client' });
    expect(res.body.error_codes).to.deep.equal([700025]);
  });

  it('refuses a web code redeemed with an Origin header (AADSTS9002326)', async () => {
    const res = await postToken(
      emu,
      {
        client_id: emu.clientId,
        code: await webCode(),
        grant_type: 'authorization_code',
        redirect_uri: WEB_REDIRECT,
        client_secret: emu.clientSecret,
        scope: 'User.Read',
      },
      { origin: SPA_ORIGIN },
    );
    expect(res.status).to.equal(400);
    expect(res.body.error_codes).to.deep.equal([9002326]);
    expect(res.headers.get('access-control-allow-origin')).to.equal('*');
  });

  it('makes spa_codes one-time too (second browser redemption → 54005)', async () => {
    const code = await spaCode();
    expect((await postToken(emu, spaRedemption(code), { origin: SPA_ORIGIN })).status).to.equal(200);
    const again = await postToken(emu, spaRedemption(code), { origin: SPA_ORIGIN });
    expect(again.body).to.include({ error: 'invalid_grant' });
    expect(again.body.error_codes).to.deep.equal([54005]);
  });

  it('refreshes a SPA refresh token only with Origin, and stops 24 h after sign-in (700084)', async () => {
    const first = await postToken(emu, spaRedemption(await spaCode()), { origin: SPA_ORIGIN });
    const refresh = (rt: string) => ({
      client_id: emu.clientId,
      scope: 'User.Read openid profile offline_access',
      grant_type: 'refresh_token',
      refresh_token: rt,
      ...BROWSER_EXTRAS,
    });
    const noOrigin = await postToken(emu, refresh(String(first.body.refresh_token)));
    expect(noOrigin.body.error_codes).to.deep.equal([9002327]);
    const ok = await postToken(emu, refresh(String(first.body.refresh_token)), { origin: SPA_ORIGIN });
    expect(ok.status).to.equal(200);
    expect(ok.body.refresh_token).to.be.a('string').and.not.equal(first.body.refresh_token);
    emu.admin.advance(24 * 3600_000 + 1000);
    const expired = await postToken(emu, refresh(String(ok.body.refresh_token)), { origin: SPA_ORIGIN });
    expect(expired.body).to.include({ error: 'invalid_grant' });
    expect(expired.body.error_codes).to.deep.equal([700084]);
  });

  it('requires PKCE for SPA authorize codes and checks the S256 verifier', async () => {
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const q = new URLSearchParams({
      client_id: emu.clientId,
      redirect_uri: SPA_REDIRECT,
      response_type: 'code',
      scope: 'openid profile offline_access User.Read',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'eyJpZCI6IngifQ',
      nonce: 'n',
    });
    const out = await authorize(
      new Browser(),
      `${emu.urls.authority}/oauth2/v2.0/authorize?${q}`,
      'alex.wilber@contoso.example',
    );
    expect(new URL(out.location!).hash, 'SPA default response_mode is fragment').to.match(/^#code=/);
    const form = {
      client_id: emu.clientId,
      redirect_uri: SPA_REDIRECT,
      code: out.params!.get('code')!,
      grant_type: 'authorization_code',
      scope: 'openid profile offline_access User.Read',
      ...BROWSER_EXTRAS,
    };
    const wrong = await postToken(emu, { ...form, code_verifier: `${verifier}x` }, { origin: SPA_ORIGIN });
    expect(wrong.body.error_codes).to.deep.equal([501481]);

    const out2 = await authorize(
      new Browser(),
      `${emu.urls.authority}/oauth2/v2.0/authorize?${q}`,
      'alex.wilber@contoso.example',
    );
    const ok = await postToken(
      emu,
      { ...form, code: out2.params!.get('code')!, code_verifier: verifier },
      { origin: SPA_ORIGIN },
    );
    expect(ok.status).to.equal(200);
    expect(ok.body).not.to.have.property('spa_code');
  });

  it('answers preflights with 204 and CORS on metadata', async () => {
    const pre = await fetch(`${emu.urls.authority}/oauth2/v2.0/token`, {
      method: 'OPTIONS',
      headers: {
        origin: SPA_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(pre.status).to.equal(204);
    expect(pre.headers.get('access-control-allow-origin')).to.equal('*');
    expect(pre.headers.get('access-control-allow-headers')).to.equal('content-type');
    const meta = await fetch(
      `${emu.urls.instance}/${emu.tenantId.toUpperCase()}/v2.0/.well-known/openid-configuration`,
      { headers: { origin: SPA_ORIGIN } },
    );
    expect(meta.status, 'tenant segment is case-insensitive').to.equal(200);
    expect(meta.headers.get('access-control-allow-origin')).to.equal('*');
    const doc = (await meta.json()) as Record<string, string>;
    expect(doc.issuer).to.equal(`${emu.urls.authority}/v2.0`);
    const common = (await (
      await fetch(`${emu.urls.instance}/common/v2.0/.well-known/openid-configuration`)
    ).json()) as Record<string, string>;
    expect(common.issuer).to.equal(`${emu.urls.instance}/{tenantid}/v2.0`);
    expect(common.token_endpoint).to.equal(`${emu.urls.instance}/common/oauth2/v2.0/token`);
  });
});
