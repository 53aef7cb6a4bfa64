// The production path end to end, driven by the Dockerfile itself: its stages are replayed on the host (build stage:
// npm ci + npm run build in a copy of the build context; runtime stage: package.json/lock + `npm ci --omit=dev` + the
// built dist/), then the image's CMD is started with the image's ENV (NODE_ENV=production) against the emulator,
// started separately and configured like a real Entra tenant (its CA passed in NODE_EXTRA_CA_CERTS, AUTH_MODE=entra),
// and a user signs in through it. The HEALTHCHECK command and SIGTERM are exercised too. No container engine is used:
// the image build itself is not tested here (docs/deployment.md says so).
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { RunningEmulator } from '../../emulator/index';
import { authorize, Browser, startTestEmulator } from '../emulator/helpers';
import { freePort } from '../helpers/redis';
import { parseDockerfile, replayDockerfile, type ReplayedStage } from './dockerfile';
import { startBffProcess, type BffProcess } from './processHarness';

const USER = 'adele.vance@contoso.example';

/** A cookie jar for the BFF origin (Secure/__Host- cookies included: the test talks plain http to a TLS-terminated app). */
class BffClient {
  readonly jar = new Map<string, string>();
  readonly setCookies: string[] = [];
  constructor(readonly base: string) {}

