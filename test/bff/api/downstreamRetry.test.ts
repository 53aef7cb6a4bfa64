import { expect } from 'chai';
import nock from 'nock';
import { parseRetryAfter } from '../../../shared-types/retryAfter';
import { ALICE, tokenResponse } from '../../helpers/entraFixtures';
import { setManagedIdentityEnv } from '../../helpers/managedIdentityEnv';
import { buildTestApp, mockMetadata, signIn, testConfig } from '../../helpers/testApp';
import { tokenEndpoint } from '../../helpers/tokenEndpoint';
import { GRAPH_ORIGIN, GRAPH_PATH, graphError, graphMessageList } from './graphFixtures';

const MESSAGES = `${GRAPH_PATH}/me/messages`;
const SEND = `${GRAPH_PATH}/me/sendMail`;
const MAIL = { to: ['bob@contoso.example'], subject: 'Hi', body: 'Hello' };
const THROTTLED = graphError('ApplicationThrottled', 'Application is over its MailboxConcurrency limit.');

async function signedIn(config = testConfig()) {
  const app = buildTestApp({ config });
  const agent = app.agent();
  await signIn(agent, ALICE);
  return { app, agent };
}

const messages = () => nock(GRAPH_ORIGIN).get(MESSAGES).query(true);

/** A silent Mail.Send token (the user consented earlier; the refresh grant returns it). */
function mailSendToken() {
  return tokenEndpoint('refresh_token').interceptor.reply(
    200,
    tokenResponse(ALICE, { nonce: null, scope: 'Mail.Send', accessToken: 'at-send', spaCode: null }),
  );
}

