// Closer to Entra: redirect_uri at /token (50011 / 500112), missing code_verifier (invalid_grant), 9002326 naming the
// real origin, the Origin of SPA redemptions checked against the SPA redirect URIs, and the pages' accessibility basics.
import { ConfidentialClientApplication, CryptoProvider } from '@azure/msal-node';
import { expect } from 'chai';
import fc from 'fast-check';
import { SEEDED_CONSENT, type RunningEmulator } from '../../emulator/index';
import { Browser, SPA_REDIRECT, WEB_REDIRECT, authorize, postToken, startTestEmulator } from './helpers';

const SCOPE = 'openid profile offline_access User.Read';
const FOREIGN = { clientId: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0', spa: 'https://spa.example/app/callback' };

describe('emulator fidelity', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startTestEmulator({
      // A second app whose only SPA origin is https://spa.example (not loopback), to test exact origin matching.
      seed: (s) => ({
        ...s,
        apps: [
          ...s.apps,
          {
            ...s.apps[0]!,
            clientId: FOREIGN.clientId,
            webRedirectUris: ['https://spa.example/signin'],
            spaRedirectUris: [FOREIGN.spa],
          },
        ],
        consents: [...s.consents, { userKey: 'adele', clientId: FOREIGN.clientId, scopes: [...SEEDED_CONSENT] }],
      }),
    });
  });
  after(async () => emu?.close());

  const authorizeUrl = (params: Record<string, string>, clientId = emu.clientId) =>
    `${emu.urls.authority}/oauth2/v2.0/authorize?${new URLSearchParams({ client_id: clientId, response_type: 'code', scope: SCOPE, ...params })}`;
  const codeFor = async (params: Record<string, string>, clientId?: string) => {
    const out = await authorize(new Browser(), authorizeUrl(params, clientId), 'adele.vance@contoso.example');
    const code = out.params?.get('code');
    if (!code) throw new Error(`no code: ${out.page?.slice(0, 300) ?? out.location}`);
    return code;
  };
  const webRedeem = (code: string, extra: Record<string, string> = {}, headers: Record<string, string> = {}) =>
    postToken(
      emu,
      {
        client_id: emu.clientId,
        client_secret: emu.clientSecret,
        grant_type: 'authorization_code',
        code,
        redirect_uri: WEB_REDIRECT,
        scope: SCOPE,
        ...extra,
      },
      headers,
    );

  /** A spa_code for `clientId`, from an unmodified msal-node hybrid redemption. */
  async function spaCode(clientId = emu.clientId, redirectUri = WEB_REDIRECT): Promise<string> {
    const cca = new ConfidentialClientApplication({
      auth: {
        clientId,
        authority: emu.urls.authority,
        clientSecret: emu.clientSecret,
        knownAuthorities: [new URL(emu.urls.instance).host],
      },
    });
    const code = await codeFor({ redirect_uri: redirectUri }, clientId);
    return (
      await cca.acquireTokenByCode({ code, scopes: ['User.Read'], redirectUri, enableSpaAuthorizationCode: true })
    ).code!;
  }
  const spaRedeem = (code: string, origin: string, clientId = emu.clientId) =>
    postToken(
      emu,
      { client_id: clientId, grant_type: 'authorization_code', code, scope: SCOPE, client_info: '1' },
      { origin },
    );

  describe('redirect_uri at /token', () => {
    it('answers AADSTS50011 (invalid_request) for an unregistered URI and 500112 (invalid_grant) for another registered one (generated)', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.webUrl({ withQueryParameters: false, withFragments: false }).map((uri) => ({ uri, registered: false })),
            fc
              .constantFrom('http://localhost:3000/auth/other', 'https://localhost:3000/auth/callback')
              .map((uri) => ({ uri, registered: false })),
            fc.constantFrom(SPA_REDIRECT, 'http://localhost:3000/').map((uri) => ({ uri, registered: true })),
          ),
          async ({ uri, registered }) => {
            const res = await webRedeem(await codeFor({ redirect_uri: WEB_REDIRECT }), { redirect_uri: uri });
            expect(res.status).to.equal(400);
            expect(res.body).to.include({ error: registered ? 'invalid_grant' : 'invalid_request' });
            expect(res.body.error_codes).to.deep.equal([registered ? 500112 : 50011]);
            expect(String(res.body.error_description)).to.include(`'${uri}'`);
          },
        ),
        { numRuns: 12 },
      );
    });
  });

  describe('PKCE', () => {
    it('answers a missing code_verifier with invalid_grant (501481), for web and SPA codes alike', async () => {
      const { challenge } = await new CryptoProvider().generatePkceCodes();
      const pkce = { code_challenge: challenge, code_challenge_method: 'S256' };
      const web = await webRedeem(await codeFor({ redirect_uri: WEB_REDIRECT, ...pkce }));
      expect(web.body).to.include({ error: 'invalid_grant' });
      expect(web.body.error_codes).to.deep.equal([501481]);
      const spa = await postToken(
        emu,
        {
          client_id: emu.clientId,
          grant_type: 'authorization_code',
          code: await codeFor({ redirect_uri: SPA_REDIRECT, ...pkce }),
          redirect_uri: SPA_REDIRECT,
          scope: SCOPE,
        },
        { origin: 'http://localhost:51234' },
      );
      expect(spa.body).to.include({ error: 'invalid_grant' });
      expect(spa.body.error_codes).to.deep.equal([501481]);
    });
  });

  describe('Origin', () => {
    const origins = fc.oneof(
      fc.webUrl({ withQueryParameters: false, withFragments: false }).map((u) => new URL(u).origin),
      fc.integer({ min: 1, max: 65535 }).map((p) => `http://localhost:${p}`),
    );

    it('names the request origin in AADSTS9002326 for web codes and web refresh tokens (generated)', async () => {
      const web = await webRedeem(await codeFor({ redirect_uri: WEB_REDIRECT }));
      const rt = String(web.body.refresh_token);
      await fc.assert(
        fc.asyncProperty(origins, async (origin) => {
          const res = await webRedeem(await codeFor({ redirect_uri: WEB_REDIRECT }), {}, { origin });
          expect(res.body.error_codes).to.deep.equal([9002326]);
          expect(String(res.body.error_description))
            .to.include(`Request origin: '${origin}'`)
            .and.not.include("'emulator'");
          const refresh = await postToken(
            emu,
            {
              client_id: emu.clientId,
              client_secret: emu.clientSecret,
              grant_type: 'refresh_token',
              refresh_token: rt,
              scope: SCOPE,
            },
            { origin },
          );
          expect(String(refresh.body.error_description)).to.include(`Request origin: '${origin}'`);
        }),
        { numRuns: 8 },
      );
    });

    it('accepts a spa_code only from an origin of the app’s SPA redirect URIs (http loopback: any port, localhost ≡ 127.0.0.1)', async () => {
      const cases: [string, boolean][] = [
        ['http://localhost:51234', true],
        ['http://localhost:3000', true],
        ['http://127.0.0.1:4000', true],
        ['https://localhost:3000', false],
        ['http://localhost.evil.example:3000', false],
        ['https://evil.example', false],
        ['null', false],
      ];
      for (const [origin, ok] of cases) {
        const res = await spaRedeem(await spaCode(), origin);
        expect(res.status, `${origin}: ${JSON.stringify(res.body.error_description)}`).to.equal(ok ? 200 : 400);
        if (!ok) {
          expect(res.body.error_codes, origin).to.deep.equal([90023]);
          expect(String(res.body.error_description)).to.include(`origin '${origin}'`);
        }
      }
    });

    it('matches a non-loopback SPA origin exactly: scheme, host and port (generated, spa_code and SPA refresh token)', async () => {
      const first = await spaRedeem(
        await spaCode(FOREIGN.clientId, 'https://spa.example/signin'),
        'https://spa.example',
        FOREIGN.clientId,
      );
      expect(first.status, JSON.stringify(first.body)).to.equal(200);
      const rt = String(first.body.refresh_token);
      const refresh = (origin: string) =>
        postToken(
          emu,
          { client_id: FOREIGN.clientId, grant_type: 'refresh_token', refresh_token: rt, scope: SCOPE },
          { origin },
        );
      expect((await refresh('https://spa.example')).status).to.equal(200);
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            origins,
            fc.constantFrom(
              'http://spa.example',
              'https://spa.example:8443',
              'https://app.spa.example',
              'https://spa.example.evil',
            ),
          ),
          async (origin) => {
            fc.pre(origin !== 'https://spa.example');
            const res = await refresh(origin);
            expect(res.body.error_codes, origin).to.deep.equal([90023]);
          },
        ),
        { numRuns: 25 },
      );
      const code = await spaCode(FOREIGN.clientId, 'https://spa.example/signin');
      expect((await spaRedeem(code, 'http://localhost:3000', FOREIGN.clientId)).body.error_codes).to.deep.equal([
        90023,
      ]);
    });
  });

  describe('pages', () => {
    const pages = async (): Promise<Record<string, string>> => {
      const browser = new Browser();
      const signIn = await (await browser.request(authorizeUrl({ redirect_uri: WEB_REDIRECT }))).text();
      emu.admin.revokeConsent('adele', emu.clientId, ['Mail.Read']);
      const consent = await authorize(
        new Browser(),
        authorizeUrl({ redirect_uri: WEB_REDIRECT, scope: 'openid Mail.Read' }),
        'adele.vance@contoso.example',
      );
      emu.admin.grantConsent('adele', emu.clientId, ['Mail.Read']);
      const error = await (await browser.request(authorizeUrl({ redirect_uri: 'https://evil.example/cb' }))).text();
      await authorize(browser, authorizeUrl({ redirect_uri: WEB_REDIRECT }), 'adele.vance@contoso.example');
      const logout = await (await browser.request(`${emu.urls.authority}/oauth2/v2.0/logout`)).text();
      const index = await (await fetch(`${emu.urls.instance}/`)).text();
      const formPost = await authorize(
        browser,
        authorizeUrl({ redirect_uri: WEB_REDIRECT, response_mode: 'form_post' }),
      );
      return { signIn, consent: consent.page ?? '', error, logout, index, formPost: formPost.page ?? '' };
    };

    it('give every page one main landmark and one h1, and no role=heading without aria-level', async () => {
      for (const [name, html] of Object.entries(await pages())) {
        expect(html, name).to.match(/<main[\s>]/);
        expect(html.match(/<main[\s>]/g), `${name}: main landmarks`).to.have.length(1);
        expect(html.match(/<h1[\s>]/g), `${name}: h1 elements`).to.have.length(1);
        for (const el of html.match(/<[^>]*role="?heading"?[^>]*>/g) ?? []) expect(el, name).to.match(/aria-level=/);
      }
    });

    it('keep the stable ids (#tile-<user>, #consentForm) and wrap the footer only between words (no break-all)', async () => {
      const { signIn, consent } = await pages();
      for (const key of ['adele', 'alex', 'bobby', 'gina', 'pat']) expect(signIn).to.include(`id="tile-${key}"`);
      expect(consent).to.include('id="consentForm"');
      expect(signIn).not.to.include('break-all');
      expect(signIn).to.match(/\.small\{[^}]*overflow-wrap:anywhere/);
    });
  });
});
