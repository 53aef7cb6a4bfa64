// Unmodified @azure/msal-node against the running emulator: hybrid code flow, refresh, client credentials, errors.
import { createPrivateKey } from 'node:crypto';
import {
  ConfidentialClientApplication,
  CryptoProvider,
  InteractionRequiredAuthError,
  ServerError,
} from '@azure/msal-node';
import { expect } from 'chai';
import { decodeJwt } from 'jose';
import type { RunningEmulator } from '../../emulator/index';
import { Browser, WEB_REDIRECT, authorize, startTestEmulator } from './helpers';

describe('emulator with msal-node', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startTestEmulator();
  });
  after(async () => emu?.close());
  afterEach(() => emu.admin.reset());

  const cca = (
    credential: { clientSecret?: string; clientCertificate?: { thumbprintSha256: string; privateKey: string } } = {},
  ) =>
    new ConfidentialClientApplication({
      auth: {
        clientId: emu.clientId,
        authority: emu.urls.authority,
        knownAuthorities: [new URL(emu.urls.instance).host],
        ...(credential.clientCertificate ? credential : { clientSecret: credential.clientSecret ?? emu.clientSecret }),
      },
    });

  /** getAuthCodeUrl → sign-in page → code, the way the BFF's browser round trip works. */
  async function signIn(
    app: ConfidentialClientApplication,
    user: string,
    opts: { nonce?: string; scopes?: string[] } = {},
  ) {
    const pkce = await new CryptoProvider().generatePkceCodes();
    const scopes = opts.scopes ?? ['User.Read', 'Contacts.Read'];
    const url = await app.getAuthCodeUrl({
      scopes,
      redirectUri: WEB_REDIRECT,
      codeChallenge: pkce.challenge,
      codeChallengeMethod: 'S256',
      state: 'state-1',
      ...(opts.nonce ? { nonce: opts.nonce } : {}),
    });
    const out = await authorize(new Browser(), url, user);
    expect(out.params?.get('code'), out.page?.slice(0, 500)).to.be.a('string');
    expect(out.params!.get('state')).to.equal('state-1');
    return {
      code: out.params!.get('code')!,
      clientInfo: out.params!.get('client_info')!,
      verifier: pkce.verifier,
      scopes,
    };
  }

  const redeem = (app: ConfidentialClientApplication, s: Awaited<ReturnType<typeof signIn>>, nonce?: string) =>
    app.acquireTokenByCode(
      {
        code: s.code,
        scopes: s.scopes,
        redirectUri: WEB_REDIRECT,
        codeVerifier: s.verifier,
        enableSpaAuthorizationCode: true,
        state: 'state-1',
        ...(nonce ? { nonce } : {}),
      },
      { code: s.code, state: 'state-1', client_info: s.clientInfo, ...(nonce ? { nonce } : {}) },
    );

  it('redeems a web code with PKCE and nonce, returning tokens, client_info-based account and a spa_code', async () => {
    const app = cca();
    const s = await signIn(app, 'adele.vance@contoso.example', { nonce: 'nonce-123' });
    const result = await redeem(app, s, 'nonce-123');
    expect(result.code, 'spa_code').to.be.a('string').and.not.empty;
    expect(result.account?.username).to.equal('adele.vance@contoso.example');
    expect(result.account?.homeAccountId).to.equal(`1a5e0c3b-7d24-4f6e-9b81-3c5d7e9f1a01.${emu.tenantId}`);
    expect(result.scopes).to.include.members(['User.Read', 'Contacts.Read']);
    const claims = result.idTokenClaims as Record<string, unknown>;
    expect(claims).to.include({ nonce: 'nonce-123', tid: emu.tenantId, name: 'Adele Vance' });
    expect(claims.sid).to.be.a('string');
    expect(claims.login_hint).to.be.a('string');
    const at = decodeJwt(result.accessToken);
    expect(at).to.include({ aud: '00000003-0000-0000-c000-000000000000', scp: 'User.Read Contacts.Read', ver: '1.0' });
  });

  it('puts no nonce in the id_token when the authorize request had none', async () => {
    const app = cca();
    const s = await signIn(app, 'alex.wilber@contoso.example');
    const result = await redeem(app, s);
    expect(result.idTokenClaims).not.to.have.property('nonce');
  });

  it('issues no spa_code for a personal Microsoft account, like Entra', async () => {
    const app = cca();
    const s = await signIn(app, 'pat@outlook.example');
    const result = await redeem(app, s);
    expect(result.code).to.equal(undefined);
    expect(result.accessToken).to.be.a('string');
    // Personal account as guest: tokens for the resource tenant, client_info for the consumers home tenant.
    expect(result.account?.homeAccountId).to.equal(
      '00000000-0000-0000-6a1b-2c3d4e5f6a06.9188040d-6c67-4c5b-b112-36a304b66dad',
    );
    expect(result.account?.tenantId).to.equal(emu.tenantId);
  });

  it('gives a guest client_info of the home tenant and a tid of the resource tenant', async () => {
    const app = cca();
    const result = await redeem(app, await signIn(app, 'gina@fabrikam.example'));
    expect(result.account?.homeAccountId).to.equal(
      '4d8b3f6e-a057-4c9b-8e14-6f8a0b2c4d04.c4a1e7d2-5b3f-4e6a-8d9c-0f2b4a6c8e13',
    );
    expect((result.idTokenClaims as { tid: string }).tid).to.equal(emu.tenantId);
  });

  it('refreshes silently with forceRefresh and rotates the refresh token', async () => {
    const app = cca();
    const first = await redeem(app, await signIn(app, 'adele.vance@contoso.example'));
    const refreshed = await app.acquireTokenSilent({
      account: first.account!,
      scopes: ['User.Read'],
      forceRefresh: true,
    });
    expect(refreshed.accessToken).to.not.equal(first.accessToken);
    const refreshCalls = emu.admin.requests({ service: 'entra' }).filter((r) => r.form?.grant_type === 'refresh_token');
    expect(refreshCalls).to.have.length(1);
    expect(refreshCalls[0]!.form!.refresh_token).to.equal('[redacted]');
    expect(refreshCalls[0]!.flags).to.include({ hasClientSecret: true, hasOrigin: false });
  });

  it('rejects a replayed code with invalid_grant 54005 (not interaction required)', async () => {
    const app = cca();
    const s = await signIn(app, 'adele.vance@contoso.example');
    await redeem(app, s);
    const err = await redeem(cca(), s).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(ServerError).and.not.instanceOf(InteractionRequiredAuthError);
    expect(err).to.include({ errorCode: 'invalid_grant', errorNo: 54005 });
  });

  it('maps an unconsented scope on refresh to InteractionRequiredAuthError (consent_required, 65001)', async () => {
    const app = cca();
    const first = await redeem(app, await signIn(app, 'adele.vance@contoso.example'));
    const err = await app
      .acquireTokenSilent({ account: first.account!, scopes: ['Mail.Send'], forceRefresh: true })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).to.be.instanceOf(InteractionRequiredAuthError);
    expect(err).to.include({ errorCode: 'invalid_grant', subError: 'consent_required', errorNo: 65001 });
  });

  it('acquires an app-only token with client credentials', async () => {
    const result = await cca().acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
    const claims = decodeJwt(result!.accessToken);
    expect(claims).to.include({ idtyp: 'app', appid: emu.clientId, aud: '00000003-0000-0000-c000-000000000000' });
    expect(claims).not.to.have.property('scp');
  });

  it('rejects a wrong client secret with invalid_client 7000215', async () => {
    const err = await cca({ clientSecret: 'wrong' })
      .acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).to.include({ errorCode: 'invalid_client', errorNo: 7000215 });
  });

  it('accepts a client assertion signed with the registered certificate (PS256, x5t#S256)', async () => {
    const app = cca({
      clientCertificate: {
        thumbprintSha256: emu.certificates.clientThumbprintSha256,
        privateKey: emu.certificates.clientKeyPem,
      },
    });
    const s = await signIn(app, 'adele.vance@contoso.example');
    const result = await redeem(app, s);
    expect(result.code).to.be.a('string');
    const tokenCall = emu.admin.requests({ service: 'entra', pathIncludes: '/token' }).at(-1)!;
    expect(tokenCall.flags).to.include({ hasClientAssertion: true, hasClientSecret: false });
    expect(tokenCall.form!.client_assertion).to.equal('[redacted]');
  });

  it('rejects a client assertion signed by an unregistered key', async () => {
    const { privateKey } = await import('node:crypto').then((c) =>
      c.generateKeyPairSync('rsa', { modulusLength: 2048 }),
    );
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const wrongKey = cca({
      clientCertificate: { thumbprintSha256: emu.certificates.clientThumbprintSha256, privateKey: pem },
    });
    const err = await wrongKey
      .acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).to.include({ errorCode: 'invalid_client', errorNo: 700027 });
    const unknownThumb = cca({
      clientCertificate: { thumbprintSha256: 'ab'.repeat(32), privateKey: emu.certificates.clientKeyPem },
    });
    const err2 = await unknownThumb
      .acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err2).to.include({ errorCode: 'invalid_client', errorNo: 700027 });
    expect(createPrivateKey(emu.certificates.clientKeyPem).type).to.equal('private');
  });
});
