import { expect } from 'chai';
import nock from 'nock';
import { MsalNetworkClient } from '../../../bff/auth/networkClient';
import { createManagedIdentityTokenProvider } from '../../../bff/downstream/managedIdentity';
import { ALICE } from '../../helpers/entraFixtures';
import { resetManagedIdentityProcessState, setManagedIdentityEnv } from '../../helpers/managedIdentityEnv';
import { mockMetadata, signIn, testConfig } from '../../helpers/testApp';
import { buildApiTestApp } from './apiTestApp';

const MI_ORIGIN = 'http://169.254.255.2:8081';
const MI_PATH = '/msi/token';
const MI_HEADER = 'test-identity-header-5f1c';
const VAULT = 'https://contoso-vault.vault.azure.net';
const SECRET_VALUE = 's3cr3t-value-never-logged-7d41';
const MI_TOKEN = 'mi-access-token-vault-0001';

function miAnswer(clientId = 'a1b2c3d4-0000-4000-8000-00000000000a') {
  return {
    access_token: MI_TOKEN,
    expires_on: String(Math.floor(Date.now() / 1000) + 3600),
    resource: 'https://vault.azure.net',
    token_type: 'Bearer',
    client_id: clientId,
  };
}

function secretBundle(name: string, value = SECRET_VALUE) {
  return {
    value,
    id: `${VAULT}/secrets/${name}/4387e9f3d6e14c459867679a90fd0f79`,
    attributes: {
      enabled: true,
      created: 1790000000,
      updated: 1790000100,
      recoveryLevel: 'Recoverable+Purgeable',
      recoverableDays: 90,
    },
    tags: {},
  };
}

function identityEndpoint(query: Record<string, string> = {}) {
  return nock(MI_ORIGIN)
    .get(MI_PATH)
    .query({ 'api-version': '2019-08-01', resource: 'https://vault.azure.net', ...query })
    .matchHeader('x-identity-header', MI_HEADER);
}

function vaultGet(name: string) {
  return nock(VAULT)
    .get(`/secrets/${name}`)
    .query({ 'api-version': '7.5' })
    .matchHeader('authorization', `Bearer ${MI_TOKEN}`);
}

async function signedIn(options: Parameters<typeof buildApiTestApp>[0] = {}) {
  const app = buildApiTestApp(options);
  const agent = app.agent();
  await signIn(agent, ALICE);
  return { app, agent };
}