describe('downstream throttling, timeouts and failures', () => {
  beforeEach(() => mockMetadata());

  it('GET: a 429 with Retry-After: 1 is retried once after the wait, and the client gets the data', async () => {
    const { agent } = await signedIn();
    const throttled = messages().reply(429, THROTTLED, { 'Retry-After': '1' });
    const ok = messages().reply(200, graphMessageList({ count: 1 }));
    const started = Date.now();
    const res = await agent.get('/api/mail').set('X-CSRF', '1').expect(200);
    expect(Date.now() - started).to.be.at.least(950);
    expect(res.body.messages).to.have.length(1);
    throttled.done();
    ok.done();
  });

  it('GET: still throttled after the one retry → 429 with Retry-After and retryAfter in the body (two Graph calls in all)', async () => {
    const { agent } = await signedIn();
    const graph = messages().twice().reply(429, THROTTLED, { 'Retry-After': '1' });
    const res = await agent.get('/api/mail').set('X-CSRF', '1').expect(429);
    expect(res.headers['retry-after']).to.equal('1');
    expect(res.body).to.include({ error: 'downstream_throttled', retryAfter: 1 });
    graph.done();
  });

  it('GET: a long Retry-After (120) is passed through at once, without a retry', async () => {
    const { agent } = await signedIn();
    const graph = messages().reply(429, THROTTLED, { 'Retry-After': '120' });
    const started = Date.now();
    const res = await agent.get('/api/mail').set('X-CSRF', '1').expect(429);
    expect(Date.now() - started).to.be.below(1000);
    expect(res.headers['retry-after']).to.equal('120');
    expect(res.body.retryAfter).to.equal(120);
    graph.done();
  });

  it('GET: a 503 with Retry-After: 0 is retried once; a 503 without Retry-After is not retried (503 upstream_unavailable)', async () => {
    const { agent } = await signedIn();
    const busy = messages().reply(503, graphError('ServiceUnavailable', 'Service Unavailable'), { 'Retry-After': '0' });
    const ok = messages().reply(200, graphMessageList({ count: 0 }));
    await agent.get('/api/mail').set('X-CSRF', '1').expect(200);
    busy.done();
    ok.done();

    const down = messages().reply(503, graphError('ServiceUnavailable', 'Service Unavailable'));
    const res = await agent.get('/api/mail').set('X-CSRF', '1').expect(503);
    expect(res.body.error).to.equal('upstream_unavailable');
    expect(res.headers['retry-after']).to.match(/^\d+$/);
    down.done();
  });

  it('POST sendMail: a 429 with Retry-After: 1 is NOT retried; the client gets 429 with Retry-After', async () => {
    const { agent } = await signedIn();
    const token = mailSendToken();
    const graph = nock(GRAPH_ORIGIN).post(SEND).once().reply(429, THROTTLED, { 'Retry-After': '1' });
    const res = await agent.post('/api/mail/send').set('X-CSRF', '1').send(MAIL).expect(429);
    expect(res.headers['retry-after']).to.equal('1');
    expect(res.body).to.include({ error: 'downstream_throttled', retryAfter: 1 });
    token.done();
    graph.done();
  });

  it('POST sendMail: a 503 with Retry-After: 5 is NOT retried; the client gets 503 with Retry-After', async () => {
    const { agent } = await signedIn();
    mailSendToken();
    const graph = nock(GRAPH_ORIGIN)
      .post(SEND)
      .once()
      .reply(503, graphError('ServiceUnavailable', 'Service Unavailable'), { 'Retry-After': '5' });
    const res = await agent.post('/api/mail/send').set('X-CSRF', '1').send(MAIL).expect(503);
    expect(res.headers['retry-after']).to.equal('5');
    graph.done();
  });

  it('a Graph call past the deadline answers 504 upstream_timeout at about the deadline', async () => {
    const { agent } = await signedIn(testConfig({ HTTP_TIMEOUT_MS: '300' }));
    messages()
      .delay(2000)
      .reply(200, graphMessageList({ count: 1 }));
    const started = Date.now();
    const res = await agent.get('/api/mail').set('X-CSRF', '1').expect(504);
    expect(Date.now() - started).to.be.within(250, 1500);
    expect(res.body.error).to.equal('upstream_timeout');
  });

  it('a network failure to Graph answers 503 upstream_unavailable; a Graph 500 answers 502 upstream_error', async () => {
    const { agent } = await signedIn();
    messages().replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    const down = await agent.get('/api/mail').set('X-CSRF', '1').expect(503);
    expect(down.body.error).to.equal('upstream_unavailable');
    messages().reply(500, graphError('InternalServerError', 'boom'));
    const broken = await agent.get('/api/mail').set('X-CSRF', '1').expect(502);
    expect(broken.body.error).to.equal('upstream_error');
    expect(broken.text).not.to.contain('boom');
  });

  describe('Key Vault', () => {
    let restoreEnv: () => void;
    beforeEach(() => {
      restoreEnv = setManagedIdentityEnv('http://169.254.255.2:8081/msi/token', 'h');
    });
    afterEach(() => restoreEnv());

    it('a vault 429 with Retry-After: 1 on the GET is retried once', async () => {
      const { agent } = await signedIn();
      const mi = nock('http://169.254.255.2:8081')
        .get('/msi/token')
        .query(true)
        .reply(200, {
          access_token: 'mi-at',
          expires_on: String(Math.floor(Date.now() / 1000) + 3600),
          resource: 'https://vault.azure.net',
          token_type: 'Bearer',
        });
      const vault = nock('https://contoso-vault.vault.azure.net')
        .get('/secrets/app-secret')
        .query(true)
        .reply(
          429,
          {
            error: { code: 'Throttled', message: 'Request was not processed because too many requests were received.' },
          },
          { 'Retry-After': '1' },
        )
        .get('/secrets/app-secret')
        .query(true)
        .reply(200, {
          value: 'v',
          id: 'https://contoso-vault.vault.azure.net/secrets/app-secret/abc',
          attributes: { enabled: true },
        });
      const res = await agent.get('/api/secret').set('X-CSRF', '1').expect(200);
      expect(res.body).to.deep.equal({ name: 'app-secret', value: 'v', version: 'abc', updated: null });
      mi.done();
      vault.done();
    });
  });

  it('parseRetryAfter reads delta-seconds and HTTP-dates, and ignores junk', () => {
    const now = Date.parse('2026-11-21T10:00:00Z');
    expect(parseRetryAfter('7', now)).to.equal(7);
    expect(parseRetryAfter('Sat, 21 Nov 2026 10:00:30 GMT', now)).to.equal(30);
    expect(parseRetryAfter('Sat, 21 Nov 2026 09:00:00 GMT', now)).to.equal(0);
    expect(parseRetryAfter('soon', now)).to.equal(null);
    expect(parseRetryAfter(null, now)).to.equal(null);
  });
});
