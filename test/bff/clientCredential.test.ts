import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import nock from 'nock';
import { createClientCredentialSource, ClientCredentialError, type Schedule } from '../../bff/auth/clientCredential';
import { CertificateFormatError, decodePemBundle, decodePfx } from '../../bff/auth/certificateFormats';
import { createFetchWithDeadline } from '../../bff/downstream/fetchWithDeadline';
import { createLogger } from '../../bff/http/logger';
import { ConfigError, loadConfig } from '../../config/loadConfig';
import type { ClientCredential } from '../../config/types';
import { captureLogs } from '../helpers/captureLogs';

const DIR = 'test/fixtures/credentials';
const PASSWORD = 'pfx-test-password';
const THUMBPRINT = readFileSync(`${DIR}/thumbprint-sha256.txt`, 'utf8').trim();
const fixture = (name: string) => readFileSync(`${DIR}/${name}`);
const VAULT = 'https://contoso-vault.vault.azure.net';
const MI_TOKEN = 'mi-token-kv-cert';
const V1 = '11111111111111111111111111111111';
const V2 = '22222222222222222222222222222222';

const entraEnv = {
  AUTH_MODE: 'entra',
  ENTRA_TENANT_ID: 'contoso.onmicrosoft.com',
  ENTRA_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
  SESSION_KEYS: 'k'.repeat(40),
};

function source(credential: ClientCredential, schedule?: Schedule, log = createLogger('silent')) {
  return createClientCredentialSource({
    credential,
    managedIdentity: () => ({ getToken: async () => MI_TOKEN }),
    downstream: { fetchWithDeadline: createFetchWithDeadline(5_000), log },
    log,
    ...(schedule ? { schedule } : {}),
  });
}

/** A schedule the test fires by hand. */
function manualSchedule() {
  const runs: { run: () => void; everyMs: number; cancelled: boolean }[] = [];
  const schedule: Schedule = (run, everyMs) => {
    const entry = { run, everyMs, cancelled: false };
    runs.push(entry);
    return { cancel: () => void (entry.cancelled = true) };
  };
  return { schedule, runs };
}

function certificateBundle(version: string) {
  return {
    id: `${VAULT}/certificates/bff-cert/${version}`,
    kid: `${VAULT}/keys/bff-cert/${version}`,
    sid: `${VAULT}/secrets/bff-cert/${version}`,
    x5t: 'aGVsbG8',
    cer: 'MIIB',
    attributes: { enabled: true, created: 1790000000, updated: 1790000000 },
  };
}

const kv = () => nock(VAULT).matchHeader('authorization', `Bearer ${MI_TOKEN}`);

