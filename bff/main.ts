// Composition root: config → logger → stores → services → app → listen; graceful shutdown. Nothing imports it.
import { createServer } from 'node:http';
import { resolveEnv } from '../config/envFile';
import { ConfigError, loadConfig } from '../config/loadConfig';
import type { Config } from '../config/types';
import { createApp } from './app';
import { createLogger } from './http/logger';
import type { Stores } from './services';
import { createServices } from './services';
import { createMemoryStores } from './store/memoryStores';

async function createStores(config: Readonly<Config>): Promise<Stores> {
  if (config.store.kind === 'memory') return createMemoryStores(config);
  const { createRedisStores } = await import('./store/redisStores');
  return createRedisStores(config);
}

async function main(): Promise<void> {
  let config: Readonly<Config>;
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
  const stores = await createStores(config);
  const services = createServices({ config, log, stores });
  const app = createApp(services);
  const server = createServer(app.callback());
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;
  server.maxHeadersCount = 100;

  server.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') log.fatal(`Port ${config.server.port} is in use; set PORT to another port.`);
    else log.fatal({ err }, 'server error');
    process.exit(1);
  });
  server.listen(config.server.port, config.server.host, () => {
    log.info({ url: config.server.publicUrl, mode: config.mode, store: config.store.kind }, 'BFF listening');
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close(() => {
      void stores.close().finally(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

void main();
