import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import nock from 'nock';
import { decodePfx } from '../../bff/auth/certificateFormats';
import type { ClientCredentialSource, MsalClientCredential } from '../../bff/auth/clientCredential';
import { createRedisTokenSource, REDIS_RESOURCE } from '../../bff/downstream/redisTokenSource';
import { createLogger } from '../../bff/http/logger';
import { createAppIdentity } from '../../bff/services';
import { mockMetadata, testConfig } from '../helpers/testApp';
import { tokenEndpoint } from '../helpers/tokenEndpoint';

const DIR = 'test/fixtures/credentials';
const PFX_THUMBPRINT = readFileSync(`${DIR}/thumbprint-sha256.txt`, 'utf8').trim();

const redisEnv = (credential: 'managed-identity' | 'client-credential') => ({
  STORE: 'redis',
  REDIS_URL: 'rediss://cache.example:10000',
  REDIS_MODE: 'cluster',
  REDIS_AUTH: 'entra',
  REDIS_ENTRA_OBJECT_ID: '8c2f7dae-e49b-4a0f-8258-ad2e4f6a8b09',
  REDIS_ENTRA_CREDENTIAL: credential,
});

/** The certificate thumbprint (hex) a client assertion names in its x5t#S256 header. */
function assertionThumbprint(form: Record<string, string>): string {
  expect(form.client_secret).to.equal(undefined);
  const header = JSON.parse(Buffer.from(form.client_assertion!.split('.')[0]!, 'base64url').toString()) as Record<
    string,
    string
  >;
  return Buffer.from(header['x5t#S256']!, 'base64url').toString('hex');
}

const redisTokenReply = (token: string) => ({ token_type: 'Bearer', access_token: token, expires_in: 3600 });

describe("Redis token source (REDIS_AUTH=entra) uses the app's own identity", () => {
  beforeEach(() => mockMetadata());
  afterEach(() => nock.cleanAll());

  it("client-credential with a PFX (which the Redis source could not use before): the token for https://redis.azure.com is requested with the app's certificate", async () => {
    const config = testConfig({
      ...redisEnv('client-credential'),
      ENTRA_CLIENT_SECRET: '',
      ENTRA_CLIENT_PFX_PATH: `${DIR}/client.pfx`,
      ENTRA_CLIENT_PFX_PASSWORD: 'pfx-test-password',
    });
    expect(config.entra.credential.kind).to.equal('pfx');
    const identity = createAppIdentity({ config, log: createLogger('silent') });
    let loads = 0;
    const counted: ClientCredentialSource = {
      ...identity.clientCredential,
      get: () => (loads++, identity.clientCredential.get()),
    };
    const source = createRedisTokenSource({ config, ...identity, clientCredential: counted });

    const endpoint = tokenEndpoint();
    endpoint.interceptor.reply(200, redisTokenReply('redis-token-1'));
    const first = await source();
    expect(first.token).to.equal('redis-token-1');
    expect(first.expiresOnMs).to.be.within(Date.now() + 3_500_000, Date.now() + 3_700_000);
    const form = endpoint.lastRequest();
    expect(form.grant_type).to.equal('client_credentials');
    expect(form.scope).to.include(`${REDIS_RESOURCE}/.default`);
    expect(assertionThumbprint(form)).to.equal(PFX_THUMBPRINT);
    expect(loads).to.equal(1);

    // Within its lifetime the token comes from MSAL's cache: no second request (nock would refuse it).
    expect((await source()).token).to.equal('redis-token-1');
    identity.clientCredential.close();
  });

  it("follows a rotation of the app's credential (a new Key Vault certificate version): the next Redis token is requested with the new certificate", async () => {
    const config = testConfig(redisEnv('client-credential'));
    const identity = createAppIdentity({ config, log: createLogger('silent') });
    const fromPfx = await decodePfx(readFileSync(`${DIR}/client-nopass.pfx`), '');
    const { generate } = await import('selfsigned');
    const rotated = await generate([{ name: 'commonName', value: 'rotated' }], { keySize: 2048, algorithm: 'sha256' });
    const { decodePemBundle } = await import('../../bff/auth/certificateFormats');
    const next = decodePemBundle(`${rotated.private}\n${rotated.cert}`);
    const asMsal = (c: {
      thumbprintSha256: string;
      privateKeyPem: string;
      certificatePem: string;
    }): MsalClientCredential => ({
      clientCertificate: { thumbprintSha256: c.thumbprintSha256, privateKey: c.privateKeyPem, x5c: c.certificatePem },
    });
    // The app's credential source, as a Key Vault certificate behaves: the current version, replaced by refresh().
    let current = asMsal(fromPfx);
    const appCredential: ClientCredentialSource = {
      get: async () => current,
      refresh: async () => ((current = asMsal(next)), true),
      close: () => undefined,
    };
    const source = createRedisTokenSource({ config, ...identity, clientCredential: appCredential });

    const before = tokenEndpoint();
    before.interceptor.reply(200, redisTokenReply('redis-token-v1'));
    expect((await source()).token).to.equal('redis-token-v1');
    expect(assertionThumbprint(before.lastRequest())).to.equal(fromPfx.thumbprintSha256);

    expect(await appCredential.refresh()).to.equal(true);
    const after = tokenEndpoint();
    after.interceptor.reply(200, redisTokenReply('redis-token-v2'));
    expect((await source()).token).to.equal('redis-token-v2');
    expect(assertionThumbprint(after.lastRequest())).to.equal(next.thumbprintSha256);
    expect(next.thumbprintSha256).to.not.equal(fromPfx.thumbprintSha256);
  });

  it("managed-identity: the token comes from the app's managed identity provider, with the token's own expiry", async () => {
    const config = testConfig(redisEnv('managed-identity'));
    const identity = createAppIdentity({ config, log: createLogger('silent') });
    const exp = Math.floor(Date.now() / 1000) + 5_400;
    const jwt =
      ['{"alg":"none"}', JSON.stringify({ aud: REDIS_RESOURCE, exp })]
        .map((p) => Buffer.from(p).toString('base64url'))
        .join('.') + '.';
    const asked: string[] = [];
    const source = createRedisTokenSource({
      config,
      ...identity,
      managedIdentity: { getToken: async (resource) => (asked.push(resource), jwt) },
    });
    expect(await source()).to.deep.equal({ token: jwt, expiresOnMs: exp * 1000 });
    expect(asked).to.deep.equal([REDIS_RESOURCE]);
  });
});
