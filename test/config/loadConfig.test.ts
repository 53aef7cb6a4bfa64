import { expect } from 'chai';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
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
    const problems = problemsOf({
      ...entraEnv,
      ENTRA_CLIENT_CERTIFICATE_PATH: 'a.pem',
      ENTRA_CLIENT_PRIVATE_KEY_PATH: 'b.pem',
    });
    expect(problems).to.deep.equal([
      'ENTRA_CLIENT_SECRET / ENTRA_CLIENT_CERTIFICATE_PATH: set one client credential, not both',
    ]);
  });

  it('reports malformed values with the variable name', () => {
    const problems = problemsOf({ ...entraEnv, PORT: 'abc', ENTRA_CLIENT_ID: 'not-a-guid', STORE: 'mongo' });
    expect(problems.some((p) => p.startsWith('PORT:'))).to.equal(true);
    expect(problems.some((p) => p.startsWith('ENTRA_CLIENT_ID: must be a GUID'))).to.equal(true);
    expect(problems.some((p) => p.startsWith('STORE:'))).to.equal(true);
  });

  it('keeps mail and vault scopes out of the browser', () => {
    const problems = problemsOf({
      ...entraEnv,
      SPA_SCOPES: 'User.Read Mail.Send',
      SERVER_SCOPES: 'User.Read Mail.Send',
    });
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
      {
        ...entraEnv,
        ENTRA_CLIENT_SECRET: '',
        ENTRA_CLIENT_CERTIFICATE_PATH: '/x/cert.pem',
        ENTRA_CLIENT_PRIVATE_KEY_PATH: '/x/key.pem',
      },
      { readFile: (p) => files[p]! },
    );
    expect(c.entra.credential.kind).to.equal('certificate');
    if (c.entra.credential.kind === 'certificate')
      expect(c.entra.credential.thumbprintSha256).to.match(/^[0-9a-f]{64}$/);
  });

  it('derives 32-byte token-cache keys from the session keys when none are given', () => {
    const c = loadConfig({ ...entraEnv, SESSION_KEYS: `${KEY},${'j'.repeat(32)}` });
    expect(c.tokenCache.encryptionKeys).to.have.length(2);
    expect(c.tokenCache.encryptionKeys[0]!.length).to.equal(32);
  });

  describe('production footguns', () => {
    const RANDOM_KEY = 'q7Rk2mXv9LpT4wZs8NcY1bHf6JdG3aEu5VnKiOxPrQ';
    const prod = {
      ...entraEnv,
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://app.example.com',
      SESSION_KEYS: RANDOM_KEY,
    };

    it('accepts a production configuration with random keys, hex ones included', () => {
      expect(loadConfig(prod).production).to.equal(true);
      for (let i = 0; i < 200; i++) {
        const hex = randomBytes(16 + (i % 17)).toString('hex');
        const b64 = randomBytes(24 + (i % 24)).toString('base64');
        expect(
          () =>
            loadConfig({
              ...prod,
              SESSION_KEYS: `${hex},${b64}`,
              TOKEN_CACHE_KEYS: randomBytes(32).toString('base64'),
            }),
          `${hex} ${b64}`,
        ).not.to.throw();
      }
    });

    it('refuses COOKIE_SECURE=false with an https PUBLIC_URL', () => {
      expect(problemsOf({ ...prod, COOKIE_SECURE: 'false' })).to.deep.equal([
        'COOKIE_SECURE: false is refused in production with an https PUBLIC_URL (the session cookie would also travel over plain http); remove the setting',
      ]);
      expect(loadConfig({ ...prod, NODE_ENV: 'development', COOKIE_SECURE: 'false' }).session.secureCookies).to.equal(
        false,
      );
    });

    it('refuses obviously weak session and token-cache keys', () => {
      const weak = [
        'k'.repeat(40),
        'abcdabcdabcdabcdabcdabcdabcdabcdabcd',
        'abcdefghijklmnopqrstuvwxyz0123456789',
        'changeme-changeme-please-7Hq2xZ9!kL4',
        '0123456789012345678901234567890123456789',
        'Pa55word-Pa55word-Pa55word-Pa55word-Pa55',
      ];
      for (const key of weak) {
        const problems = problemsOf({ ...prod, SESSION_KEYS: `${RANDOM_KEY},${key}` });
        expect(problems, key).to.have.length(1);
        expect(problems[0], key).to.match(/^SESSION_KEYS: key #2 .*use a random key/);
      }
      expect(problemsOf({ ...prod, TOKEN_CACHE_KEYS: Buffer.alloc(32).toString('base64') })[0]).to.match(
        /^TOKEN_CACHE_KEYS: key #1 has only 1 distinct bytes/,
      );
      // Outside production the same keys are allowed (tests, local runs).
      expect(() => loadConfig({ ...entraEnv, SESSION_KEYS: 'k'.repeat(40) })).not.to.throw();
    });

    it('names the real reason when SESSION_KEYS is missing in production, whatever the store', () => {
      for (const env of [
        { NODE_ENV: 'production' },
        { ...prod, SESSION_KEYS: '' },
        { ...prod, SESSION_KEYS: '', STORE: 'redis', REDIS_URL: 'redis://r:6379' },
      ]) {
        const missing = problemsOf(env).find((p) => p.startsWith('SESSION_KEYS'));
        expect(missing).to.match(/^SESSION_KEYS: required in production \(/);
        expect(missing).not.to.contain('STORE=redis');
      }
      expect(problemsOf({ STORE: 'redis', REDIS_URL: 'redis://r:6379' })).to.deep.equal([
        'SESSION_KEYS: required with STORE=redis (every instance must share the same keys), comma-separated, each at least 32 characters (e.g. `openssl rand -base64 48`)',
      ]);
    });

    it('warns about TRUST_PROXY=true on every interface, not on a specific one', () => {
      for (const host of ['0.0.0.0', '::', undefined]) {
        const c = loadConfig({ ...prod, TRUST_PROXY: 'true', ...(host ? { HOST: host } : {}) });
        expect(c.warnings.join('\n'), String(host)).to.match(
          /TRUST_PROXY=true while listening on all interfaces .*forge X-Forwarded-For/,
        );
      }
      expect(loadConfig({ ...prod, TRUST_PROXY: 'true', HOST: '10.0.0.5' }).warnings).to.deep.equal([]);
      expect(loadConfig({ ...prod, HOST: '0.0.0.0' }).warnings).to.deep.equal([]);
    });
  });

  it('reads the HTTP server timeouts, with defaults, and refuses a headers timeout longer than the request timeout', () => {
    expect(loadConfig({}).server.timeouts).to.deep.equal({ headersMs: 20_000, requestMs: 30_000, keepAliveMs: 5_000 });
    const c = loadConfig({
      SERVER_HEADERS_TIMEOUT_MS: '5000',
      SERVER_REQUEST_TIMEOUT_MS: '8000',
      SERVER_KEEP_ALIVE_TIMEOUT_MS: '65000',
    });
    expect(c.server.timeouts).to.deep.equal({ headersMs: 5_000, requestMs: 8_000, keepAliveMs: 65_000 });
    expect(problemsOf({ SERVER_HEADERS_TIMEOUT_MS: '9000', SERVER_REQUEST_TIMEOUT_MS: '8000' })).to.deep.equal([
      'SERVER_HEADERS_TIMEOUT_MS: 9000 must not exceed SERVER_REQUEST_TIMEOUT_MS (8000)',
    ]);
    expect(problemsOf({ SERVER_HEADERS_TIMEOUT_MS: '10' })[0]).to.match(
      /^SERVER_HEADERS_TIMEOUT_MS: must be at least 1000/,
    );
  });
});