  async get(pathOrUrl: string, headers: Record<string, string> = {}): Promise<Response> {
    const url = new URL(pathOrUrl, this.base);
    const res = await fetch(`${this.base}${url.pathname}${url.search}`, {
      redirect: 'manual',
      headers: {
        accept: 'text/html',
        ...headers,
        ...(this.jar.size ? { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
      },
    });
    for (const line of res.headers.getSetCookie()) {
      this.setCookies.push(line);
      const [pair = ''] = line.split(';');
      const i = pair.indexOf('=');
      if (pair.slice(i + 1) === '' || /max-age=0/i.test(line)) this.jar.delete(pair.slice(0, i));
      else this.jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return res;
  }
}

function run(command: string, args: string[], options: { cwd: string; env: Record<string, string> }): Promise<number> {
  return new Promise((resolve) =>
    execFile(command, args, { ...options, timeout: 15_000 }, (err) =>
      resolve(err ? ((err as { code?: number }).code ?? 1) : 0),
    ),
  );
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

describe('production image (Dockerfile replayed on the host) against the emulator as a real identity provider', function () {
  this.timeout(20 * 60_000);
  let work: string;
  let image: ReplayedStage;
  let emu: RunningEmulator;
  let bff: BffProcess | undefined;
  let port: number;
  let metricsPort: number;
  let env: Record<string, string>;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'hsb-image-'));
    const stages = parseDockerfile(readFileSync('Dockerfile', 'utf8'));
    // The host's PATH minus this checkout's node_modules/.bin, so RUN steps only see what they install themselves.
    const path = (process.env.PATH ?? '')
      .split(delimiter)
      .filter((p) => !p.includes('node_modules'))
      .join(delimiter);
    const replayed = replayDockerfile(stages, {
      contextDir: process.cwd(),
      workDir: work,
      baseEnv: { PATH: path, HOME: process.env.HOME ?? '/root' },
    });
    image = replayed.at(-1)!;

    port = await freePort();
    metricsPort = await freePort();
    const publicUrl = `https://localhost:${port}`;
    emu = await startTestEmulator({
      // The app registration of a real tenant: this deployment's redirect URIs.
      seed: (seed) => {
        const app = seed.apps[0]!;
        app.webRedirectUris.push(`${publicUrl}/auth/callback`);
        app.spaRedirectUris.push(`${publicUrl}/`);
        app.postLogoutRedirectUris.push(`${publicUrl}/`);
        return seed;
      },
    });
    env = {
      PATH: path,
      HOME: process.env.HOME ?? '/root',
      ...image.env, // NODE_ENV=production, HOST, PORT from the Dockerfile; `docker run -e` overrides below
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: publicUrl,
      AUTH_MODE: 'entra',
      ENTRA_INSTANCE: emu.urls.instance,
      ENTRA_TENANT_ID: emu.tenantId,
      ENTRA_CLIENT_ID: emu.clientId,
      ENTRA_CLIENT_SECRET: emu.clientSecret,
      ENTRA_KNOWN_AUTHORITIES: new URL(emu.urls.instance).host,
      GRAPH_BASE_URL: emu.urls.graph,
      KEY_VAULT_URL: emu.urls.keyVault,
      KEY_VAULT_SECRET_NAMES: 'demo-secret',
      IDENTITY_ENDPOINT: emu.urls.identityEndpoint,
      IDENTITY_HEADER: emu.identityHeader,
      SESSION_KEYS: randomBytes(36).toString('base64url'),
      METRICS_PORT: String(metricsPort),
      LOG_LEVEL: 'info',
      // As with any private CA: the operator passes it explicitly; the app never trusts the emulator by itself.
      NODE_EXTRA_CA_CERTS: emu.certificates.paths.caCert,
    };
  });

  after(async () => {
    bff?.kill();
    await emu?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('the image holds production dependencies only and a server bundle without emulator, scripts or tests', () => {
    expect(image.env.NODE_ENV).to.equal('production');
    expect(image.user, 'runs as a non-root user').to.equal('node');
    expect(image.runs.map((r) => r.command).join('\n')).to.include('npm ci --omit=dev');
    const modules = join(image.workdir, 'node_modules');
    for (const dev of ['tsx', 'webpack', 'mocha', 'esbuild', 'typescript', 'playwright-core', 'nock']) {
      expect(existsSync(join(modules, dev)), `devDependency ${dev} installed in the image`).to.equal(false);
    }
    for (const prod of ['koa', '@azure/msal-node', 'prom-client'])
      expect(existsSync(join(modules, prod)), prod).to.equal(true);
    const meta = JSON.parse(readFileSync(join(image.workdir, 'dist/server/meta.json'), 'utf8')) as {
      inputs: Record<string, unknown>;
    };
    const inputs = Object.keys(meta.inputs);
    expect(
      inputs.filter((i) => !/^(bff|config|shared-types)\//.test(i)),
      'bundled files outside bff/, config/, shared-types/',
    ).to.deep.equal([]);
    expect(existsSync(join(image.workdir, 'dist/client/index.html')), 'the SPA is in the image').to.equal(true);
    expect(
      existsSync(join(image.workdir, 'emulator')) || existsSync(join(image.workdir, 'bff')),
      'no sources in the image',
    ).to.equal(false);
  });

  it('CMD starts in production mode, signs a user in through the emulator, answers the HEALTHCHECK and stops on SIGTERM', async () => {
    const [command, ...args] = image.cmd!;
    expect(command).to.equal('node');
    const spawnedAt = performance.now();
    bff = startBffProcess(process.execPath, args, { cwd: image.workdir, env });
    const ready = await bff.waitForLog((l) => l.msg === 'ready', 60_000, 'the ready log line');
    const startupMs = performance.now() - spawnedAt;
    expect(bff.logs.find((l) => l.msg === 'BFF listening')).to.include({ mode: 'entra' });
    const base = `http://127.0.0.1:${port}`;

    // Sign-in: BFF → emulator's /authorize (as a browser would) → the BFF callback (public https URL, served on http here).
    const client = new BffClient(base);
    const start = await client.get('/auth/signin?returnTo=/');
    expect(start.status).to.equal(302);
    const authorizeUrl = start.headers.get('location')!;
    expect(new URL(authorizeUrl).origin).to.equal(emu.urls.instance);
    const out = await authorize(new Browser(), authorizeUrl, USER);
    expect(out.location, out.page?.slice(0, 300)).to.match(new RegExp(`^https://localhost:${port}/auth/callback\\?`));
    const callback = await client.get(out.location!);
    expect(callback.status, await callback.clone().text()).to.equal(302);
    const page = await client.get(callback.headers.get('location')!);
    expect(page.status).to.equal(200);
    const html = await page.text();
    const bootstrap = JSON.parse(
      /<script type="application\/json" id="bootstrap">([\s\S]*?)<\/script>/.exec(html)![1]!,
    ) as { spaCode: string | null; account: { username: string } | null };
    expect(bootstrap.account?.username).to.equal(USER);
    expect(bootstrap.spaCode, 'the hybrid spa code').to.be.a('string');
    expect(client.setCookies.find((c) => c.startsWith('__Host-hsb='))).to.match(/; secure/i);
    expect(html, 'the built SPA is served').to.match(/<script[^>]+src="[^"]+\.js"/);

    const api = { accept: 'application/json', 'x-csrf': '1' };
    const me = await client.get('/api/me', api);
    expect(me.status).to.equal(200);
    expect(((await me.json()) as { account: { username: string } }).account.username).to.equal(USER);
    const secret = await client.get('/api/secret', api);
    expect(secret.status, 'Key Vault through the managed identity').to.equal(200);
    const rss = rssMiB(bff.child.pid!);

    const [hcCommand, ...hcArgs] = image.healthcheck!;
    expect(hcCommand).to.equal('node');
    expect(await run(process.execPath, hcArgs, { cwd: image.workdir, env })).to.equal(0);
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).to.match(/^hsb_signins_total\{event="completed",reason=""\} 1$/m);
    expect(metrics).to.match(/^hsb_process_resident_memory_bytes \d+/m);
    expect((await client.get('/metrics', api)).status, 'no /metrics on the public port').to.equal(404);

    bff.child.kill('SIGTERM');
    expect(await bff.exited).to.deep.equal({ code: 0, signal: null });
    expect(
      await run(process.execPath, hcArgs, { cwd: image.workdir, env }),
      'HEALTHCHECK fails once the server is gone',
    ).to.equal(1);
    expect(
      bff.logs.filter((l) => typeof l.level === 'number' && l.level >= 50),
      'no error logs',
    ).to.deep.equal([]);
    // Informational (speed goals live in bench/): what this run measured.
    console.log(
      `      production process: ready ${Math.round(startupMs)} ms after spawn (own measure ${String(ready.startupMs)} ms), RSS ${rss.toFixed(1)} MiB after a sign-in`,
    );
  });
});
