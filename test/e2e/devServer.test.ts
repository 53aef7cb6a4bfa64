// Scenario 8: the `npm run dev` workflow — webpack-dev-server (scripts/webpack.ts serve) serving the SPA, proxying /auth
// and /api to the BFF, and React Fast Refresh applying an edit without a reload. The dev server runs from a temporary
// COPY of the project's sources (node_modules linked), so the edit never touches the real files.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningBff } from '../../bff/server';
import { freePort, ROOT_DIR, startBffFor, writeJsonArtifact, type Stack } from './harness';
import { expectNoProblems, homeFacts, signInToProfile } from './flows';
import { openSessionOn, stack } from './setup';

const READY_TIMEOUT_MS = 120_000;
/** What the dev server needs to build the SPA: its sources, the config loader and the webpack entry points. */
const COPIED = [
  'client',
  'shared-types',
  'config',
  'scripts/webpack.ts',
  'webpack.config.ts',
  'package.json',
  'tsconfig.json',
];

/** Polls until the dev server answers / with the SPA's HTML (it holds requests until the first compile is done). */
async function waitForDevServer(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`webpack-dev-server exited with ${child.exitCode}:\n${output()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      if (res.ok && (await res.text()).includes('id="root"')) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`webpack-dev-server did not come up at ${url} within ${READY_TIMEOUT_MS} ms:\n${output()}`);
}

describe('e2e: dev-server workflow', function () {
  this.timeout(READY_TIMEOUT_MS + 60_000);
  let devServer: ChildProcess | null = null;
  let bff: RunningBff | null = null;
  let devStack: Stack | null = null;
  let output = '';
  let copyDir = '';
  let devPort = 0;

  before(async function () {
    this.timeout(READY_TIMEOUT_MS + 30_000);
    copyDir = mkdtempSync(join(tmpdir(), 'hsb-dev-'));
    for (const path of COPIED) cpSync(join(ROOT_DIR, path), join(copyDir, path), { recursive: true });
    symlinkSync(join(ROOT_DIR, 'node_modules'), join(copyDir, 'node_modules'), 'dir');
    devPort = await freePort();
    // The BFF sits behind the proxy: the browser's origin (and the redirect URIs) are the dev server's.
    const started = await startBffFor(stack().emulator, devPort);
    bff = started.bff;
    devStack = { ...stack(), bff, config: started.config, appUrl: started.config.server.publicUrl };
    // PORT is the BFF's (the proxy target); DEV_SERVER_HOST/PORT place the dev server itself.
    devServer = spawn(process.execPath, ['--import', 'tsx', 'scripts/webpack.ts', 'serve'], {
      cwd: copyDir,
      env: {
        ...process.env,
        AUTH_MODE: 'emulator',
        PORT: String(started.config.server.port),
        DEV_SERVER_HOST: '127.0.0.1',
        DEV_SERVER_PORT: String(devPort),
        NODE_ENV: 'development',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    devServer.stdout!.on('data', keep);
    devServer.stderr!.on('data', keep);
    await waitForDevServer(`http://localhost:${devPort}/`, devServer, () => output);
  });

  after(async () => {
    if (devServer?.pid && devServer.exitCode === null) {
      const exited = new Promise((resolve) => devServer!.once('exit', resolve));
      // Its own process group: stops webpack's workers with it.
      process.kill(-devServer.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    }
    await bff?.close(1_000);
    if (copyDir) rmSync(copyDir, { recursive: true, force: true });
  });

  it('8. signing in through webpack-dev-server proxying to the BFF ends with the profile data', async () => {
    const session = await openSessionOn(devStack!, 'adele-dev-server');
    await signInToProfile(session, 'adele');

    // The dev server's index.html has no bootstrap: the SPA asked the BFF through the proxy.
    expect(
      session.requests.some((r) => r.url === `${devStack!.appUrl}/api/bootstrap` && r.status === 200),
      'bootstrap fetched via the proxy',
    ).to.equal(true);
    expect(session.authorizeNavigations(), '/authorize navigations').to.have.length(1);
    expect(
      session.tokenRequests().map((t) => t.form?.grant_type),
      'browser token requests',
    ).to.deep.equal(['authorization_code']);
    expect(await homeFacts(session.page)).to.include({ status: 'authenticated', source: 'hybrid_code' });
    expectNoProblems(session);
  });

  it('8b. the dev server listens on loopback only, on the configured port', async () => {
    expect(output).to.match(new RegExp(`127\\.0\\.0\\.1:${devPort}`));
    const lan = (await import('node:os')).networkInterfaces();
    const external = Object.values(lan)
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (external) {
      // Nothing answers on the machine's network address.
      const reached = await fetch(`http://${external.address}:${devPort}/`, {
        signal: AbortSignal.timeout(3_000),
      }).then(
        () => true,
        () => false,
      );
      expect(reached, `dev server reachable on ${external.address}`).to.equal(false);
    }
  });

  it('8c. editing a component applies through React Fast Refresh: the text changes with no reload, the typed value and the sign-in stay', async () => {
    const session = await openSessionOn(devStack!, 'adele-fast-refresh');
    await signInToProfile(session, 'adele');
    const page = session.page;
    await page.getByTestId('nav-send-mail').click();
    await page.getByTestId('send-subject').fill('typed before the edit');
    await page.evaluate(() => ((window as { beforeEdit?: boolean }).beforeEdit = true));
    const mark = session.mark();
    const outputBefore = output.length;

    const file = join(copyDir, 'client/features/mail/SendMailPage.tsx');
    const source = readFileSync(file, 'utf8');
    expect(source).to.contain('<h1>Send mail</h1>');
    const editedAt = Date.now();
    writeFileSync(file, source.replace('<h1>Send mail</h1>', '<h1>Send mail (edited)</h1>'));
    await page.getByRole('heading', { level: 1, name: 'Send mail (edited)' }).waitFor({ timeout: 60_000 });
    const appliedMs = Date.now() - editedAt;

    expect(
      await page.evaluate(() => (window as { beforeEdit?: boolean }).beforeEdit),
      'same document (no reload)',
    ).to.equal(true);
    expect(await page.getByTestId('send-subject').inputValue(), 'typed value kept').to.equal('typed before the edit');
    expect(
      session.since(mark).filter((r) => r.navigation && r.mainFrame),
      'document loads',
    ).to.deep.equal([]);
    // No re-initialisation: no new bootstrap fetch, no token request, nothing to /authorize.
    expect(
      session.since(mark).filter((r) => r.url.endsWith('/api/bootstrap')),
      'bootstrap fetched again',
    ).to.deep.equal([]);
    expect(session.tokenRequests(mark), 'token requests after the edit').to.deep.equal([]);
    expect(
      session.consoleLines.filter((c) => /full reload|Cannot apply update/i.test(c.text)).map((c) => c.text),
    ).to.deep.equal([]);

    const rebuilt = /\[webpack\] rebuilt in (\d+) ms/.exec(output.slice(outputBefore));
    expect(rebuilt, `rebuild line in the dev server output:\n${output.slice(outputBefore)}`).to.not.equal(null);
    const metrics = { rebuildMs: Number(rebuilt![1]), editToScreenMs: appliedMs, measuredAt: new Date().toISOString() };
    const written = writeJsonArtifact('dev-metrics.json', metrics);
    console.log(
      `      fast refresh: webpack rebuilt in ${metrics.rebuildMs} ms, edit → text on screen ${appliedMs} ms → ${written}`,
    );
    expectNoProblems(session);
  });
});
