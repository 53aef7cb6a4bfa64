import { expect } from 'chai';
import { captureLogs } from '../../helpers/captureLogs';
import { ALICE, CLIENT_SECRET, entraError, tokenResponse } from '../../helpers/entraFixtures';
import { buildTestApp, getBootstrap, mockMetadata, startSignIn } from '../../helpers/testApp';
import { tokenEndpoint } from '../../helpers/tokenEndpoint';

describe('logs never contain secrets', () => {
  it('a full sign-in, bootstrap, API and sign-out flow logs no token, code, spa code, state, cookie or secret', async () => {
    mockMetadata();
    const capture = captureLogs();
    const { agent } = buildTestApp({ log: capture.log });
    const a = agent();
    const { state, nonce } = await startSignIn(a, '/auth/signin?returnTo=%2Fprofile');
    const secrets = {
      access: 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoIn0.c2VjcmV0LWF0',
      refresh: '0.AXkAsecret-refresh-token-value-4242',
      spa: 'spa-code-secret-value-31337',
      code: 'web-code-secret-value-27182',
    };
    const body = tokenResponse(ALICE, {
      nonce,
      accessToken: secrets.access,
      refreshToken: secrets.refresh,
      spaCode: secrets.spa,
    });
    tokenEndpoint().interceptor.reply(200, body);
    const cb = await a.get(`/auth/callback?code=${secrets.code}&state=${state}&session_state=s`).expect(302);
    const cookieValues = (cb.headers['set-cookie'] as unknown as string[])
      .map((c) => c.split(';')[0]!.split('=')[1]!)
      .filter((v) => v.length > 10);
    const boot = await getBootstrap(a);
    expect(boot.spaCode).to.equal(secrets.spa);
    await a.get('/api/me').set('X-CSRF', '1').expect(200);
    // An error path whose upstream description echoes a code.
    const { state: s2 } = await startSignIn(a);
    tokenEndpoint().interceptor.reply(
      400,
      entraError('invalid_grant', 54005, `code=${secrets.code} was already redeemed`),
    );
    await a.get(`/auth/callback?code=${secrets.code}&state=${s2}`).expect(400);
    await a.get(boot.routes.signOut!).expect(302);

    const logged = capture.text();
    expect(logged.length).to.be.greaterThan(500);
    const forbidden = [
      secrets.access,
      secrets.refresh,
      secrets.spa,
      secrets.code,
      state,
      s2,
      body.id_token,
      CLIENT_SECRET,
      boot.routes.signOut!.split('token=')[1]!,
      ...cookieValues,
    ];
    for (const value of forbidden) expect(logged, `log contains ${value.slice(0, 12)}…`).not.to.contain(value);
    expect(logged).to.contain('[redacted]');
  });

  it('redacts error_description and error_uri on callbacks, however they are spelled or repeated', async () => {
    mockMetadata();
    const capture = captureLogs();
    const { agent } = buildTestApp({ log: capture.log });
    const upn = 'victim.person@contoso.example';
    const planted = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.planted-signature';
    const description = `AADSTS50105: The signed in user '${upn}' is not assigned to a role. ${planted}`;
    const errorUri = `https://login.microsoftonline.com/error?code=50105&upn=${upn}`;
    const spellings = ['error_description', 'ERROR_DESCRIPTION', 'Error_Uri', 'error%5Furi', 'error_uri'];
    for (const name of spellings) {
      const a = agent();
      const { state } = await startSignIn(a);
      const value = name.toLowerCase().includes('uri') || name.includes('%5F') ? errorUri : description;
      await a
        .get(
          `/auth/callback?error=access_denied&${name}=${encodeURIComponent(value)}&${name}=${encodeURIComponent(planted)}&state=${state}`,
        )
        .set('Accept', 'application/json');
    }
    const logged = capture.text();
    expect(logged).to.contain('/auth/callback');
    for (const value of [upn, encodeURIComponent(upn), planted, 'AADSTS50105'])
      expect(logged, `log contains ${value}`).not.to.contain(value);
  });
});
