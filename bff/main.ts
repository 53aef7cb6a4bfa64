// Composition root: config → logger → BFF server; SIGTERM/SIGINT finish in-flight requests, then close the stores.
import { resolveEnv } from '../config/envFile';
import { ConfigError, loadConfig } from '../config/loadConfig';
import { createLogger } from './http/logger';
import { startBff } from './server';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(resolveEnv(process.env, '.env'));
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const log = createLogger(config.log.level);
  if (config.session.keysEphemeral) log.warn('SESSION_KEYS is not set: using random keys for this run (sessions end on restart)');
  const bff = await startBff(config, log).catch((err: Error) => {
    log.fatal(err.message);
    process.exit(1);
  });
  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down: finishing in-flight requests');
    void bff.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

void main();
