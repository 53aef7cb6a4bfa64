import { expect } from 'chai';
import nock from 'nock';
import { ALICE, AUTHORITY, entraError, homeAccountIdOf, tokenResponse } from '../../helpers/entraFixtures';
import { buildTestApp, mockMetadata, signIn } from '../../helpers/testApp';
import { tokenEndpoint } from '../../helpers/tokenEndpoint';
import { GRAPH_ORIGIN, GRAPH_PATH, graphError } from './graphFixtures';

const SEND = `${GRAPH_PATH}/me/sendMail`;
const CONSENT_URL = '/auth/consent?scopes=Mail.Send&returnTo=/mail/send';
const MAIL = { to: ['bob@contoso.example'], subject: 'Quarterly numbers', body: 'See you at 10.' };

async function signedIn() {
  const app = buildTestApp();
  const agent = app.agent();
  await signIn(agent, ALICE);
  return { app, agent };
}

/** What Entra answers a refresh-token request for a scope the user never granted. */
function consentRequiredAnswer() {
  return {
    ...entraError(
      'invalid_grant',
      65001,
      "The user or administrator has not consented to use the application with ID '6731de76-14a6-49ae-97bc-6eba6914391e' named 'hybrid-spa-bff'. Send an interactive authorization request for this user and resource.",
    ),
    suberror: 'consent_required',
  };
}

/** Completes GET /auth/consent → /authorize → /auth/callback with nock as Entra; returns the token request body. */
async function grantConsent(
  agent: ReturnType<ReturnType<typeof buildTestApp>['agent']>,
  consentUrl: string,
  accessToken: string,
) {
  const redirect = await agent.get(consentUrl).expect(302);
  const authorize = new URL(redirect.headers.location as string);
  expect(`${authorize.origin}${authorize.pathname}`).to.equal(`${AUTHORITY}/oauth2/v2.0/authorize`);
  expect(authorize.searchParams.get('scope')!.split(' ')).to.include('Mail.Send');
  expect(authorize.searchParams.get('login_hint')).to.be.a('string');
  const endpoint = tokenEndpoint('authorization_code');
  const token = endpoint.interceptor.reply(
    200,
    tokenResponse(ALICE, {
      nonce: authorize.searchParams.get('nonce'),
      scope: 'Mail.Send openid profile email',
      accessToken,
    }),
  );
  const back = await agent
    .get(`/auth/callback?code=consent-code-1&state=${authorize.searchParams.get('state')}`)
    .expect(302);
  token.done();
  return { tokenRequest: endpoint.lastRequest(), returnedTo: back.headers.location as string };
}

