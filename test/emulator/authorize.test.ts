// /authorize, sign-in and consent pages, sessions, prompt handling, logout with front-channel iframes.
import { expect } from 'chai';
import type { RunningEmulator } from '../../emulator/index';
import { Browser, SPA_REDIRECT, WEB_REDIRECT, authorize, inputValue, startTestEmulator } from './helpers';

describe('emulator /authorize, consent and logout', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startTestEmulator();
  });
  after(async () => emu?.close());
  afterEach(() => emu.admin.reset());

  const authUrl = (params: Record<string, string>) =>
    `${emu.urls.authority}/oauth2/v2.0/authorize?${new URLSearchParams({
      client_id: emu.clientId,
      redirect_uri: WEB_REDIRECT,
      response_type: 'code',
      scope: 'openid profile offline_access User.Read',
      state: 'st',
      ...params,
    })}`;

  it('renders a sign-in page with Entra element ids, login_hint prefilled and names escaped', async () => {
    const res = await new Browser().request(authUrl({ login_hint: 'alex.wilber@contoso.example' }));
    expect(res.status).to.equal(200);
    const html = await res.text();
    for (const id of ['id="i0116"', 'name="loginfmt"', 'id="idSIButton9"', 'id="idBtn_Back"', 'id="i0118"'])
      expect(html).to.include(id);
    expect(inputValue(html, 'loginfmt')).to.equal('alex.wilber@contoso.example');
    expect(html).not.to.include('<script>alert(1)</script>');
    expect(html).to.include('Robert &quot;Bobby&quot; &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; O&#39;Hara');
    expect(res.headers.get('content-security-policy')).to.match(/script-src 'nonce-/);
  });

  it('shows an error page (no redirect) for an unregistered redirect URI, but ignores the port of http://localhost', async () => {
    const bad = await new Browser().request(authUrl({ redirect_uri: 'https://evil.example/cb' }));
    expect(bad.status).to.equal(400);
    expect(bad.headers.get('location')).to.equal(null);
    expect(await bad.text()).to.include('AADSTS50011');
    const otherPort = await new Browser().request(authUrl({ redirect_uri: 'http://127.0.0.1:49999/auth/callback' }));
    expect(otherPort.status).to.equal(200);
    const wrongPath = await new Browser().request(authUrl({ redirect_uri: 'http://localhost:3000/auth/other' }));
    expect(await wrongPath.text()).to.include('AADSTS50011');
  });

  it('sets an HttpOnly, Secure, SameSite=None session cookie and then signs in silently (SSO)', async () => {
    const browser = new Browser();
    const first = await browser.request(authUrl({}));
    const html = await first.text();
    const login = await browser.request(`${emu.urls.instance}/${emu.tenantId}/login`, {
      form: { ctx: inputValue(html, 'ctx')!, pick: 'adele.vance@contoso.example' },
    });
    expect(login.status).to.equal(302);
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith('ESTSAUTH='))!;
    expect(cookie)
      .to.match(/HttpOnly/)
      .and.match(/Secure/)
      .and.match(/SameSite=None/);
    const silent = await authorize(browser, authUrl({ prompt: 'none' }));
    expect(silent.params!.get('code')).to.be.a('string');
    expect(silent.params!.get('session_state')).to.be.a('string');
    const forced = await authorize(browser, authUrl({ prompt: 'login' }));
    expect(forced.page).to.include('id="i0116"');
  });

  it('redirects prompt=none without a session with login_required (AADSTS50058)', async () => {
    const out = await authorize(new Browser(), authUrl({ prompt: 'none' }));
    expect(out.params!.get('error')).to.equal('login_required');
    expect(out.params!.get('error_description')).to.match(/^AADSTS50058: /);
    expect(out.params!.get('error_uri')).to.match(/code=50058$/);
    expect(out.params!.get('state')).to.equal('st');
  });

  it('asks consent for Mail.Send; Accept remembers it, Cancel returns access_denied (65004)', async () => {
    const browser = new Browser();
    const cancelled = await authorize(
      browser,
      authUrl({ scope: 'openid Mail.Send' }),
      'adele.vance@contoso.example',
      'cancel',
    );
    expect(cancelled.params!.get('error')).to.equal('access_denied');
    expect(cancelled.params!.get('error_description')).to.match(/^AADSTS65004: /);
    const silent = await authorize(browser, authUrl({ scope: 'openid Mail.Send', prompt: 'none' }));
    expect(silent.params!.get('error')).to.equal('consent_required');
    const consentPage = await authorize(browser, authUrl({ scope: 'openid Mail.Send' }));
    expect(consentPage.page).to.include('data-scope="Mail.Send"');
    const accepted = await authorize(browser, authUrl({ scope: 'openid Mail.Send' }), undefined, 'accept');
    expect(accepted.params!.get('code')).to.be.a('string');
    const again = await authorize(browser, authUrl({ scope: 'openid Mail.Send', prompt: 'none' }));
    expect(again.params!.get('code'), 'consent is remembered').to.be.a('string');
  });

  it('honours response_mode=form_post and fragment', async () => {
    const browser = new Browser();
    const post = await authorize(browser, authUrl({ response_mode: 'form_post' }), 'alex.wilber@contoso.example');
    expect(post.page)
      .to.include(`action="${WEB_REDIRECT}"`)
      .and.include('name="code"')
      .and.include('name="state" value="st"');
    const frag = await authorize(
      browser,
      authUrl({
        response_mode: 'fragment',
        redirect_uri: SPA_REDIRECT,
        code_challenge: 'x'.repeat(43),
        code_challenge_method: 'S256',
      }),
    );
    expect(new URL(frag.location!).hash).to.match(/^#code=/);
  });

  it('signs out: clears the session, loads the front-channel logout URL with sid and iss, returns to the registered URI', async () => {
    const browser = new Browser();
    const signedIn = await authorize(browser, authUrl({}), 'adele.vance@contoso.example');
    expect(signedIn.params!.get('code')).to.be.a('string');
    const res = await browser.request(
      `${emu.urls.authority}/oauth2/v2.0/logout?post_logout_redirect_uri=${encodeURIComponent('http://localhost:3000/')}&state=bye&client_id=${emu.clientId}`,
    );
    expect(res.status).to.equal(200);
    const html = await res.text();
    const iframe = /<iframe[^>]*src="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&');
    const url = new URL(iframe);
    expect(url.origin + url.pathname).to.equal('http://localhost:3000/auth/frontchannel-logout');
    expect(url.searchParams.get('sid')).to.be.a('string');
    expect(url.searchParams.get('iss')).to.equal(`${emu.urls.authority}/v2.0`);
    expect(html).to.include('id="signout-continue" href="http://localhost:3000/?state=bye"');
    expect(browser.hasSession()).to.equal(false);
    const after = await authorize(browser, authUrl({ prompt: 'none' }));
    expect(after.params!.get('error')).to.equal('login_required');
    const unregistered = await browser.request(
      `${emu.urls.authority}/oauth2/v2.0/logout?post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`,
    );
    expect(await unregistered.text()).not.to.include('evil.example');
  });

  it('supports a seed override (an extra app registration)', async () => {
    const other = await startTestEmulator({
      seed: (s) => ({
        ...s,
        apps: [
          ...s.apps,
          {
            ...s.apps[0]!,
            clientId: '11111111-2222-3333-4444-555555555555',
            webRedirectUris: ['https://app.example/cb'],
          },
        ],
      }),
    });
    try {
      const q = new URLSearchParams({
        client_id: '11111111-2222-3333-4444-555555555555',
        redirect_uri: 'https://app.example/cb',
        response_type: 'code',
        scope: 'openid',
      });
      const res = await new Browser().request(`${other.urls.authority}/oauth2/v2.0/authorize?${q}`);
      expect(res.status).to.equal(200);
      expect(await res.text()).to.include('id="i0116"');
    } finally {
      await other.close();
    }
  });
});
