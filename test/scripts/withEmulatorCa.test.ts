// scripts/withEmulatorCa.ts trusts the emulator's CA in emulator mode only; an operator's own extra CAs are kept.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emulatorCaDecision } from '../../scripts/emulatorCaPolicy';

const SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'withEmulatorCa.ts');
const PRINT_CA = `process.stdout.write(process.env.NODE_EXTRA_CA_CERTS ?? '<none>')`;

/** NODE_EXTRA_CA_CERTS as the wrapped command sees it, for this environment (the runner's own variables removed). */
function caSeenBy(env: Record<string, string>, envFileArgs: string[] = []): string {
  const base: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  const res = spawnSync(
    process.execPath,
    ['--import', 'tsx', SCRIPT, ...envFileArgs, process.execPath, '-e', PRINT_CA],
    {
      env: { ...base, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  expect(res.status, res.stderr).to.equal(0);
  return res.stdout;
}

describe('withEmulatorCa', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hsb-ca-'));
    writeFileSync(join(dir, 'corporate.pem'), '-----BEGIN CERTIFICATE-----\nY29ycG9yYXRl\n-----END CERTIFICATE-----\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('decides from AUTH_MODE, ENTRA_CLIENT_ID and NODE_ENV exactly as the app picks its mode', () => {
    const cases: [Record<string, string | undefined>, boolean][] = [
      [{}, true],
      [{ AUTH_MODE: 'emulator' }, true],
      [{ AUTH_MODE: ' emulator ', NODE_ENV: 'development' }, true],
      [{ AUTH_MODE: '', ENTRA_CLIENT_ID: '' }, true],
      [{ AUTH_MODE: 'entra' }, false],
      [{ AUTH_MODE: ' entra' }, false],
      [{ ENTRA_CLIENT_ID: '11111111-2222-3333-4444-555555555555' }, false],
      [{ AUTH_MODE: 'Emulator' }, false],
      [{ AUTH_MODE: 'nonsense' }, false],
      [{ NODE_ENV: 'production' }, false],
      [{ NODE_ENV: 'production', AUTH_MODE: 'emulator' }, false],
      [{ NODE_ENV: ' production ' }, false],
      [{ AUTH_MODE: 'emulator', ENTRA_CLIENT_ID: '11111111-2222-3333-4444-555555555555' }, true],
    ];
    for (const [env, trust] of cases) expect(emulatorCaDecision(env).trust, JSON.stringify(env)).to.equal(trust);
  });

  it('trusts the emulator CA in emulator mode, bundling an operator CA with it', function () {
    this.timeout(120_000);
    expect(caSeenBy({})).to.match(/\.emulator[/\\]ca\.pem$/);
    const bundle = caSeenBy({ NODE_EXTRA_CA_CERTS: join(dir, 'corporate.pem') });
    expect(bundle).to.match(/ca-bundle\.pem$/);
    expect(readFileSync(bundle, 'utf8')).to.contain('Y29ycG9yYXRl');
  });

  it('adds nothing to the trust store with AUTH_MODE=entra or NODE_ENV=production, and keeps an explicit NODE_EXTRA_CA_CERTS', function () {
    this.timeout(120_000);
    expect(caSeenBy({ AUTH_MODE: 'entra' })).to.equal('<none>');
    expect(caSeenBy({ NODE_ENV: 'production' })).to.equal('<none>');
    expect(caSeenBy({ AUTH_MODE: 'entra', NODE_EXTRA_CA_CERTS: join(dir, 'corporate.pem') })).to.equal(
      join(dir, 'corporate.pem'),
    );
  });

  it('reads the mode from --dotenv like the app does (the real environment wins)', function () {
    this.timeout(120_000);
    const envFile = join(dir, '.env');
    writeFileSync(envFile, 'AUTH_MODE=entra\nENTRA_CLIENT_ID=11111111-2222-3333-4444-555555555555\n');
    expect(caSeenBy({}, ['--dotenv', envFile])).to.equal('<none>');
    expect(caSeenBy({ AUTH_MODE: 'emulator' }, ['--dotenv', envFile])).to.match(/ca\.pem$/);
  });
});
