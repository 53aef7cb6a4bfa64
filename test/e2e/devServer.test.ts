// Scenario 8: the `npm run dev` workflow, webpack-dev-server serving the SPA and proxying /auth and /api to the BFF.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { RunningBff } from '../../bff/server';
import { freePort, ROOT_DIR, startBffFor, type Stack } from './harness';
import { expectNoProblems, homeFacts, signInToProfile } from './flows';
import { openSessionOn, stack } from './setup';

const READY_TIMEOUT_MS = 120_000;

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

  before(async function () {
    this.timeout(READY_TIMEOUT_MS + 30_000);
    const devPort = await freePort();
    // The BFF sits behind the proxy: the browser's origin (and the redirect URIs) are the dev server's.
    const started = await startBffFor(stack().emulator, devPort);
    bff = started.bff;
    devStack = { ...stack(), bff, config: started.config, appUrl: started.config.server.publicUrl };
    // webpack.config.ts reads the BFF's port (the proxy target) from PORT; --port moves the dev server itself.
    devServer = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT_DIR, 'node_modules/webpack-cli/bin/cli.js'), 'serve', '--mode', 'development', '--port', String(devPort), '--no-open'],
      {
        cwd: ROOT_DIR,
        env: { ...process.env, AUTH_MODE: 'emulator', PORT: String(started.config.server.port), NODE_ENV: 'development' },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
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
  });

  it('8. signing in through webpack-dev-server proxying to the BFF ends with the profile data', async () => {
    const session = await openSessionOn(devStack!, 'adele-dev-server');
    await signInToProfile(session, 'adele');

    // The dev server's index.html has no bootstrap: the SPA asked the BFF through the proxy.
    expect(session.requests.some((r) => r.url === `${devStack!.appUrl}/api/bootstrap` && r.status === 200), 'bootstrap fetched via the proxy').to.equal(true);
    expect(session.authorizeNavigations(), '/authorize navigations').to.have.length(1);
    expect(session.tokenRequests().map((t) => t.form?.grant_type), 'browser token requests').to.deep.equal(['authorization_code']);
    expect(await homeFacts(session.page)).to.include({ status: 'authenticated', source: 'hybrid_code' });
    expectNoProblems(session);
  });
});
