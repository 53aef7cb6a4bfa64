// Both entry points (the production server and npm start) answer a configuration problem the same way: the list of
// problems on stderr, no stack, exit code 78 (EX_CONFIG), nothing started.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EX_CONFIG } from '../../config/loadConfigOrExit';

const TSX = resolve('node_modules/.bin/tsx');

function run(entry: string, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // Only what tsx needs, plus a setting no configuration accepts.
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', AUTH_MODE: 'not-a-mode' };
  const child = spawn(TSX, [resolve(entry)], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.once('exit', (code) => done({ code, stdout, stderr })));
}

describe('an invalid configuration at start-up', function () {
  this.timeout(30_000);
  let cwd: string;
  before(() => (cwd = mkdtempSync(join(tmpdir(), 'hsb-config-'))));
  after(() => rmSync(cwd, { recursive: true, force: true }));

  for (const entry of ['bff/main.ts', 'scripts/start.ts']) {
    it(`${entry}: prints the problems without a stack and exits ${EX_CONFIG}`, async () => {
      const { code, stdout, stderr } = await run(entry, cwd);
      expect(code, stderr).to.equal(EX_CONFIG);
      expect(stderr)
        .to.match(/^Invalid configuration \(\d+ problems?\):\n/)
        .and.match(/\n {2}- AUTH_MODE: /);
      expect(stderr).not.to.match(/\n\s+at /);
      expect(stdout).to.equal('');
    });
  }
});
