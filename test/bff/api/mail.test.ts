import { expect } from 'chai';
import nock from 'nock';
import { ALICE, AUTHORITY, entraError, tokenResponse } from '../../helpers/entraFixtures';
import { buildTestApp, mockMetadata, signIn } from '../../helpers/testApp';
import { tokenEndpoint } from '../../helpers/tokenEndpoint';
import {
  CAE_CLAIMS,
  EXPIRED_TOKEN_HEADER,
  GRAPH_ORIGIN,
  GRAPH_PATH,
  claimsChallengeHeader,
  graphError,
  graphMessageList,
} from './graphFixtures';

const MESSAGES = `${GRAPH_PATH}/me/messages`;
const SELECT = 'id,subject,from,receivedDateTime,bodyPreview,isRead';

async function signedIn() {
  const app = buildTestApp();
  const agent = app.agent();
  await signIn(agent, ALICE);
  return { app, agent };
}

function graphList(query: Record<string, string>) {
  return nock(GRAPH_ORIGIN)
    .get(MESSAGES)
    .query({ $select: SELECT, $orderby: 'receivedDateTime desc', ...query });
}

/** Graph refuses the first mail page with a CAE claims challenge (401 + WWW-Authenticate insufficient_claims). */
function caeChallengedFirstPage() {
  return graphList({ $top: '10', $skip: '0' }).reply(
    401,
    graphError('InvalidAuthenticationToken', 'Continuous access evaluation resulted in challenge.'),
    { 'WWW-Authenticate': claimsChallengeHeader() },
  );
}

