// The stack under test: the emulator and the BFF in this process, and Debian's Chromium driven by playwright-core.
import { chromium, type Browser } from 'playwright-core';
import { loadConfig } from '../../../config/loadConfig';
import type { Config } from '../../../config/types';
import { createLogger } from '../../../bff/http/logger';
import { startBff, type RunningBff } from '../../../bff/server';
import { startEmulator, type RunningEmulator } from '../../../emulator/index';
import { CHROMIUM_PATH, ROOT_DIR, ensureClientBuilt, freePort } from './prerequisites';

export interface Stack {
  emulator: RunningEmulator;
  bff: RunningBff;
  config: Readonly<Config>;
  /** http://localhost:<port> */
  appUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

/** The BFF's configuration for an emulator on random ports; `publicPort` is where the browser reaches the app. */
export function bffConfigFor(emulator: RunningEmulator, port: number, publicPort = port): Readonly<Config> {
  return loadConfig(
    {
      AUTH_MODE: 'emulator',
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: String(port),
      PUBLIC_URL: `http://localhost:${publicPort}`,
      EMULATOR_ENTRA_PORT: String(emulator.ports.entra),
      EMULATOR_GRAPH_PORT: String(emulator.ports.graph),
      EMULATOR_KEYVAULT_PORT: String(emulator.ports.keyVault),
      EMULATOR_MI_PORT: String(emulator.ports.managedIdentity),
    },
    { rootDir: ROOT_DIR },
  );
}

export async function startBffFor(
  emulator: RunningEmulator,
  publicPort?: number,
  bffPort?: number,
): Promise<{ bff: RunningBff; config: Readonly<Config> }> {
  const port = bffPort ?? (await freePort());
  const config = bffConfigFor(emulator, port, publicPort ?? port);
  const bff = await startBff(config, createLogger('silent'));
  return { bff, config };
}

export async function startStack(): Promise<Stack> {
  ensureClientBuilt();
  // The BFF's port is chosen first so the app registration (redirect, front-channel logout URLs) names the real one.
  const bffPort = await freePort();
  const emulator = await startEmulator({
    rootDir: ROOT_DIR,
    ports: { entra: 0, graph: 0, keyVault: 0, managedIdentity: 0 },
    testHooks: true,
    // Both MSAL clients declare cp1, so Entra-like CAE tokens would live 24 h — as long as a SPA refresh token. The
    // token-lifetime scenarios (3, 4) need tokens that expire before it; the CAE lifetime itself is covered in
    // test/emulator/identity.test.ts.
    caeAccessTokenLifetimeSeconds: 3599,
    variables: { PUBLIC_URL: `http://localhost:${bffPort}` },
  });
  // msal-node's managed-identity source reads these from the environment (App Service protocol).
  process.env.IDENTITY_ENDPOINT = emulator.urls.identityEndpoint;
  process.env.IDENTITY_HEADER = emulator.identityHeader;
  let bff: RunningBff | null = null;
  try {
    const started = await startBffFor(emulator, undefined, bffPort);
    bff = started.bff;
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // Trust exactly the emulator's certificate, not every invalid one.
        `--ignore-certificate-errors-spki-list=${emulator.spkiHash}`,
      ],
    });
    const running = bff;
    return {
      emulator,
      bff: running,
      config: started.config,
      appUrl: started.config.server.publicUrl,
      browser,
      async close() {
        await browser.close().catch(() => undefined);
        await running.close(2_000);
        await emulator.close();
      },
    };
  } catch (err) {
    await bff?.close(1_000);
    await emulator.close();
    throw err;
  }
}
