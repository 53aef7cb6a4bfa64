// Starts the BFF's HTTP server for a config (used by main.ts and the npm start/dev scripts) and stops it gracefully.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Config } from '../config/types';
import { createApp } from './app';
import type { Logger } from './http/logger';
import { instrumentStores } from './observability/instrumentStores';
import { NO_OBSERVABILITY, type Observability } from './observability/observability';
import { createAppIdentity, createServices, type AppIdentity, type Stores } from './services';
import { createMemoryStores } from './store/memoryStores';

export interface RunningBff {
  server: Server;
  url: string;
  /**
   * Graceful stop: /readyz answers 503 at once and responses say `Connection: close`; after `drainMs` (load balancers
   * notice and stop routing here) the listener stops accepting, in-flight requests get up to `graceMs` to finish, then
   * remaining connections are closed and the stores (Redis) disconnected.
   */
  close(graceMs?: number, drainMs?: number): Promise<void>;
}

export class ShuttingDownError extends Error {
  override readonly name = 'ShuttingDownError';
  constructor() {
    super('shutting down');
  }
}

export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(readonly port: number) {
    super(`Port ${port} is already in use. Stop the other process or set PORT to a free port.`);
  }
}

/** The stores config names; Redis with REDIS_AUTH=entra authenticates with the app's own identity. */
export async function createStores(config: Readonly<Config>, log: Logger, identity: AppIdentity): Promise<Stores> {
  if (config.store.kind === 'memory') return createMemoryStores(config);
  const { createRedisStores } = await import('./store/redisStores');
  if (config.store.auth.kind !== 'entra') return createRedisStores(config, { log });
  const { createRedisTokenSource } = await import('./downstream/redisTokenSource');
  return createRedisStores(config, { log, tokenSource: createRedisTokenSource({ config, ...identity }) });
}

export async function startBff(
  config: Readonly<Config>,
  log: Logger,
  options: { observability?: Observability } = {},
): Promise<RunningBff> {
  const observability = options.observability ?? NO_OBSERVABILITY;
  let draining = false;
  const identity = createAppIdentity({ config, log, observability });
  const baseStores = await createStores(config, log, identity).catch((err: unknown) => {
    identity.clientCredential.close();
    throw err;
  });
  const stores: Stores = {
    ...instrumentStores(baseStores, config.store.kind, observability),
    // Not ready once shutdown began, whatever the stores say: the load balancer should send new users elsewhere.
    readiness: {
      ...baseStores.readiness,
      accepting: async () => {
        if (draining) throw new ShuttingDownError();
      },
    },
  };
  const services = createServices({ config, log, stores, identity, observability });
  try {
    // Load the client credential before listening: a wrong PFX password or a missing Key Vault certificate stops start-up.
    await services.clientCredential.get();
  } catch (err) {
    services.clientCredential.close();
    await baseStores.close();
    throw err;
  }
  const app = createApp(services);
  const { headersMs, requestMs, keepAliveMs } = config.server.timeouts;
  // Slow clients (slowloris) are dropped; Node checks these deadlines every connectionsCheckingInterval (default 30 s).
  const server = createServer(
    { headersTimeout: headersMs, requestTimeout: requestMs, connectionsCheckingInterval: 1_000 },
    app.callback(),
  );
  server.keepAliveTimeout = keepAliveMs;
  // Once shutdown begins, every response not yet started says `Connection: close`, so keep-alive clients reconnect
  // elsewhere and each connection ends with its last response instead of waiting for the grace deadline.
  const unanswered = new Set<ServerResponse>();
  const closeAfterResponse = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
  };
  server.on('request', (_req, res: ServerResponse) => {
    if (draining) return closeAfterResponse(res);
    unanswered.add(res);
    res.once('close', () => unanswered.delete(res));
  });
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
    close(graceMs = 10_000, drainMs = 0) {
      closing ??= (async () => {
        draining = true;
        for (const res of unanswered) closeAfterResponse(res);
        if (drainMs > 0) await new Promise((resolve) => setTimeout(resolve, drainMs));
        await new Promise<void>((resolve) => {
          const force = setTimeout(() => {
            log.warn({ graceMs }, 'shutdown: closing connections whose requests did not finish in time');
            server.closeAllConnections();
          }, graceMs);
          force.unref();
          server.close(() => {
            clearTimeout(force);
            services.clientCredential.close();
            resolve();
          });
          server.closeIdleConnections();
        });
        await stores
          .close()
          .catch((err: Error) => log.warn({ err: err.message }, 'shutdown: closing the stores failed'));
      })();
      return closing;
    },
  };
}
