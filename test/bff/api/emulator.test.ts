// The /api routes against the local emulator (real Entra-, Graph-, managed-identity- and Key Vault-shaped HTTP over TLS).
// Needs NODE_EXTRA_CA_CERTS for the emulator's CA: run through `tsx scripts/withEmulatorCa.ts mocha` (npm run test:unit).
import { expect } from 'chai';
import { resetManagedIdentityProcessState } from '../../helpers/managedIdentityEnv';
import { Browser } from '../../emulator/helpers';
import { useEmulatorForApi, type Agent } from './emulatorFixture';

const USER = 'adele.vance@contoso.example';

describe('/api against the emulator', () => {
  const fixture = useEmulatorForApi();
  const { app } = fixture;

  /** Follows a BFF redirect to the emulator's /authorize like a browser, then back to the BFF callback. */
  const roundTrip = (agent: Agent, browser: Browser, bffPath: string) =>
    fixture.signInVia(agent, browser, bffPath, USER);

  async function signedIn() {
    const a = app();
    const agent = a.agent();
    const browser = new Browser();
    await roundTrip(agent, browser, '/auth/signin?returnTo=/mail');
    return { a, agent, browser };
  }

  const tokenCalls = () => fixture.emu.admin.requests({ service: 'entra', pathIncludes: '/oauth2/v2.0/token' }).length;

  it('reads mail pages with the sign-in token (no token-endpoint call) and ends with nextSkip: null', async () => {
    const { agent } = await signedIn();
    const before = tokenCalls();
    const first = await agent.get('/api/mail?top=10').set('X-CSRF', '1').expect(200);
    expect(first.body.messages).to.have.length(10);
    expect(first.body.nextSkip).to.equal(10);
    expect(first.body.messages[0]).to.have.all.keys(
      'id',
      'subject',
      'from',
      'receivedDateTime',
      'bodyPreview',
      'isRead',
    );
    const last = await agent.get('/api/mail?top=10&skip=20').set('X-CSRF', '1').expect(200);
    expect(last.body.nextSkip).to.equal(null);
    expect(last.body.messages.length).to.be.within(1, 10);
    expect(tokenCalls()).to.equal(before);
  });

  it('send: 403 consent_required (emulator: AADSTS65001), consent round trip, then 202 and the message in the outbox', async () => {
    const { agent, browser } = await signedIn();
    const mail = { to: ['alex.wilber@contoso.example'], subject: 'From the BFF', body: 'Sent through /api/mail/send.' };
    const refused = await agent.post('/api/mail/send').set('X-CSRF', '1').send(mail).expect(403);
    expect(refused.body).to.include({
      error: 'consent_required',
      consentUrl: '/auth/consent?scopes=Mail.Send&returnTo=/mail/send',
    });
    expect(fixture.emu.admin.outbox()).to.have.length(0);

    const returnedTo = await roundTrip(agent, browser, refused.body.consentUrl as string);
    expect(returnedTo).to.equal('/mail/send');
    await agent.post('/api/mail/send').set('X-CSRF', '1').send(mail).expect(202, { status: 'sent' });
    const outbox = fixture.emu.admin.outbox();
    expect(outbox).to.have.length(1);
    expect(outbox[0]!.from).to.equal(USER);
    expect(outbox[0]!.saveToSentItems).to.equal(true);
    expect(outbox[0]!.message).to.deep.include({
      subject: mail.subject,
      body: { contentType: 'Text', content: mail.body },
    });
    expect(outbox[0]!.message.toRecipients).to.deep.equal([
      { emailAddress: { address: 'alex.wilber@contoso.example' } },
    ]);
  });

  it('claims challenge: Graph 401 with claims → Entra wants interaction → 401 with a URL carrying the claims → /authorize gets them', async () => {
    const { agent } = await signedIn();
    const claims = '{"access_token":{"nbf":{"essential":true,"value":"1790000000"}}}';
    fixture.emu.admin.fail({
      endpoint: 'graph',
      path: '/me/messages',
      status: 401,
      body: {
        error: { code: 'InvalidAuthenticationToken', message: 'Continuous access evaluation resulted in challenge.' },
      },
      headers: {
        'WWW-Authenticate': `Bearer realm="", error="insufficient_claims", claims="${Buffer.from(claims).toString('base64')}"`,
      },
    });
    fixture.emu.admin.fail({
      endpoint: 'token',
      error: 'interaction_required',
      errorCode: 50076,
      errorDescription: 'You must use multi-factor authentication.',
    });
    const res = await agent.get('/api/mail').set('X-CSRF', '1').expect(401);
    expect(res.body.error).to.equal('login_required');
    const signInUrl = new URL(res.body.signInUrl as string, 'http://localhost:3000');
    expect(JSON.parse(signInUrl.searchParams.get('claims')!)).to.deep.equal(JSON.parse(claims));
    const claimsRequest = fixture.emu.admin.requests({ service: 'entra', pathIncludes: '/token' }).at(-1)!;
    expect(claimsRequest.form?.claims, 'the silent attempt carried the claims').to.be.a('string');

    const redirect = await agent.get(res.body.signInUrl as string).expect(302);
    const authorizeUrl = new URL(redirect.headers.location as string);
    expect(authorizeUrl.origin).to.equal(fixture.emu.urls.instance);
    // The challenge's claims, merged with the app's cp1 capability (CAE).
    expect(JSON.parse(authorizeUrl.searchParams.get('claims')!).access_token).to.deep.equal({
      ...JSON.parse(claims).access_token,
      xms_cc: { values: ['cp1'] },
    });
  });

  it('reads the Key Vault secret with the managed identity (App Service protocol)', async () => {
    const { agent } = await signedIn();
    const res = await agent.get('/api/secret').set('X-CSRF', '1').expect(200);
    expect(res.headers['cache-control']).to.equal('no-store');
    expect(res.body).to.include({
      name: 'demo-secret',
      value: 'hello-from-key-vault',
      version: '4387e9f3d6e14c459867679a90fd0f79',
    });
    expect(fixture.emu.admin.requests({ service: 'msi' })).to.have.length(1);
  });

  it('Key Vault 403 from the emulator → 403 vault_forbidden; MI endpoint 401 → 503 managed_identity_unavailable', async () => {
    const { agent } = await signedIn();
    fixture.emu.admin.fail({
      endpoint: 'keyvault',
      status: 403,
      body: {
        error: { code: 'Forbidden', message: 'Caller is not authorized.', innererror: { code: 'ForbiddenByRbac' } },
      },
    });
    const forbidden = await agent.get('/api/secret').set('X-CSRF', '1').expect(403);
    expect(forbidden.body.error).to.equal('vault_forbidden');

    resetManagedIdentityProcessState();
    // 401 is not in msal-node's retry list, so this stays fast (a 500 would be retried three times, 1 s apart).
    fixture.emu.admin.fail({
      endpoint: 'msi',
      status: 401,
      body: { statusCode: 401, message: 'Unauthorized request' },
    });
    const down = await agent.get('/api/secret').set('X-CSRF', '1').expect(503);
    expect(down.body.error).to.equal('managed_identity_unavailable');
  });

  it('Graph 429 Retry-After: 1 → GET retried once (200); sendMail 429 → not retried, 429 to the client', async () => {
    const { agent } = await signedIn();
    fixture.emu.admin.fail({
      endpoint: 'graph',
      path: '/me/messages',
      status: 429,
      headers: { 'Retry-After': '1' },
      body: { error: { code: 'ApplicationThrottled', message: 'Application is over its MailboxConcurrency limit.' } },
    });
    await agent.get('/api/mail').set('X-CSRF', '1').expect(200);
    expect(fixture.emu.admin.requests({ service: 'graph', pathIncludes: '/me/messages' })).to.have.length(2);

    fixture.emu.admin.grantConsent(USER, fixture.emu.clientId, ['Mail.Send']);
    fixture.emu.admin.fail({
      endpoint: 'graph',
      path: '/me/sendMail',
      status: 429,
      headers: { 'Retry-After': '1' },
      body: { error: { code: 'ApplicationThrottled', message: 'Throttled.' } },
    });
    const res = await agent
      .post('/api/mail/send')
      .set('X-CSRF', '1')
      .send({ to: ['alex.wilber@contoso.example'], subject: 's', body: 'b' })
      .expect(429);
    expect(res.headers['retry-after']).to.equal('1');
    expect(fixture.emu.admin.requests({ service: 'graph', pathIncludes: '/me/sendMail' })).to.have.length(1);
    expect(fixture.emu.admin.outbox()).to.have.length(0);
  });

  it('POST without X-CSRF → 403 JSON and no Graph call', async () => {
    const { agent } = await signedIn();
    const res = await agent
      .post('/api/mail/send')
      .send({ to: ['alex.wilber@contoso.example'], subject: 's', body: 'b' })
      .expect(403);
    expect(res.body.error).to.equal('csrf_rejected');
    expect(fixture.emu.admin.requests({ service: 'graph' })).to.have.length(0);
  });
});
