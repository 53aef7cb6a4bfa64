// One emulator per suite for /api tests against real Entra-, Graph-, managed-identity- and Key Vault-shaped HTTP:
// the hooks that start and reset it, a BFF configured for its ports, and the browser leg of a sign-in.
// Needs NODE_EXTRA_CA_CERTS for the emulator's CA: run through `tsx scripts/withEmulatorCa.ts mocha`.
import { expect } from 'chai';
import type request from 'supertest';
import { loadConfig } from '../../../config/loadConfig';
import { startEmulator, type RunningEmulator } from '../../../emulator/index';
import { authorize, type Browser } from '../../emulator/helpers';
import { resetManagedIdentityProcessState, setManagedIdentityEnv } from '../../helpers/managedIdentityEnv';
import { buildApiTestApp, type ApiTestApp } from './apiTestApp';

export type Agent = ReturnType<typeof request.agent>;

export interface EmulatorApiFixture {
  /** The running emulator (set in the suite's `before`). */
  readonly emu: RunningEmulator;
  /** A BFF in emulator mode pointed at the emulator's ports; `extra` adds or overrides settings. */
  app(extra?: Record<string, string>): ApiTestApp;
  /** Follows a BFF redirect to the emulator's /authorize as `user`, then the callback; returns where the BFF sends the browser. */
  completeSignIn(agent: Agent, browser: Browser, authorizeUrl: string, user: string): Promise<string>;
  /** GETs a BFF path that redirects to /authorize (a sign-in or consent start), then completes the sign-in as `user`. */
  signInVia(agent: Agent, browser: Browser, bffPath: string, user: string): Promise<string>;
}

async function completeSignIn(agent: Agent, browser: Browser, authorizeUrl: string, user: string): Promise<string> {
  const out = await authorize(browser, authorizeUrl, user, 'accept');
  expect(out.location, out.page?.slice(0, 300)).to.match(/^http:\/\/localhost:3000\/auth\/callback\?/);
  const cb = new URL(out.location!);
  return (await agent.get(cb.pathname + cb.search).expect(302)).headers.location as string;
}

/** Registers the suite's hooks: start the emulator once, reset it and the managed-identity state before each test. */
export function useEmulatorForApi(): EmulatorApiFixture {
  let emu: RunningEmulator | undefined;
  let restoreEnv: (() => void) | undefined;

  const running = (): RunningEmulator => {
    if (!emu) throw new Error('the emulator starts in the suite’s before hook');
    return emu;
  };

  before(async () => {
    emu = await startEmulator({
      rootDir: process.cwd(),
      ports: { entra: 0, graph: 0, keyVault: 0, managedIdentity: 0 },
      testHooks: true,
    });
    restoreEnv = setManagedIdentityEnv(emu.urls.identityEndpoint, emu.identityHeader);
  });
  after(async () => {
    restoreEnv?.();
    await emu?.close();
  });
  beforeEach(() => {
    running().admin.reset();
    resetManagedIdentityProcessState();
  });

  return {
    get emu() {
      return running();
    },
    app(extra = {}) {
      const { ports } = running();
      const config = loadConfig({
        AUTH_MODE: 'emulator',
        NODE_ENV: 'test',
        PUBLIC_URL: 'http://localhost:3000',
        CLIENT_DIST_DIR: 'test/fixtures/no-dist',
        EMULATOR_ENTRA_PORT: String(ports.entra),
        EMULATOR_GRAPH_PORT: String(ports.graph),
        EMULATOR_KEYVAULT_PORT: String(ports.keyVault),
        EMULATOR_MI_PORT: String(ports.managedIdentity),
        ...extra,
      });
      return buildApiTestApp({ config });
    },
    completeSignIn,
    async signInVia(agent, browser, bffPath, user) {
      const start = await agent.get(bffPath).expect(302);
      return completeSignIn(agent, browser, start.headers.location as string, user);
    },
  };
}
