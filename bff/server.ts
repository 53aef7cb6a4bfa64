// Starts the BFF's HTTP server for a config (used by main.ts and the npm start/dev scripts) and stops it gracefully.
import { createServer, type Server } from 'node:http';
import type { Config } from '../config/types';
import { createApp } from './app';
import type { Logger } from './http/logger';
import { createServices, type Stores } from './services';
import { createMemoryStores } from './store/memoryStores';

export interface RunningBff {
  server: Server;
  url: string;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then closes the stores. */
  close(graceMs?: number): Promise<void>;
}

export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(readonly port: number) {
    super(`Port ${port} is already in use. Stop the other process or set PORT to a free port.`);
  }
}

export async function createStores(config: Readonly<Config>, log?: Logger): Promise<Stores> {
  if (config.store.kind === 'memory') return createMemoryStores(config);
  const { createRedisStores } = await import('./store/redisStores');
  return createRedisStores(config, log ? { log } : {});
}

export async function startBff(config: Readonly<Config>, log: Logger): Promise<RunningBff> {
  const stores = await createStores(config, log);
  const services = createServices({ config, log, stores });
  try {
    // Load the client credential before listening: a wrong PFX password or a missing Key Vault certificate stops start-up.
    await services.clientCredential.get();
  } catch (err) {
    services.clientCredential.close();
    await stores.close();
    throw err;
  }
  const app = createApp(services);
  const { headersMs, requestMs, keepAliveMs } = config.server.timeouts;
  // Slow clients (slowloris) are dropped; Node checks these deadlines every connectionsCheckingInterval (default 30 s).
  const server = createServer({ headersTimeout: headersMs, requestTimeout: requestMs, connectionsCheckingInterval: 1_000 }, app.callback());
  server.keepAliveTimeout = keepAliveMs;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      void stores.close();
      reject(err.code === 'EADDRINUSE' ? new PortInUseError(config.server.port) : err);
    });
    server.listen(config.server.port, config.server.host, () => resolve());
  });
  log.info({ url: config.server.publicUrl, mode: config.mode, store: config.store.kind }, 'BFF listening');
  for (const warning of config.warnings) log.warn(`CONFIGURATION WARNING: ${warning}`);
  let closing: Promise<void> | null = null;
  return {
    server,
    url: config.server.publicUrl,
    close(graceMs = 10_000) {
      closing ??= new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          services.clientCredential.close();
          void stores.close().finally(resolve);
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
