// Key Vault certificates declared in the config file (inline PEM, key + certificate files, a password-less PFX,
// generated), read back through Get Certificate and Get Secret, trusted by the apps they are registered on.
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { generate } from 'selfsigned';
import { EmulatorConfigError, type RunningEmulator } from '../../emulator/index';
import { clientCredentialsWithCertificate, startTestEmulator } from './helpers';

const FIXTURES = resolve('test/fixtures/credentials');
const TENANT = '11111111-1111-4111-8111-111111111111';
const APP = '22222222-2222-4222-8222-222222222222';
const MI_PRINCIPAL = '33333333-3333-4333-8333-333333333333';
const PEM_V1 = '0123456789abcdef0123456789abcdef';
const PEM_V2 = 'fedcba9876543210fedcba9876543210';

const config = (certificates: unknown[]) => ({
  tenants: [{ id: TENANT, displayName: 'T' }],
  apps: [{ clientId: APP, displayName: 'App', webRedirectUris: [], secrets: ['secret-123'] }],
  managedIdentities: [
    {
      clientId: '44444444-4444-4444-8444-444444444444',
      principalId: MI_PRINCIPAL,
      resourceId: '/subscriptions/x/resourceGroups/y/providers/Microsoft.Web/sites/z',
      systemAssigned: true,
    },
  ],
  keyVault: { secretReaders: [MI_PRINCIPAL], certificates },
});

function writeConfig(raw: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'emu-kv-'));
  const file = join(dir, 'emulator.json');
  writeFileSync(file, JSON.stringify(raw));
  return file;
}

