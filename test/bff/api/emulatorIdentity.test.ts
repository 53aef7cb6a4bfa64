// Enterprise identity end to end against the emulator: app roles on /api/secret, CAE revocation of the BFF's Graph
// tokens (claims re-authentication, disabled account) and the client certificate read from Key Vault.
// Needs NODE_EXTRA_CA_CERTS for the emulator's CA: run through `tsx scripts/withEmulatorCa.ts mocha`.
import { expect } from 'chai';
import { Browser } from '../../emulator/helpers';
import { useEmulatorForApi, type Agent } from './emulatorFixture';

const ADELE = 'adele.vance@contoso.example';
const GINA = 'gina@fabrikam.example';

describe('enterprise identity against the emulator', () => {
  const fixture = useEmulatorForApi();
  const { app, completeSignIn } = fixture;
  const signIn = (agent: Agent, browser: Browser, user: string, path = '/auth/signin?returnTo=/mail') =>
    fixture.signInVia(agent, browser, path, user);

  describe('app roles', () => {
    it('adele (Secrets.Read) reads the secret; gina (guest, no role) gets 403 forbidden with the role named', async () => {
      const a = app();
      const adele = a.agent();
      await signIn(adele, new Browser(), ADELE);
      await adele.get('/api/secret').set('X-CSRF', '1').expect(200);

      const gina = a.agent();
      await signIn(gina, new Browser(), GINA);
      const res = await gina.get('/api/secret').set('X-CSRF', '1').expect(403);
      expect(res.body).to.deep.equal({
        error: 'forbidden',
        message: 'Your account lacks the Secrets.Read role. Ask an administrator to assign it.',
        role: 'Secrets.Read',
      });
      expect(fixture.emu.admin.requests({ service: 'keyvault' })).to.have.length(1);
    });

    it('a role removed at the emulator: the current session keeps it until a fresh sign-in, which is forbidden', async () => {
      const agent = app().agent();
      const browser = new Browser();
      await signIn(agent, browser, ADELE);
      fixture.emu.admin.removeAppRole('adele', 'Secrets.Read');
      await agent.get('/api/secret').set('X-CSRF', '1').expect(200);
      await signIn(agent, browser, ADELE, '/auth/signin?prompt=login');
      const res = await agent.get('/api/secret').set('X-CSRF', '1').expect(403);
      expect(res.body.error).to.equal('forbidden');
    });
  });

  describe('CAE (the BFF declares cp1)', () => {
    it('revoked sessions: Graph challenges, the BFF answers a claims sign-in URL, and signing in again reads mail (no loop)', async () => {
      const agent = app().agent();
      const browser = new Browser();
      await signIn(agent, browser, ADELE);
      await agent.get('/api/mail').set('X-CSRF', '1').expect(200);
      const bffToken = fixture.emu.admin.requests({ service: 'entra', pathIncludes: '/token' }).at(-1)!;
      expect(JSON.parse(String(bffToken.form?.claims)).access_token.xms_cc).to.deep.equal({ values: ['cp1'] });

      fixture.emu.admin.advance(2_000);
      fixture.emu.admin.revokeSessions('adele');
      const res = await agent.get('/api/mail').set('X-CSRF', '1').expect(401);
      expect(res.body).to.include({ error: 'login_required', reason: 'claims_challenge' });
      const signInUrl = res.body.signInUrl as string;
      expect(signInUrl).to.match(/^\/auth\/consent\?scopes=Mail\.Read&claims=.+&returnTo=\/mail$/);

      // The emulator session ended with the revocation: the sign-in page is shown again; the claims reach /authorize.
      const start = await agent.get(signInUrl).expect(302);
      expect(
        JSON.parse(new URL(start.headers.location as string).searchParams.get('claims')!).access_token.nbf.essential,
      ).to.equal(true);
      const back = await completeSignIn(agent, browser, start.headers.location as string, ADELE);
      expect(back).to.equal('/mail');
      const mail = await agent.get('/api/mail').set('X-CSRF', '1').expect(200);
      expect(mail.body.messages).to.have.length(10);
      const graph = fixture.emu.admin.requests({ service: 'graph', pathIncludes: '/me/messages' }).map((r) => r.status);
      expect(graph).to.deep.equal([200, 401, 200]);
    });

    it('a disabled account: 401 saying so (reason account_disabled), no claims round trip', async () => {
      const agent = app().agent();
      await signIn(agent, new Browser(), ADELE);
      fixture.emu.admin.disableUser('adele');
      const res = await agent.get('/api/mail').set('X-CSRF', '1').expect(401);
      expect(res.body).to.include({ error: 'login_required', reason: 'account_disabled', signInUrl: '/auth/signin' });
    });
  });

  describe('client certificate from Key Vault', () => {
    it('signs in with the vault certificate (read with the managed identity) and uses a rotated one after the re-read', async () => {
      const a = app({ ENTRA_CLIENT_CERTIFICATE_NAME: 'bff-client-cert' });
      const first = await a.services.clientCredential.get();
      expect(first).to.have.nested.property(
        'clientCertificate.thumbprintSha256',
        fixture.emu.certificates.clientThumbprintSha256,
      );
      const agent = a.agent();
      await signIn(agent, new Browser(), ADELE);
      await agent.get('/api/mail').set('X-CSRF', '1').expect(200);
      const redemption = fixture.emu.admin.requests({ service: 'entra', pathIncludes: '/token' }).at(-1)!;
      expect(redemption.form).to.have.property('client_assertion_type');
      expect(redemption.form).to.not.have.property('client_secret');

      await fixture.emu.admin.rotateCertificate('bff-client-cert');
      expect(await a.services.clientCredential.refresh()).to.equal(true);
      const next = await a.services.clientCredential.get();
      expect(next).to.not.have.nested.property(
        'clientCertificate.thumbprintSha256',
        fixture.emu.certificates.clientThumbprintSha256,
      );
      // A new sign-in signs its assertion with the rotated certificate, which the app registration now holds.
      await signIn(a.agent(), new Browser(), ADELE);
      a.services.clientCredential.close();
    });
  });
});
