// Enterprise identity in the emulator: app roles in ID tokens, CAE (xms_cc cp1, revoke sessions, disable user) and
// Key Vault certificates with their private key as the secret of the same name.
import { expect } from 'chai';
import { X509Certificate } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { RunningEmulator } from '../../emulator/index';
import { Browser, WEB_REDIRECT, authorize, postToken, startTestEmulator } from './helpers';

const SCOPE = 'openid profile offline_access User.Read Mail.Read';
const CP1 = JSON.stringify({ access_token: { xms_cc: { values: ['cp1'] } } });

describe('emulator: app roles, CAE and Key Vault certificates', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startTestEmulator();
  });
  after(async () => emu?.close());
  afterEach(() => emu.admin.reset());

  /** Signs `user` in (web redirect) and redeems the code, declaring cp1 unless told otherwise. */
  async function tokens(user: string, options: { cp1?: boolean } = {}) {
    const q = new URLSearchParams({
      client_id: emu.clientId,
      redirect_uri: WEB_REDIRECT,
      response_type: 'code',
      scope: SCOPE,
    });
    const out = await authorize(new Browser(), `${emu.urls.authority}/oauth2/v2.0/authorize?${q}`, user, 'accept');
    const code = out.params?.get('code');
    if (!code) return { status: 0, body: { page: out.page ?? '' } as Record<string, unknown> };
    return postToken(emu, {
      client_id: emu.clientId,
      client_secret: emu.clientSecret,
      grant_type: 'authorization_code',
      code,
      redirect_uri: WEB_REDIRECT,
      scope: SCOPE,
      ...(options.cp1 === false ? {} : { claims: CP1 }),
    });
  }
  const refresh = (refreshToken: unknown, cp1 = true) =>
    postToken(emu, {
      client_id: emu.clientId,
      client_secret: emu.clientSecret,
      grant_type: 'refresh_token',
      refresh_token: String(refreshToken),
      scope: SCOPE,
      ...(cp1 ? { claims: CP1 } : {}),
    });
  const graphMe = (accessToken: unknown) =>
    fetch(`${emu.urls.graph}/me`, { headers: { authorization: `Bearer ${String(accessToken)}` } });
  const rolesIn = (body: Record<string, unknown>) => decodeJwt(String(body.id_token)).roles;

  describe('app roles', () => {
    it('puts `roles` in the ID token for direct (adele) and group (alex) assignments, and omits it for gina, pat and bobby', async () => {
      expect(rolesIn((await tokens('adele.vance@contoso.example')).body)).to.deep.equal(['Secrets.Read']);
      // Alex holds Mail.Admin through the "Mail admins" group, and not Secrets.Read.
      expect(rolesIn((await tokens('alex.wilber@contoso.example')).body)).to.deep.equal(['Mail.Admin']);
      for (const user of ['gina@fabrikam.example', 'pat@outlook.example', 'bobby@contoso.example']) {
        expect(decodeJwt(String((await tokens(user)).body.id_token)), user).to.not.have.property('roles');
      }
      expect(emu.seed.apps[0]!.appRoles.map((r) => r.value)).to.deep.equal(['Secrets.Read', 'Mail.Admin']);
    });

    it('a removed role (direct or through a group) is gone from the next sign-in; assigning it again brings it back', async () => {
      emu.admin.removeAppRole('adele', 'Secrets.Read');
      emu.admin.removeAppRole('alex', 'Mail.Admin');
      expect(decodeJwt(String((await tokens('adele.vance@contoso.example')).body.id_token))).to.not.have.property(
        'roles',
      );
      expect(decodeJwt(String((await tokens('alex.wilber@contoso.example')).body.id_token))).to.not.have.property(
        'roles',
      );
      const res = await fetch(`${emu.urls.instance}/_emulator/roles`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'gina', role: 'Secrets.Read', action: 'assign' }),
      });
      expect(res.status).to.equal(204);
      expect(rolesIn((await tokens('gina@fabrikam.example')).body)).to.deep.equal(['Secrets.Read']);
      expect(() => emu.admin.assignAppRole('adele', 'No.Such.Role')).to.throw(/defines no app role/);
    });
  });

  describe('CAE', () => {
    it('a cp1 client gets a longer-lived token with xms_cc; a client without cp1 gets neither', async () => {
      const cae = (await tokens('adele.vance@contoso.example', { cp1: true })).body;
      expect(decodeJwt(String(cae.access_token)).xms_cc).to.deep.equal(['cp1']);
      expect(cae.expires_in).to.equal(86_399);
      const plain = (await tokens('adele.vance@contoso.example', { cp1: false })).body;
      expect(decodeJwt(String(plain.access_token))).to.not.have.property('xms_cc');
      expect(plain.expires_in).to.equal(3599);
    });

    it('revoke sessions: Graph answers the real claims challenge to CAE tokens, /token refuses old refresh tokens (50173) until a new sign-in', async () => {
      const cae = (await tokens('adele.vance@contoso.example')).body;
      const plain = (await tokens('adele.vance@contoso.example', { cp1: false })).body;
      expect((await graphMe(cae.access_token)).status).to.equal(200);
      emu.admin.advance(2_000);
      const revoked = await fetch(`${emu.urls.instance}/_emulator/users/adele/revokeSessions`, { method: 'POST' });
      expect(((await revoked.json()) as { revoked: number }).revoked).to.be.greaterThan(0);

      const challenged = await graphMe(cae.access_token);
      expect(challenged.status).to.equal(401);
      const header = challenged.headers.get('www-authenticate')!;
      expect(header).to.match(
        /^Bearer realm="", authorization_uri="[^"]+", client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", claims="[A-Za-z0-9+/=]+"$/,
      );
      const claims = JSON.parse(Buffer.from(/claims="([^"]+)"/.exec(header)![1]!, 'base64').toString()) as {
        access_token: { nbf: { essential: boolean; value: string } };
      };
      expect(claims.access_token.nbf.essential).to.equal(true);
      expect(Number(claims.access_token.nbf.value)).to.equal(Math.floor(emu.admin.now() / 1000));
      expect(((await challenged.json()) as { error: { code: string; message: string } }).error).to.include({
        code: 'InvalidAuthenticationToken',
      });
      // A token without cp1 stays valid until it expires: the reason clients declare cp1.
      expect((await graphMe(plain.access_token)).status).to.equal(200);

      const refused = await refresh(cae.refresh_token);
      expect(refused.status).to.equal(400);
      expect(refused.body).to.include({ error: 'invalid_grant' });
      expect(refused.body.error_codes).to.deep.equal([50173]);

      // Signing in again (the emulator session ended too, so the sign-in page is shown) gives tokens Graph accepts.
      const again = (await tokens('adele.vance@contoso.example')).body;
      expect((await graphMe(again.access_token)).status).to.equal(200);
      expect((await refresh(again.refresh_token)).status).to.equal(200);
    });

    it('disable user: Graph challenges, refresh gets AADSTS50057, sign-in is refused; enabling restores sign-in', async () => {
      const cae = (await tokens('adele.vance@contoso.example')).body;
      await fetch(`${emu.urls.instance}/_emulator/users/adele/disable`, { method: 'POST' });
      expect((await graphMe(cae.access_token)).status).to.equal(401);
      const refused = await refresh(cae.refresh_token);
      expect(refused.body.error_codes).to.deep.equal([50057]);
      const blocked = await tokens('adele.vance@contoso.example');
      expect(String(blocked.body.page)).to.include('AADSTS50057');
      emu.admin.enableUser('adele');
      expect((await tokens('adele.vance@contoso.example')).status).to.equal(200);
    });
  });

  describe('Key Vault certificates', () => {
    const vaultToken = async () => {
      const q = new URLSearchParams({ 'api-version': '2019-08-01', resource: 'https://vault.azure.net' });
      const res = await fetch(`${emu.urls.identityEndpoint}?${q}`, {
        headers: { 'X-IDENTITY-HEADER': emu.identityHeader },
      });
      return ((await res.json()) as { access_token: string }).access_token;
    };
    const kvGet = async (path: string) => {
      const res = await fetch(`${emu.urls.keyVault}${path}?api-version=7.5`, {
        headers: { authorization: `Bearer ${await vaultToken()}` },
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };

    it('serves the certificate (cer, x5t, kid/sid) and its key + certificate as the secret; rotation adds a version', async () => {
      const cert = await kvGet('/certificates/bff-client-cert');
      expect(cert.status).to.equal(200);
      const sid = String(cert.body.sid);
      expect(sid).to.match(new RegExp(`^${emu.urls.keyVault}/secrets/bff-client-cert/[0-9a-f]{32}$`));
      expect(String(cert.body.kid)).to.match(/\/keys\/bff-client-cert\/[0-9a-f]{32}$/);
      const x509 = new X509Certificate(Buffer.from(String(cert.body.cer), 'base64'));
      expect(x509.fingerprint256.replace(/:/g, '').toLowerCase()).to.equal(emu.certificates.clientThumbprintSha256);

      const secret = await kvGet(new URL(sid).pathname);
      expect(secret.body).to.include({ contentType: 'application/x-pem-file', managed: true, id: sid });
      expect(String(secret.body.value)).to.match(/-----BEGIN PRIVATE KEY-----[\s\S]+-----BEGIN CERTIFICATE-----/);

      const version = await emu.admin.rotateCertificate('bff-client-cert');
      const rotated = await kvGet('/certificates/bff-client-cert');
      expect(String(rotated.body.sid)).to.equal(`${emu.urls.keyVault}/secrets/bff-client-cert/${version}`);
      expect(rotated.body.cer).to.not.equal(cert.body.cer);
      // The old version stays readable by its id.
      expect((await kvGet(new URL(sid).pathname)).status).to.equal(200);
    });

    it('a missing certificate is 404 CertificateNotFound', async () => {
      const missing = await kvGet('/certificates/no-such-cert');
      expect(missing.status).to.equal(404);
      expect(missing.body).to.have.nested.property('error.code', 'CertificateNotFound');
    });
  });
});
