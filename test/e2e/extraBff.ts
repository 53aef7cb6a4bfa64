// A second BFF on the shared emulator and browser, with adjusted settings (short session timeouts) and a restart
// that keeps its port (a memory store then forgets every session, as a real restart does).
import type { Config } from '../../config/types';
import { createLogger } from '../../bff/http/logger';
import { startBff, type RunningBff } from '../../bff/server';
import { bffConfigFor, freePort, type Stack } from './harness';

export interface ExtraStack extends Stack {
  /** Stops the BFF and starts a fresh one (new stores) on the same port. */
  restart(): Promise<void>;
}

export async function startExtraBff(base: Stack, adjust: (config: Config) => Config): Promise<ExtraStack> {
  const port = await freePort();
  const config = Object.freeze(adjust({ ...bffConfigFor(base.emulator, port) }));
  let bff: RunningBff = await startBff(config, createLogger('silent'));
  // Front-channel logout iframes of the emulator's sign-out page go to this BFF.
  base.emulator.admin.setFrontChannelLogoutUrl(
    base.emulator.clientId,
    `${config.server.publicUrl}/auth/frontchannel-logout`,
  );
  const stack: ExtraStack = {
    emulator: base.emulator,
    browser: base.browser,
    config,
    appUrl: config.server.publicUrl,
    get bff() {
      return bff;
    },
    async restart() {
      await bff.close(500);
      bff = await startBff(config, createLogger('silent'));
    },
    async close() {
      await bff.close(500);
      base.emulator.admin.setFrontChannelLogoutUrl(base.emulator.clientId, null);
    },
  };
  return stack;
}

/** The config with the SPA's session-following settings and the idle lifetime replaced. */
export function withSession(config: Config, spa: Partial<Config['session']['spa']>, idleTimeoutMs?: number): Config {
  return {
    ...config,
    session: { ...config.session, spa: { ...config.session.spa, ...spa }, ...(idleTimeoutMs ? { idleTimeoutMs } : {}) },
  };
}