describe('emulator config: Key Vault certificates', () => {
  let emu: RunningEmulator | undefined;
  afterEach(async () => emu?.close());

  const kvGet = async (path: string) => {
    const q = new URLSearchParams({ 'api-version': '2019-08-01', resource: 'https://vault.azure.net' });
    const mi = await fetch(`${emu!.urls.identityEndpoint}?${q}`, {
      headers: { 'X-IDENTITY-HEADER': emu!.identityHeader },
    });
    const token = ((await mi.json()) as { access_token: string }).access_token;
    const res = await fetch(`${emu!.urls.keyVault}${path}?api-version=7.5`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const thumbprint = (der: string | Buffer) =>
    new X509Certificate(typeof der === 'string' ? Buffer.from(der, 'base64') : der).fingerprint256;

  it('serves every declared kind with its versions, the key as the secret, and registered apps trust each version', async () => {
    const older = await generate([{ name: 'commonName', value: 'inline v1' }], { keySize: 2048, algorithm: 'sha256' });
    const current = await generate([{ name: 'commonName', value: 'inline v2' }], {
      keySize: 2048,
      algorithm: 'sha256',
    });
    const fixtureCert = readFileSync(join(FIXTURES, 'cert.pem'), 'utf8');
    emu = await startTestEmulator({
      configPath: writeConfig(
        config([
          {
            name: 'inline-cert',
            registeredOn: [APP],
            versions: [
              { version: PEM_V1, created: 1_700_000_000, pem: `${older.private}\n${older.cert}` },
              { version: PEM_V2, pem: `${current.cert}\n${current.private}` },
            ],
          },
          {
            name: 'file-cert',
            versions: [{ certificateFile: join(FIXTURES, 'cert.pem'), keyFile: join(FIXTURES, 'key.pem') }],
          },
          { name: 'pfx-cert', versions: [{ pfxFile: join(FIXTURES, 'client-nopass.pfx') }] },
          { name: 'made-here', registeredOn: [APP], versions: [{ generate: { commonName: 'generated.example' } }] },
        ]),
      ),
    });

    // Versions: the last is current; the older one stays readable by its id.
    const inline = await kvGet('/certificates/inline-cert');
    expect(inline.status).to.equal(200);
    expect(inline.body.sid).to.equal(`${emu.urls.keyVault}/secrets/inline-cert/${PEM_V2}`);
    expect(thumbprint(String(inline.body.cer))).to.equal(new X509Certificate(current.cert).fingerprint256);
    const v1 = await kvGet(`/certificates/inline-cert/${PEM_V1}`);
    expect(v1.body).to.have.nested.property('attributes.created', 1_700_000_000);
    const v1Secret = await kvGet(`/secrets/inline-cert/${PEM_V1}`);
    expect(v1Secret.body).to.include({ contentType: 'application/x-pem-file', managed: true });
    expect(String(v1Secret.body.value)).to.include(new X509Certificate(older.cert).toString().trim());

    // Certificate + key files: served as the PEM bundle.
    const file = await kvGet('/certificates/file-cert');
    expect(thumbprint(String(file.body.cer))).to.equal(new X509Certificate(fixtureCert).fingerprint256);
    const fileSecret = await kvGet(new URL(String(file.body.sid)).pathname);
    expect(String(fileSecret.body.value)).to.match(/-----BEGIN PRIVATE KEY-----[\s\S]+-----BEGIN CERTIFICATE-----/);

    // A PFX import: the secret is the password-less PKCS#12, as Key Vault serves it.
    const pfx = await kvGet('/certificates/pfx-cert');
    expect(pfx.body).to.have.nested.property('policy.secret_props.contentType', 'application/x-pkcs12');
    expect(thumbprint(String(pfx.body.cer))).to.equal(new X509Certificate(fixtureCert).fingerprint256);
    const pfxSecret = await kvGet(new URL(String(pfx.body.sid)).pathname);
    expect(pfxSecret.body.contentType).to.equal('application/x-pkcs12');
    expect(pfxSecret.body.value).to.equal(readFileSync(join(FIXTURES, 'client-nopass.pfx')).toString('base64'));

    // Generated at start, with the given subject.
    const made = await kvGet('/certificates/made-here');
    expect(new X509Certificate(Buffer.from(String(made.body.cer), 'base64')).subject).to.equal('CN=generated.example');

    // registeredOn: the app accepts assertions signed with each version's key (and only registered certificates).
    for (const v of [older, current])
      expect(await clientCredentialsWithCertificate(emu, APP, v.cert, v.private)).to.deep.equal({ status: 200 });
    const key = readFileSync(join(FIXTURES, 'key.pem'), 'utf8');
    expect(await clientCredentialsWithCertificate(emu, APP, fixtureCert, key)).to.deep.equal({
      status: 401,
      errorCodes: [700027],
    });
    // Rotation adds a version the registered app trusts at once.
    const rotated = await emu.admin.rotateCertificate('made-here');
    const afterRotation = await kvGet('/certificates/made-here');
    expect(afterRotation.body.sid).to.equal(`${emu.urls.keyVault}/secrets/made-here/${rotated}`);
    const bundle = String((await kvGet(`/secrets/made-here/${rotated}`)).body.value);
    const [keyPem, certPem] = [
      /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/,
      /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/,
    ].map((re) => re.exec(bundle)![0]);
    expect(await clientCredentialsWithCertificate(emu, APP, certPem!, keyPem!)).to.deep.equal({ status: 200 });
    // The emulator's own client certificate is still there (no certificate here has its name).
    expect((await kvGet('/certificates/bff-client-cert')).status).to.equal(200);
  });

  it('reports each certificate mistake with its path', async () => {
    const problems = async (certificates: unknown[]) => {
      try {
        emu = await startTestEmulator({ configPath: writeConfig(config(certificates)) });
      } catch (err) {
        if (err instanceof EmulatorConfigError) return err.problems;
        throw err;
      }
      throw new Error('the config loaded, but problems were expected');
    };
    const [certOnly] = [readFileSync(join(FIXTURES, 'cert.pem'), 'utf8')];
    expect(
      await problems([
        { name: 'two-sources', versions: [{ generate: {}, pfxFile: 'x.pfx' }] },
        { name: 'no-key', versions: [{ pem: certOnly }] },
        { name: 'bad_name', versions: [{ generate: {} }] },
        {
          name: 'missing',
          registeredOn: ['55555555-5555-4555-8555-555555555555'],
          versions: [{ pemFile: 'nope.pem' }],
        },
      ]),
    ).to.deep.equal([
      'keyVault.certificates[0].versions[0]: must have exactly one of pem, pemFile, certificateFile, pfxFile, generate (has pfxFile, generate)',
      'keyVault.certificates[2].name: must be 1-127 letters, digits or dashes (Key Vault certificate names)',
    ]);
    expect(
      await problems([
        { name: 'no-key', versions: [{ pem: certOnly }] },
        {
          name: 'missing',
          registeredOn: ['55555555-5555-4555-8555-555555555555'],
          versions: [{ pemFile: 'nope.pem' }],
        },
      ]),
    ).to.deep.equal([
      'keyVault.certificates[1].registeredOn[0]: names app "55555555-5555-4555-8555-555555555555", which is not declared in apps',
    ]);
    const [noKey, missing] = await problems([
      { name: 'no-key', versions: [{ pem: certOnly }] },
      { name: 'missing', versions: [{ pemFile: 'nope.pem' }] },
    ]);
    expect(noKey).to.equal(
      'keyVault.certificates[0].versions[0].pem: holds no unencrypted private key (BEGIN PRIVATE KEY)',
    );
    expect(missing).to.match(
      /^keyVault\.certificates\[1\]\.versions\[0\]\.pemFile: cannot read .*nope\.pem \(ENOENT\)$/,
    );
    // A PFX with a password: Key Vault would have removed it on import.
    const [passworded] = await problems([
      { name: 'passworded', versions: [{ pfxFile: join(FIXTURES, 'client.pfx') }] },
    ]);
    expect(passworded).to.match(
      /^keyVault\.certificates\[0\]\.versions\[0\]\.pfxFile: is not a password-less PKCS#12 file/,
    );
  });
});