describe('POST /api/mail/send', () => {
  beforeEach(() => mockMetadata());

  it('answers 403 consent_required with the consent URL when Entra says Mail.Send was never granted (AADSTS65001), and sends nothing', async () => {
    const { agent } = await signedIn();
    const endpoint = tokenEndpoint('refresh_token');
    const refresh = endpoint.interceptor.reply(400, consentRequiredAnswer());

    const res = await agent.post('/api/mail/send').set('X-CSRF', '1').send(MAIL).expect(403);
    expect(res.body).to.deep.equal({
      error: 'consent_required',
      message: 'This needs your permission for Mail.Send. Grant it and try again.',
      scopes: ['Mail.Send'],
      consentUrl: CONSENT_URL,
    });
    expect(res.headers['content-type']).to.match(/^application\/json/);
    expect(endpoint.lastRequest().scope!.split(' ')).to.include('Mail.Send');
    refresh.done();
  });

  it('after the consent round trip (/auth/consent → authorize → callback) sends with the Mail.Send token: 202 and the Graph body as specified', async () => {
    const { agent } = await signedIn();
    tokenEndpoint().interceptor.reply(400, consentRequiredAnswer());
    const refused = await agent.post('/api/mail/send').set('X-CSRF', '1').send(MAIL).expect(403);

    const { tokenRequest, returnedTo } = await grantConsent(agent, refused.body.consentUrl as string, 'at-mail-send-1');
    expect(tokenRequest.scope!.split(' ')).to.include('Mail.Send');
    expect(returnedTo).to.equal('/mail/send');

    let graphBody: unknown;
    const graph = nock(GRAPH_ORIGIN)
      .post(SEND, (b: unknown) => {
        graphBody = b;
        return true;
      })
      .matchHeader('authorization', 'Bearer at-mail-send-1')
      .matchHeader('content-type', /^application\/json/)
      .reply(202);
    const sent = await agent
      .post('/api/mail/send')
      .set('X-CSRF', '1')
      .send({ ...MAIL, to: ['bob@contoso.example', 'carol@fabrikam.example'] })
      .expect(202);
    expect(sent.body).to.deep.equal({ status: 'sent' });
    expect(graphBody).to.deep.equal({
      message: {
        subject: 'Quarterly numbers',
        body: { contentType: 'Text', content: 'See you at 10.' },
        toRecipients: [
          { emailAddress: { address: 'bob@contoso.example' } },
          { emailAddress: { address: 'carol@fabrikam.example' } },
        ],
      },
      saveToSentItems: true,
    });
    graph.done();

    // The Mail.Send token is cached in the user's partition: a second send makes no token-endpoint call.
    const again = nock(GRAPH_ORIGIN).post(SEND).matchHeader('authorization', 'Bearer at-mail-send-1').reply(202);
    await agent.post('/api/mail/send').set('X-CSRF', '1').send(MAIL).expect(202);
    again.done();
  });

  it('answers 401 with the consent route as signInUrl when the partition holds no tokens at all (no_tokens_found), never a 500', async () => {
    const { app, agent } = await signedIn();
    await app.services.stores.tokenCache.delete(homeAccountIdOf(ALICE));
    const res = await agent.post('/api/mail/send').set('X-CSRF', '1').send(MAIL).expect(401);
    expect(res.body).to.include({ error: 'login_required', signInUrl: CONSENT_URL });
  });

  it('passes a Graph 403 (mailbox access denied) through as 403 graph_access_denied', async () => {
    const { agent } = await signedIn();
    tokenEndpoint().interceptor.reply(
      200,
      tokenResponse(ALICE, { nonce: null, scope: 'Mail.Send', accessToken: 'at-send-403', spaCode: null }),
    );
    const graph = nock(GRAPH_ORIGIN)
      .post(SEND)
      .reply(403, graphError('ErrorAccessDenied', 'Access is denied. Check credentials and try again.'));
    const res = await agent.post('/api/mail/send').set('X-CSRF', '1').send(MAIL).expect(403);
    expect(res.body.error).to.equal('graph_access_denied');
    graph.done();
  });

  describe('rejects bad input with 400 listing the problems, before any token or Graph call', () => {
    const cases: Array<[string, unknown, RegExp]> = [
      [
        'an invalid address',
        { ...MAIL, to: ['bob@contoso.example', 'not-an-address'] },
        /"not-an-address" is not a valid email address/,
      ],
      ['no recipients', { ...MAIL, to: [] }, /at least one recipient/],
      [
        '11 recipients',
        { ...MAIL, to: Array.from({ length: 11 }, (_, i) => `u${i}@contoso.example`) },
        /at most 10 recipients/,
      ],
      ['to as a string', { ...MAIL, to: 'bob@contoso.example' }, /to must be a list of email addresses/],
      ['an empty subject', { ...MAIL, subject: '   ' }, /subject must not be empty/],
      ['a 256-character subject', { ...MAIL, subject: 's'.repeat(256) }, /subject may be at most 255 characters/],
      ['a subject with a line break', { ...MAIL, subject: 'a\r\nBcc: x@y.z' }, /single line/],
      ['an empty body', { ...MAIL, body: '' }, /body must not be empty/],
      ['a 20 001-character body', { ...MAIL, body: 'b'.repeat(20_001) }, /body may be at most 20000 characters/],
      ['an unknown field', { ...MAIL, cc: ['x@contoso.example'] }, /unknown field: cc/],
      ['a JSON array', [MAIL], /must be a JSON object/],
      [
        'several problems at once',
        { to: ['nope'], subject: '' },
        /not a valid email address.*subject must not be empty.*body is required/,
      ],
    ];
    for (const [name, body, message] of cases) {
      it(name, async () => {
        const { agent } = await signedIn();
        const res = await agent
          .post('/api/mail/send')
          .set('X-CSRF', '1')
          .send(body as object)
          .expect(400);
        expect(res.body.error).to.equal('invalid_request');
        expect(res.body.message).to.match(message);
      });
    }

    it('a __proto__ key (the body parser or the schema refuses it; no prototype pollution)', async () => {
      const { agent } = await signedIn();
      const raw = `{"to":["bob@contoso.example"],"subject":"s","body":"b","__proto__":{"polluted":true}}`;
      const res = await agent
        .post('/api/mail/send')
        .set('X-CSRF', '1')
        .set('Content-Type', 'application/json')
        .send(raw)
        .expect(400);
      expect(res.body.error).to.be.oneOf(['bad_request', 'invalid_request']);
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    });

    it('malformed JSON → 400; a body over 100 kb → 413; a form body → 415', async () => {
      const { agent } = await signedIn();
      const bad = await agent
        .post('/api/mail/send')
        .set('X-CSRF', '1')
        .set('Content-Type', 'application/json')
        .send('{"to":')
        .expect(400);
      expect(bad.body.error).to.be.oneOf(['invalid_json', 'bad_request']);
      await agent
        .post('/api/mail/send')
        .set('X-CSRF', '1')
        .send({ ...MAIL, body: 'x'.repeat(110_000) })
        .expect(413);
      const form = await agent
        .post('/api/mail/send')
        .set('X-CSRF', '1')
        .type('form')
        .send({ to: 'bob@contoso.example' })
        .expect(415);
      expect(form.body.error).to.equal('unsupported_media_type');
    });
  });

  it('without the X-CSRF header answers 403 JSON and sends nothing (no token or Graph mock consumed)', async () => {
    const { agent } = await signedIn();
    const token = tokenEndpoint().interceptor.reply(
      200,
      tokenResponse(ALICE, { nonce: null, scope: 'Mail.Send', spaCode: null }),
    );
    const graph = nock(GRAPH_ORIGIN).post(SEND).reply(202);
    const res = await agent.post('/api/mail/send').send(MAIL).expect(403);
    expect(res.headers['content-type']).to.match(/^application\/json/);
    expect(res.body.error).to.equal('csrf_rejected');
    expect(token.isDone()).to.equal(false);
    expect(graph.isDone()).to.equal(false);
    nock.cleanAll();
  });

  it('answers 401 login_required without a session', async () => {
    const { agent } = buildTestApp();
    const res = await agent().post('/api/mail/send').set('X-CSRF', '1').send(MAIL).expect(401);
    expect(res.body.error).to.equal('login_required');
  });
});