describe('client credential sources', () => {
  describe('PFX', () => {
    it('decodes an AES PFX with its password and one without a password into the key, leaf and thumbprint', async () => {
      for (const [file, password] of [
        ['client.pfx', PASSWORD],
        ['client-nopass.pfx', ''],
      ] as const) {
        const c = await decodePfx(fixture(file), password);
        expect(c.thumbprintSha256).to.equal(THUMBPRINT);
        expect(c.privateKeyPem).to.match(/^-----BEGIN PRIVATE KEY-----/);
        expect(c.certificatePem).to.match(/^-----BEGIN CERTIFICATE-----/);
      }
    });

    it('refuses wrong passwords (any of them), legacy encryption, a PFX without a key and a file that is no PFX, each with its reason', async () => {
      for (const wrong of ['', 'PFX-TEST-PASSWORD', `${PASSWORD} `, 'x'.repeat(200)]) {
        const err = await decodePfx(fixture('client.pfx'), wrong).catch((e: unknown) => e);
        expect(err, wrong).to.be.instanceOf(CertificateFormatError).with.property('reason', 'wrong_password');
      }
      const cases: [string, string, string][] = [
        ['client-legacy.pfx', PASSWORD, 'unsupported_encryption'],
        ['cert-only.pfx', PASSWORD, 'no_private_key'],
        ['cert.pem', PASSWORD, 'not_a_certificate'],
      ];
      for (const [file, password, reason] of cases) {
        const err = await decodePfx(fixture(file), password).catch((e: unknown) => e);
        expect(err, file).to.be.instanceOf(CertificateFormatError).with.property('reason', reason);
      }
    });

    it('ENTRA_CLIENT_PFX_PATH + password gives MSAL a certificate; a wrong password stops start-up naming the setting', async () => {
      const config = loadConfig({
        ...entraEnv,
        ENTRA_CLIENT_PFX_PATH: `${DIR}/client.pfx`,
        ENTRA_CLIENT_PFX_PASSWORD: PASSWORD,
      });
      const cred = await source(config.entra.credential).get();
      expect(cred).to.have.nested.property('clientCertificate.thumbprintSha256', THUMBPRINT);

      const wrong = loadConfig({
        ...entraEnv,
        ENTRA_CLIENT_PFX_PATH: `${DIR}/client.pfx`,
        ENTRA_CLIENT_PFX_PASSWORD: 'nope',
      });
      const err = await source(wrong.entra.credential)
        .get()
        .catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ClientCredentialError);
      expect((err as Error).message).to.match(/^ENTRA_CLIENT_PFX_PASSWORD: .*password is wrong/);
      expect((err as Error).message).to.not.include('nope');
    });

    it('config: a PFX needs its password setting, a missing file and two credentials are named problems', () => {
      const problems = (env: Record<string, string>) => {
        try {
          loadConfig({ ...entraEnv, ...env });
        } catch (err) {
          return (err as ConfigError).problems;
        }
        return [];
      };
      expect(problems({ ENTRA_CLIENT_PFX_PATH: `${DIR}/client.pfx` })[0]).to.match(
        /^ENTRA_CLIENT_PFX_PASSWORD: required/,
      );
      expect(problems({ ENTRA_CLIENT_PFX_PATH: `${DIR}/missing.pfx`, ENTRA_CLIENT_PFX_PASSWORD: 'x' })[0]).to.match(
        /^ENTRA_CLIENT_PFX_PATH: could not read/,
      );
      expect(
        problems({
          ENTRA_CLIENT_PFX_PATH: `${DIR}/client.pfx`,
          ENTRA_CLIENT_PFX_PASSWORD: 'x',
          ENTRA_CLIENT_SECRET: 's',
        })[0],
      ).to.match(/set one client credential, not both/);
      expect(problems({ ENTRA_CLIENT_CERTIFICATE_NAME: 'bff-cert' })[0]).to.match(
        /^ENTRA_CLIENT_CERTIFICATE_KEY_VAULT_URL: required/,
      );
    });
  });

  describe('Key Vault certificate', () => {
    const kvCredential: ClientCredential = {
      kind: 'keyVaultCertificate',
      vaultUrl: VAULT,
      name: 'bff-cert',
      refreshMs: 60_000,
    };
    const pfxSecret = () => ({
      value: fixture('client-nopass.pfx').toString('base64'),
      contentType: 'application/x-pkcs12',
      id: `${VAULT}/secrets/bff-cert/${V1}`,
    });
    const pemSecret = (pem: string) => ({
      value: pem,
      contentType: 'application/x-pem-file',
      id: `${VAULT}/secrets/bff-cert/${V2}`,
    });

    it('reads the certificate (PFX secret) with the managed identity at start-up, then picks up a rotated version (PEM) on the schedule', async () => {
      const logs = captureLogs('info');
      const { schedule, runs } = manualSchedule();
      const src = source(kvCredential, schedule, logs.log);
      const first = kv()
        .get('/certificates/bff-cert')
        .query({ 'api-version': '7.5' })
        .reply(200, certificateBundle(V1))
        .get(`/secrets/bff-cert/${V1}`)
        .query({ 'api-version': '7.5' })
        .reply(200, pfxSecret());
      const cred = await src.get();
      expect(cred).to.have.nested.property('clientCertificate.thumbprintSha256', THUMBPRINT);
      first.done();
      expect(runs).to.have.length(1);
      expect(runs[0]!.everyMs).to.equal(60_000);

      // Unchanged version: one small request, the secret is not read again.
      const same = kv().get('/certificates/bff-cert').query(true).reply(200, certificateBundle(V1));
      expect(await src.refresh()).to.equal(false);
      same.done();

      // Rotated: a new key pair served as PEM.
      const { generateKeyPairSync } = await import('node:crypto');
      const { generate } = await import('selfsigned');
      const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const pems = await generate([{ name: 'commonName', value: 'rotated' }], {
        keyPair: {
          privateKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
          publicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }) as string,
        },
      } as never);
      const rotated = kv()
        .get('/certificates/bff-cert')
        .query(true)
        .reply(200, certificateBundle(V2))
        .get(`/secrets/bff-cert/${V2}`)
        .query(true)
        .reply(200, pemSecret(`${pems.private}\n${pems.cert}`));
      runs[0]!.run();
      await new Promise((r) => setTimeout(r, 200));
      rotated.done();
      const next = await src.get();
      expect(next).to.have.nested.property(
        'clientCertificate.thumbprintSha256',
        decodePemBundle(`${pems.private}\n${pems.cert}`).thumbprintSha256,
      );
      expect(next).to.not.have.nested.property('clientCertificate.thumbprintSha256', THUMBPRINT);
      expect(logs.text()).to.match(/"rotated":true/);
      expect(logs.text()).to.not.include('PRIVATE KEY');

      // A failed re-read keeps the current certificate.
      const down = kv()
        .get('/certificates/bff-cert')
        .query(true)
        .reply(403, { error: { code: 'Forbidden', message: 'no' } });
      expect(await src.refresh()).to.equal(false);
      down.done();
      expect(await src.get()).to.deep.equal(next);
      src.close();
      expect(runs[0]!.cancelled).to.equal(true);
    });

    it('a missing certificate stops start-up with a message naming it (and the next attempt tries again)', async () => {
      const src = source(kvCredential);
      const missing = kv()
        .get('/certificates/bff-cert')
        .query(true)
        .twice()
        .reply(404, {
          error: {
            code: 'CertificateNotFound',
            message: 'A certificate with (name/id) bff-cert was not found in this key vault.',
          },
        });
      for (let i = 0; i < 2; i++) {
        const err = await src.get().catch((e: unknown) => e);
        expect(err).to.be.instanceOf(ClientCredentialError);
        expect((err as Error).message).to.match(
          /^ENTRA_CLIENT_CERTIFICATE_NAME: The certificate "bff-cert" in https:\/\/contoso-vault\.vault\.azure\.net does not exist/,
        );
      }
      missing.done();
      src.close();
    });

    it('never sends the vault token to a secret id outside the configured vault', async () => {
      const src = source(kvCredential);
      const bundle = { ...certificateBundle(V1), sid: `https://evil.example/secrets/bff-cert/${V1}` };
      const scope = kv().get('/certificates/bff-cert').query(true).reply(200, bundle);
      const err = await src.get().catch((e: unknown) => e);
      expect((err as Error).message).to.match(/secret id outside the vault/);
      scope.done();
      src.close();
    });
  });
});
