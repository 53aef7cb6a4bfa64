import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { generate } from 'selfsigned';
import { ALICE, TENANT_ID, type TestUser } from '../helpers/entraFixtures';
import { buildTestApp, getBootstrap, mockMetadata, signIn, testConfig } from '../helpers/testApp';

async function certificateFiles(): Promise<Record<string, string>> {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pems = await generate([{ name: 'commonName', value: 'hybrid-spa-bff test' }], {
    keyPair: {
      privateKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
      publicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }) as string,
    },
  } as never);
  return { '/certs/app.pem': pems.cert, '/certs/app-key.pem': pems.private };
}

describe('client credential on the code redemption', () => {
  beforeEach(() => mockMetadata());

  it('sends a signed client assertion (and no secret) with a certificate credential', async () => {
    const files = await certificateFiles();
    const { loadConfig } = await import('../../config/loadConfig');
    const base = testConfig();
    const config = loadConfig(
      {
        NODE_ENV: 'test',
        AUTH_MODE: 'entra',
        ENTRA_TENANT_ID: TENANT_ID,
        ENTRA_CLIENT_ID: base.entra.clientId,
        ENTRA_CLIENT_CERTIFICATE_PATH: '/certs/app.pem',
        ENTRA_CLIENT_PRIVATE_KEY_PATH: '/certs/app-key.pem',
        SESSION_KEYS: base.session.keys[0]!,
        PUBLIC_URL: 'http://localhost:3000',
      },
      { readFile: (p) => files[p]! },
    );
    const { agent } = buildTestApp({ config });
    const { tokenRequest } = await signIn(agent(), ALICE);
    expect(tokenRequest.client_secret).to.equal(undefined);
    expect(tokenRequest.client_assertion_type).to.equal('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const [header, payload] = tokenRequest
      .client_assertion!.split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    expect(header.alg).to.match(/^(RS|PS)256$/);
    expect(header['x5t#S256'] ?? header.x5t).to.be.a('string');
    expect(payload.aud).to.match(/\/oauth2\/v2.0\/token$/);
    expect(payload.iss).to.equal(base.entra.clientId);
    expect(tokenRequest.return_spa_code).to.equal('1');
  });

  it('renders a hostile display name from the id_token as inert text in the bootstrap', async () => {
    const bobby: TestUser = {
      ...ALICE,
      oid: 'cccccccc-3333-4333-8333-333333333333',
      name: 'Robert "Bobby" </script><script>alert(1)</script> O\'Hara\u2028',
      sid: 's3',
    };
    const { agent } = buildTestApp();
    const a = agent();
    await signIn(a, bobby);
    const res = await a.get('/').set('Accept', 'text/html').expect(200);
    expect(res.text).not.to.contain('<script>alert(1)');
    expect(res.text).not.to.contain('\u2028');
    expect((await getBootstrap(a)).account!.name).to.equal(bobby.name);
  });
});