describe('GET /api/secret (managed identity → Key Vault)', () => {
  let restoreEnv: () => void;

  beforeEach(() => {
    mockMetadata();
    restoreEnv = setManagedIdentityEnv(`${MI_ORIGIN}${MI_PATH}`, MI_HEADER);
  });

  afterEach(() => restoreEnv());

  it('reads the default secret with a system-assigned identity token; the MI token is reused; no-store; the value is never logged', async () => {
    const { app, agent } = await signedIn();
    const mi = identityEndpoint().once().reply(200, miAnswer());
    const vault = vaultGet('app-secret').twice().reply(200, secretBundle('app-secret'));

    for (let i = 0; i < 2; i++) {
      const res = await agent.get('/api/secret').set('X-CSRF', '1').expect(200);
      expect(res.headers['cache-control']).to.equal('no-store');
      expect(res.body).to.deep.equal({
        name: 'app-secret',
        value: SECRET_VALUE,
        version: '4387e9f3d6e14c459867679a90fd0f79',
        updated: new Date(1790000100 * 1000).toISOString(),
      });
    }
    mi.done();
    vault.done();
    expect(app.logText()).to.contain('secret read');
    expect(app.logText()).not.to.contain(SECRET_VALUE);
    expect(app.logText()).not.to.contain(MI_TOKEN);
  });

  it('asks for the user-assigned identity (client_id) when MANAGED_IDENTITY_CLIENT_ID is set, and reads an allow-listed ?name=', async () => {
    const clientId = '0f0e0d0c-1111-4222-8333-444455556666';
    const { agent } = await signedIn({
      config: testConfig({ MANAGED_IDENTITY_CLIENT_ID: clientId, KEY_VAULT_SECRET_NAMES: 'app-secret,db-password' }),
    });
    const mi = identityEndpoint({ client_id: clientId }).reply(200, miAnswer(clientId));
    const vault = vaultGet('db-password').reply(200, secretBundle('db-password', 'pw'));
    const res = await agent.get('/api/secret?name=DB-Password').set('X-CSRF', '1').expect(200);
    expect(res.body).to.include({ name: 'db-password', value: 'pw' });
    mi.done();
    vault.done();
  });

  for (const name of ['other-secret', '../keys/app-key', 'app-secret/versions']) {
    it(`rejects ?name=${name} (not allow-listed) with 400 before any outbound call`, async () => {
      const { agent } = await signedIn();
      const res = await agent
        .get(`/api/secret?name=${encodeURIComponent(name)}`)
        .set('X-CSRF', '1')
        .expect(400);
      expect(res.body.error).to.equal('invalid_secret_name');
      expect(res.body.message).to.contain('app-secret');
    });
  }

  it('maps a vault 403 (ForbiddenByRbac) to 403 vault_forbidden', async () => {
    const { agent } = await signedIn();
    identityEndpoint().reply(200, miAnswer());
    vaultGet('app-secret').reply(403, {
      error: {
        code: 'Forbidden',
        message:
          'Caller is not authorized to perform action on resource.\r\nIf role assignments were recently changed, please wait several minutes for role assignments to become effective.',
        innererror: { code: 'ForbiddenByRbac' },
      },
    });
    const res = await agent.get('/api/secret').set('X-CSRF', '1').expect(403);
    expect(res.body.error).to.equal('vault_forbidden');
    expect(res.body.message).to.contain('Key Vault Secrets User');
  });

  it('maps a vault 404 (SecretNotFound) to 404 secret_not_found', async () => {
    const { agent } = await signedIn();
    identityEndpoint().reply(200, miAnswer());
    vaultGet('app-secret').reply(404, {
      error: { code: 'SecretNotFound', message: 'A secret with (name/id) app-secret was not found in this key vault.' },
    });
    const res = await agent.get('/api/secret').set('X-CSRF', '1').expect(404);
    expect(res.body).to.include({ error: 'secret_not_found' });
  });

  it('answers 503 managed_identity_unavailable, with what to configure, when the identity endpoint refuses connections', async () => {
    process.env.IDENTITY_ENDPOINT = 'http://127.0.0.1:9/msi/token';
    resetManagedIdentityProcessState();
    const { agent } = await signedIn();
    const started = Date.now();
    const res = await agent.get('/api/secret').set('X-CSRF', '1').expect(503);
    expect(Date.now() - started).to.be.below(2000);
    expect(res.body.error).to.equal('managed_identity_unavailable');
    expect(res.body.message).to.contain('IDENTITY_ENDPOINT');
    expect(res.headers['retry-after']).to.match(/^\d+$/);
  });

  it('answers 503 managed_identity_unavailable when the identity endpoint keeps answering 500 (msal-node retries off here)', async () => {
    const { agent } = await signedIn({
      managedIdentity: (s) =>
        createManagedIdentityTokenProvider({
          clientId: null,
          networkClient: new MsalNetworkClient(s.fetchWithDeadline),
          timeoutMs: s.config.http.timeoutMs,
          log: s.log,
          disableInternalRetries: true,
        }),
    });
    const mi = identityEndpoint().reply(500, {
      statusCode: 500,
      message: 'An unexpected error occured while fetching the AAD Token.',
    });
    const res = await agent.get('/api/secret').set('X-CSRF', '1').expect(503);
    expect(res.body.error).to.equal('managed_identity_unavailable');
    mi.done();
  });

  it('answers 503 managed_identity_unavailable when the identity endpoint rejects the IDENTITY_HEADER (401, not retried)', async () => {
    const { agent } = await signedIn();
    const mi = identityEndpoint().reply(401, { statusCode: 401, message: 'Unauthorized request' });
    const res = await agent.get('/api/secret').set('X-CSRF', '1').expect(503);
    expect(res.body.error).to.equal('managed_identity_unavailable');
    expect(res.body.message).to.contain('system-assigned');
    mi.done();
  });

  it('answers 503 secret_not_configured naming the settings when KEY_VAULT_URL is not set', async () => {
    const { agent } = await signedIn({ config: testConfig({ KEY_VAULT_URL: '', KEY_VAULT_SECRET_NAMES: '' }) });
    const res = await agent.get('/api/secret').set('X-CSRF', '1').expect(503);
    expect(res.body.error).to.equal('secret_not_configured');
    expect(res.body.message).to.contain('KEY_VAULT_URL');
  });

  it('answers 401 login_required without a session (no identity or vault call)', async () => {
    const res = await buildApiTestApp().agent().get('/api/secret').set('X-CSRF', '1').expect(401);
    expect(res.body.error).to.equal('login_required');
  });
});
