// Authorization round trips that end without success, personal accounts, and an unreachable identity provider.
import { expect } from 'chai';
import fc from 'fast-check';
import nock from 'nock';
import { withNotice } from '../../bff/auth/authorize';
import { parseAuthNotice, withoutAuthNotice } from '../../client/features/session/authNotice';
import { AUTH_NOTICE_CODES } from '../../shared-types/bootstrap';
import { ALICE, INSTANCE, METADATA_PATH, openIdConfiguration } from '../helpers/entraFixtures';
import { buildTestApp, getBootstrap, mockMetadata, signIn, startSignIn } from '../helpers/testApp';

const DECLINED = encodeURIComponent('AADSTS65004: User declined to consent to access the app.');
const CANCELLED = encodeURIComponent('AADSTS90092: The user canceled the sign-in.');

describe('authorization round trips that end without success', () => {
  describe('with metadata', () => {
    beforeEach(() => mockMetadata());

    it('consent declined (access_denied on a consent round trip) returns to the asking page with a notice; still signed in', async () => {
      const { agent } = buildTestApp();
      const a = agent();
      await signIn(a, ALICE);
      const consent = await a.get('/auth/consent?scopes=Mail.Send&returnTo=/mail/send').expect(302);
      const state = new URL(consent.headers.location as string).searchParams.get('state')!;
      const back = await a
        .get(`/auth/callback?state=${state}&error=access_denied&error_description=${DECLINED}`)
        .set('Accept', 'text/html')
        .expect(302);
      expect(back.headers.location).to.equal('/mail/send?authNotice=consent_declined&authNoticeScopes=Mail.Send');
      await a.get('/api/me').set('X-CSRF', '1').expect(200);
      expect((await getBootstrap(a)).account?.username).to.equal(ALICE.username);
    });

    it('sign-in cancelled returns to the signed-out home with a notice, not an error page', async () => {
      const { agent } = buildTestApp();
      const a = agent();
      const { state } = await startSignIn(a, '/auth/signin?returnTo=/profile');
      const back = await a
        .get(`/auth/callback?state=${state}&error=access_denied&error_description=${CANCELLED}`)
        .set('Accept', 'text/html')
        .expect(302);
      expect(back.headers.location).to.equal('/?authNotice=signin_cancelled');
      await a.get('/api/me').set('X-CSRF', '1').expect(401);
    });

    it('a sign-in without a spa code (personal account) marks every bootstrap of the session spaCodeUnavailable', async () => {
      const { agent } = buildTestApp();
      const personal = agent();
      await signIn(personal, ALICE, { spaCode: null });
      for (let i = 0; i < 3; i++) {
        const b = await getBootstrap(personal);
        expect(b).to.include({ spaCode: null, spaCodeError: null, spaCodeUnavailable: true });
      }
      const work = agent();
      await signIn(work, ALICE);
      expect(await getBootstrap(work)).to.include({ spaCodeUnavailable: false });
      expect((await getBootstrap(agent())).spaCodeUnavailable, 'anonymous').to.equal(false);
    });

    it('the bootstrap carries the session-following settings and the expiry of this page load', async () => {
      const { agent, services } = buildTestApp();
      const a = agent();
      expect((await getBootstrap(a)).session).to.deep.equal({
        ...services.config.session.spa,
        idleExpiresInSeconds: null,
        absoluteExpiresInSeconds: null,
      });
      await signIn(a, ALICE);
      const { session } = await getBootstrap(a);
      expect(session.idleExpiresInSeconds).to.be.within(3600 - 5, 3600);
      expect(session.absoluteExpiresInSeconds).to.be.within(12 * 3600 - 5, 12 * 3600);
    });
  });

  describe('identity provider unreachable', () => {
    const down = () =>
      nock(INSTANCE).get(METADATA_PATH).replyWithError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' });

    it("sign-in shows the app's error page with Retry instead of redirecting to a host that does not answer", async () => {
      const { agent } = buildTestApp();
      down();
      const res = await agent().get('/auth/signin?returnTo=/profile').set('Accept', 'text/html').expect(503);
      expect(res.headers.location).to.equal(undefined);
      expect(res.text).to.contain('cannot be reached');
      expect(res.text).to.match(/<a href="\/auth\/signin\?returnTo=\/profile" data-testid="error-retry">Retry<\/a>/);
      // Retry once it is back: the redirect happens.
      nock(INSTANCE).get(METADATA_PATH).reply(200, openIdConfiguration);
      await startSignIn(agent(), '/auth/signin?returnTo=/profile');
    });

    it('sign-out still ends the local session and its tokens, then explains, with a Retry that reaches the IdP sign-out', async () => {
      // The identity provider goes away after sign-in (its metadata stays cached; the reachability check fails).
      let reachable = true;
      const { agent, services } = buildTestApp({
        adjustServices: (s) => ({
          ...s,
          authorityMetadata: {
            get: () => s.authorityMetadata.get(),
            ensureReachable: async () => {
              if (!reachable) throw new Error('connect ECONNREFUSED');
            },
          },
        }),
      });
      const a = agent();
      mockMetadata();
      await signIn(a, ALICE);
      const { routes } = await getBootstrap(a);
      reachable = false;
      const res = await a.get(routes.signOut!).set('Accept', 'text/html').expect(503);
      expect(res.text).to.contain('You are signed out of this app');
      expect(res.text).to.contain('href="/auth/end-session"');
      expect(res.text).not.to.contain('Sign in again');
      await a.get('/api/me').set('X-CSRF', '1').expect(401);
      expect(await services.stores.tokenCache.get(`${ALICE.oid}.${ALICE.tid}`)).to.equal(null);
      await a.get('/auth/end-session').set('Accept', 'text/html').expect(503);
      reachable = true;
      const retried = await a.get('/auth/end-session').expect(302);
      expect(retried.headers.location).to.match(/\/oauth2\/v2\.0\/logout\?post_logout_redirect_uri=/);
    });
  });

  describe('notice query parameters (shared by the BFF and the SPA)', () => {
    it('withNotice keeps the page and its query; the SPA reads exactly the code and scopes, and strips them', () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...AUTH_NOTICE_CODES),
          fc.array(fc.constantFrom('Mail.Send', 'Mail.Read', 'User.Read', 'api://x/y.z'), { maxLength: 3 }),
          fc.constantFrom('/', '/mail/send', '/profile?tab=2', '/mail?top=5&skip=10'),
          (code, scopes, path) => {
            const url = withNotice(path, code, scopes);
            const search = url.includes('?') ? url.slice(url.indexOf('?')) : '';
            expect(parseAuthNotice(search)).to.deep.equal({ code, scopes });
            expect(withoutAuthNotice(url)).to.equal(path);
          },
        ),
      );
    });

    it('the SPA ignores unknown codes and anything not shaped like a scope', () => {
      expect(parseAuthNotice('?authNotice=<script>')).to.equal(null);
      expect(parseAuthNotice('?authNotice=consent_declined&authNoticeScopes=<b>x</b>,Mail.Send')).to.deep.equal({
        code: 'consent_declined',
        scopes: ['Mail.Send'],
      });
    });
  });
});
