import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { ConfigError, loadConfig } from '../../config/loadConfig';
import { EMULATOR_DEFAULTS } from '../../config/emulatorDefaults';

const KEY = 'k'.repeat(40);
const entraEnv = {
  AUTH_MODE: 'entra',
  ENTRA_TENANT_ID: 'contoso.onmicrosoft.com',
  ENTRA_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
  ENTRA_CLIENT_SECRET: 's3cret',
  SESSION_KEYS: KEY,
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('runs on the emulator with no settings at all', () => {
    const c = loadConfig({});
    expect(c.mode).to.equal('emulator');
    expect(c.entra.clientId).to.equal(EMULATOR_DEFAULTS.clientId);
    expect(c.entra.authority).to.equal(`https://localhost:8443/${EMULATOR_DEFAULTS.tenantId}`);
    expect(c.entra.knownAuthorities).to.deep.equal(['localhost:8443']);
    expect(c.session.keysEphemeral).to.equal(true);
    expect(c.entra.spaScopes).to.deep.equal(['User.Read', 'Contacts.Read']);
    expect(c.session.cookieName).to.equal('hsb');
  });

  it('switches to Entra when a client id is configured and derives the redirect URIs from PUBLIC_URL', () => {
    const c = loadConfig({ ...entraEnv, AUTH_MODE: '', PUBLIC_URL: 'https://app.example.com/' });
    expect(c.mode).to.equal('entra');
    expect(c.entra.authority).to.equal('https://login.microsoftonline.com/contoso.onmicrosoft.com');
    expect(c.entra.redirectUri).to.equal('https://app.example.com/auth/callback');
    expect(c.session.cookieName).to.equal('__Host-hsb');
    expect(c.session.secureCookies).to.equal(true);
  });

  it('names every problem at once: missing client id, short session key, no credential', () => {
    const problems = problemsOf({ AUTH_MODE: 'entra', ENTRA_TENANT_ID: 'organizations', SESSION_KEYS: 'short' });
    expect(problems.join('\n')).to.match(/ENTRA_CLIENT_ID: required/);
    expect(problems.join('\n')).to.match(/SESSION_KEYS: key #1 is 5 characters/);
    expect(problems.join('\n')).to.match(/client credential is required/);
    expect(problems).to.have.length(3);
  });

  it('refuses both a secret and a certificate', () => {
    const problems = problemsOf({ ...entraEnv, ENTRA_CLIENT_CERTIFICATE_PATH: 'a.pem', ENTRA_CLIENT_PRIVATE_KEY_PATH: 'b.pem' });
    expect(problems).to.deep.equal(['ENTRA_CLIENT_SECRET / ENTRA_CLIENT_CERTIFICATE_PATH: set one client credential, not both']);
  });

  it('reports malformed values with the variable name', () => {
    const problems = problemsOf({ ...entraEnv, PORT: 'abc', ENTRA_CLIENT_ID: 'not-a-guid', STORE: 'mongo' });
    expect(problems.some((p) => p.startsWith('PORT:'))).to.equal(true);
    expect(problems.some((p) => p.startsWith('ENTRA_CLIENT_ID: must be a GUID'))).to.equal(true);
    expect(problems.some((p) => p.startsWith('STORE:'))).to.equal(true);
  });

  it('keeps mail and vault scopes out of the browser', () => {
    const problems = problemsOf({ ...entraEnv, SPA_SCOPES: 'User.Read Mail.Send', SERVER_SCOPES: 'User.Read Mail.Send' });
    expect(problems.join()).to.match(/Mail.Send must stay server-side/);
  });

  it('requires REDIS_URL with STORE=redis', () => {
    expect(problemsOf({ ...entraEnv, STORE: 'redis' }).join()).to.match(/REDIS_URL: required/);
  });

  it('loads a certificate credential with its SHA-256 thumbprint', async () => {
    const { generate } = await import('selfsigned');
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pems = await generate([{ name: 'commonName', value: 'bff' }], {
      keyPair: {
        privateKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
        publicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }) as string,
      },
    } as never);
    const files: Record<string, string> = { '/x/cert.pem': pems.cert, '/x/key.pem': pems.private };
    const c = loadConfig(
      { ...entraEnv, ENTRA_CLIENT_SECRET: '', ENTRA_CLIENT_CERTIFICATE_PATH: '/x/cert.pem', ENTRA_CLIENT_PRIVATE_KEY_PATH: '/x/key.pem' },
      { readFile: (p) => files[p]! },
    );
    expect(c.entra.credential.kind).to.equal('certificate');
    if (c.entra.credential.kind === 'certificate') expect(c.entra.credential.thumbprintSha256).to.match(/^[0-9a-f]{64}$/);
  });

  it('derives 32-byte token-cache keys from the session keys when none are given', () => {
    const c = loadConfig({ ...entraEnv, SESSION_KEYS: `${KEY},${'j'.repeat(32)}` });
    expect(c.tokenCache.encryptionKeys).to.have.length(2);
    expect(c.tokenCache.encryptionKeys[0]!.length).to.equal(32);
  });
});