describe('GET /api/mail', () => {
  beforeEach(() => mockMetadata());

  it('reads mail with the token cached at sign-in (no token-endpoint call, twice) and trims Graph messages', async () => {
    const { agent } = await signedIn();
    const graph = graphList({ $top: '10', $skip: '0' })
      .twice()
      .matchHeader('authorization', /^Bearer at-aaaaaaaa-/)
      .reply(200, graphMessageList({ count: 2 }));

    for (let i = 0; i < 2; i++) {
      const res = await agent.get('/api/mail').set('X-CSRF', '1').expect(200);
      expect(res.headers['cache-control']).to.equal('no-store');
      expect(res.body).to.deep.equal({
        messages: [
          {
            id: 'AAMkAGI2TG93AAA=0',
            subject: 'Subject 0',
            from: { name: 'Sender 0', address: 'sender0@contoso.example' },
            receivedDateTime: '2026-11-20T10:00:00Z',
            bodyPreview: 'Preview 0',
            isRead: true,
          },
          {
            id: 'AAMkAGI2TG93AAA=1',
            subject: 'Subject 1',
            from: { name: 'Sender 1', address: 'sender1@contoso.example' },
            receivedDateTime: '2026-11-19T10:00:00Z',
            bodyPreview: 'Preview 1',
            isRead: false,
          },
        ],
        top: 10,
        skip: 0,
        nextSkip: null,
      });
      expect(res.text).not.to.match(/at-aaaaaaaa|rt-aaaaaaaa/);
    }
    graph.done();
  });

  it('pages with $top/$skip and answers nextSkip from @odata.nextLink (null on the last page)', async () => {
    const { agent } = await signedIn();
    const first = graphList({ $top: '5', $skip: '5' }).reply(
      200,
      graphMessageList({ count: 5, first: 5, nextSkip: 10, top: 5 }),
    );
    const last = graphList({ $top: '5', $skip: '10' }).reply(200, graphMessageList({ count: 3, first: 10 }));

    const page2 = await agent.get('/api/mail?top=5&skip=5').set('X-CSRF', '1').expect(200);
    expect(page2.body).to.include({ top: 5, skip: 5, nextSkip: 10 });
    expect(page2.body.messages).to.have.length(5);
    const page3 = await agent.get('/api/mail?top=5&skip=10').set('X-CSRF', '1').expect(200);
    expect(page3.body).to.include({ top: 5, skip: 10, nextSkip: null });
    first.done();
    last.done();
  });

  for (const [query, problem] of [
    ['top=0', 'top must be a whole number from 1 to 50'],
    ['top=51', 'top must be a whole number from 1 to 50'],
    ['top=abc', 'top must be a whole number from 1 to 50'],
    ['top=1&top=2', 'top must be a whole number from 1 to 50'],
    ['skip=-1', 'skip must be a whole number from 0 to 10000'],
    ['skip=10001', 'skip must be a whole number from 0 to 10000'],
  ] as const) {
    it(`rejects ${query} with 400 invalid_query naming the problem, without calling Graph`, async () => {
      const { agent } = await signedIn();
      const res = await agent.get(`/api/mail?${query}`).set('X-CSRF', '1').expect(400);
      expect(res.body.error).to.equal('invalid_query');
      expect(res.body.message).to.contain(problem);
    });
  }

  it('answers 401 login_required without a session (no Graph or token call)', async () => {
    const { agent } = buildTestApp();
    const res = await agent().get('/api/mail').set('X-CSRF', '1').expect(401);
    expect(res.body).to.include({ error: 'login_required', signInUrl: '/auth/signin' });
  });

  it('on a Graph 401 refreshes the token once (forceRefresh) and retries with the new token', async () => {
    const { agent } = await signedIn();
    const rejected = graphList({ $top: '10', $skip: '0' })
      .matchHeader('authorization', /^Bearer at-aaaaaaaa-/)
      .reply(401, graphError('InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.'), {
        'WWW-Authenticate': EXPIRED_TOKEN_HEADER,
      });
    const endpoint = tokenEndpoint('refresh_token');
    const refresh = endpoint.interceptor.reply(
      200,
      tokenResponse(ALICE, {
        nonce: null,
        scope: 'User.Read Contacts.Read Mail.Read openid profile email',
        accessToken: 'at-refreshed-1',
        spaCode: null,
      }),
    );
    const retried = graphList({ $top: '10', $skip: '0' })
      .matchHeader('authorization', 'Bearer at-refreshed-1')
      .reply(200, graphMessageList({ count: 1 }));

    const res = await agent.get('/api/mail').set('X-CSRF', '1').expect(200);
    expect(res.body.messages).to.have.length(1);
    expect(endpoint.lastRequest().scope!.split(' ')).to.include('Mail.Read');
    rejected.done();
    refresh.done();
    retried.done();
  });

  it('answers 401 login_required when Graph still rejects the refreshed token (one retry only)', async () => {
    const { agent } = await signedIn();
    const graph = graphList({ $top: '10', $skip: '0' })
      .twice()
      .reply(401, graphError('InvalidAuthenticationToken', 'Access token validation failure.'), {
        'WWW-Authenticate': EXPIRED_TOKEN_HEADER,
      });
    const refresh = tokenEndpoint().interceptor.reply(
      200,
      tokenResponse(ALICE, { nonce: null, accessToken: 'at-refreshed-2', spaCode: null }),
    );
    const res = await agent.get('/api/mail').set('X-CSRF', '1').expect(401);
    expect(res.body).to.include({ error: 'login_required', signInUrl: '/auth/signin' });
    graph.done();
    refresh.done();
  });

  it('a Graph claims challenge: asks Entra with the claims, then answers 401 with a sign-in URL that carries them; /auth/consent puts them on /authorize', async () => {
    const { agent } = await signedIn();
    const graph = caeChallengedFirstPage();
    const endpoint = tokenEndpoint();
    const refresh = endpoint.interceptor.reply(400, {
      ...entraError(
        'interaction_required',
        50076,
        'Due to a configuration change made by your administrator, you must use multi-factor authentication.',
      ),
      suberror: 'basic_action',
    });

    const res = await agent.get('/api/mail').set('X-CSRF', '1').expect(401);
    expect(res.body.error).to.equal('login_required');
    // MSAL merges the challenge with the app's cp1 capability (CAE): both must reach Entra.
    expect(JSON.parse(endpoint.lastRequest().claims!).access_token).to.deep.equal({
      ...JSON.parse(CAE_CLAIMS).access_token,
      xms_cc: { values: ['cp1'] },
    });
    const signInUrl = new URL(res.body.signInUrl as string, 'http://localhost:3000');
    expect(signInUrl.pathname).to.equal('/auth/consent');
    expect(signInUrl.searchParams.get('scopes')).to.equal('Mail.Read');
    expect(signInUrl.searchParams.get('returnTo')).to.equal('/mail');
    expect(JSON.parse(signInUrl.searchParams.get('claims')!)).to.deep.equal(JSON.parse(CAE_CLAIMS));
    graph.done();
    refresh.done();

    const authorize = await agent.get(res.body.signInUrl as string).expect(302);
    const url = new URL(authorize.headers.location as string);
    expect(`${url.origin}${url.pathname}`).to.equal(`${AUTHORITY}/oauth2/v2.0/authorize`);
    expect(url.searchParams.get('scope')!.split(' ')).to.include('Mail.Read');
    expect(JSON.parse(url.searchParams.get('claims')!).access_token).to.deep.include(
      JSON.parse(CAE_CLAIMS).access_token,
    );
  });

  it('a claims challenge whose refresh Entra refuses (sessions revoked, AADSTS50173) becomes a claims re-authentication, not a 502', async () => {
    const { agent } = await signedIn();
    const graph = caeChallengedFirstPage();
    const refresh = tokenEndpoint().interceptor.reply(
      400,
      entraError(
        'invalid_grant',
        50173,
        'The provided grant has expired due to it being revoked, a fresh auth token is needed.',
      ),
    );
    const res = await agent.get('/api/mail').set('X-CSRF', '1').expect(401);
    expect(res.body).to.include({ error: 'login_required', reason: 'claims_challenge' });
    const signInUrl = new URL(res.body.signInUrl as string, 'http://localhost:3000');
    expect(signInUrl.pathname).to.equal('/auth/consent');
    expect(JSON.parse(signInUrl.searchParams.get('claims')!)).to.deep.equal(JSON.parse(CAE_CLAIMS));
    graph.done();
    refresh.done();
  });

  it('a disabled account (AADSTS50057) answers 401 saying so, without a claims round trip that could not succeed', async () => {
    const { agent } = await signedIn();
    const graph = caeChallengedFirstPage();
    const refresh = tokenEndpoint().interceptor.reply(
      400,
      entraError('invalid_grant', 50057, 'The user account is disabled.'),
    );
    const res = await agent.get('/api/mail').set('X-CSRF', '1').expect(401);
    expect(res.body).to.include({ error: 'login_required', reason: 'account_disabled', signInUrl: '/auth/signin' });
    expect(res.body.message).to.match(/disabled/);
    graph.done();
    refresh.done();
  });

  it('a second claims challenge in a row for the same request ends in claims_challenge_unresolved (no sign-in URL, no loop)', async () => {
    const { agent } = await signedIn();
    const graph = graphList({ $top: '10', $skip: '0' })
      .twice()
      .reply(401, graphError('InvalidAuthenticationToken', 'Continuous access evaluation resulted in challenge.'), {
        'WWW-Authenticate': claimsChallengeHeader(),
      });
    const refresh = tokenEndpoint().interceptor.reply(
      200,
      tokenResponse(ALICE, { nonce: null, accessToken: 'at-with-claims', spaCode: null }),
    );
    const res = await agent.get('/api/mail').set('X-CSRF', '1').expect(502);
    expect(res.body.error).to.equal('claims_challenge_unresolved');
    expect(res.body).to.not.have.property('signInUrl');
    graph.done();
    refresh.done();
  });

  it('a claims challenge right after a claims re-authentication is not sent to sign-in again (no redirect loop)', async () => {
    const { agent } = await signedIn();
    const challenge = () => caeChallengedFirstPage();
    const refused = () =>
      tokenEndpoint('refresh_token').interceptor.reply(
        400,
        entraError('invalid_grant', 50173, 'The provided grant has expired due to it being revoked.'),
      );
    const scopes = [challenge(), refused()];
    const first = await agent.get('/api/mail').set('X-CSRF', '1').expect(401);
    // The browser follows the sign-in URL: /authorize with the claims, then the callback redeems a new code.
    const authorize = new URL((await agent.get(first.body.signInUrl as string).expect(302)).headers.location as string);
    const redeem = tokenEndpoint('authorization_code').interceptor.reply(
      200,
      tokenResponse(ALICE, { nonce: authorize.searchParams.get('nonce'), spaCode: null }),
    );
    await agent.get(`/auth/callback?code=c-${Date.now()}&state=${authorize.searchParams.get('state')}`).expect(302);
    scopes.push(redeem, challenge(), refused());
    const second = await agent.get('/api/mail').set('X-CSRF', '1').expect(502);
    expect(second.body.error).to.equal('claims_challenge_unresolved');
    for (const s of scopes) s.done();
  });

  it('a Graph claims challenge that Entra satisfies silently is retried once with the new token', async () => {
    const { agent } = await signedIn();
    const graph = caeChallengedFirstPage();
    const refresh = tokenEndpoint((b) => typeof b.claims === 'string').interceptor.reply(
      200,
      tokenResponse(ALICE, { nonce: null, accessToken: 'at-with-claims', spaCode: null }),
    );
    const retried = graphList({ $top: '10', $skip: '0' })
      .matchHeader('authorization', 'Bearer at-with-claims')
      .reply(200, graphMessageList({ count: 0 }));
    const res = await agent.get('/api/mail').set('X-CSRF', '1').expect(200);
    expect(res.body).to.deep.equal({ messages: [], top: 10, skip: 0, nextSkip: null });
    graph.done();
    refresh.done();
    retried.done();
  });

  it('passes a Graph 403 through as 403 graph_access_denied (no Graph message, no retry)', async () => {
    const { agent } = await signedIn();
    const graph = graphList({ $top: '10', $skip: '0' }).reply(
      403,
      graphError('ErrorAccessDenied', 'Access is denied. Check credentials and try again.'),
    );
    const res = await agent.get('/api/mail').set('X-CSRF', '1').expect(403);
    expect(res.body).to.include({ error: 'graph_access_denied', graphCode: 'ErrorAccessDenied' });
    graph.done();
  });

  it('answers 502 upstream_bad_response when Graph sends something that is not JSON', async () => {
    const { agent } = await signedIn();
    const graph = graphList({ $top: '10', $skip: '0' }).reply(200, '<html>gateway</html>', {
      'Content-Type': 'text/html',
    });
    const res = await agent.get('/api/mail').set('X-CSRF', '1').expect(502);
    expect(res.body.error).to.equal('upstream_bad_response');
    graph.done();
  });
});
