// Runs a Handler on node:http/https, listening on loopback only (127.0.0.1, plus ::1 when the host has IPv6).
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { EmuRequest, EmuResponse, Handler } from './types';

export interface ServiceOptions {
  /** Name used in errors and logs ("entra", "graph", …). */
  name: string;
  /** Port; 0 picks a free one. */
  port: number;
  /** Environment variable that moves this port, named in the EADDRINUSE message. */
  portEnvVar: string;
  /** TLS key and certificate; plain HTTP without them. */
  tls?: { key: string; cert: string };
  handler: Handler;
  /** Called for unexpected handler errors (never with request secrets). */
  onError: (err: unknown) => void;
}

export interface RunningService {
  port: number;
  close(): Promise<void>;
}

const MAX_BODY = 1 << 20;
const LOOPBACK_HOST = /^(localhost|127\.0\.0\.1|\[::1\]):\d+$/i;

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const scheme = options.tls ? 'https' : 'http';
  const make = (): Server => {
    const listener = (req: IncomingMessage, res: ServerResponse) => void serve(req, res, options, scheme, port);
    return options.tls
      ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener)
      : createHttpServer(listener);
  };
  let port = options.port;
  // With a random port, ::1 may happen to hold it already; retry a few times with a new pair.
  for (let attempt = 0; ; attempt++) {
    const v4 = make();
    await listen(v4, port, '127.0.0.1', options);
    port = (v4.address() as AddressInfo).port;
    const v6 = make();
    try {
      await listen(v6, port, '::1', options);
      return { port, close: () => closeAll([v4, v6]) };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT') return { port, close: () => closeAll([v4]) };
      await closeAll([v4]);
      if (options.port !== 0 || attempt >= 5) throw err;
      port = 0;
    }
  }
}

function listen(server: Server, port: number, host: string, options: ServiceOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (err.code === 'EADDRINUSE' && host === '127.0.0.1') {
        reject(
          new Error(`port ${port} is in use (emulator ${options.name}); set ${options.portEnvVar} to another port`, {
            cause: err,
          }),
        );
      } else if (err.code === 'EADDRINUSE') {
        reject(
          Object.assign(
            new Error(`port ${port} is in use on ::1 (emulator ${options.name}); set ${options.portEnvVar}`, {
              cause: err,
            }),
            { code: err.code },
          ),
        );
      } else reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

function closeAll(servers: Server[]): Promise<void> {
  return Promise.all(
    servers.map(
      (s) =>
        new Promise<void>((resolve) => {
          s.close(() => resolve());
          s.closeAllConnections();
        }),
    ),
  ).then(() => undefined);
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  options: ServiceOptions,
  scheme: string,
  port: number,
): Promise<void> {
  let out: EmuResponse;
  try {
    const body = await readBody(req);
    const hostHeader = req.headers.host ?? '';
    const base = LOOPBACK_HOST.test(hostHeader)
      ? `${scheme}://${hostHeader.toLowerCase()}`
      : `${scheme}://localhost:${port}`;
    const emuReq: EmuRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      url: new URL(req.url ?? '/', base),
      headers: req.headers,
      body,
      base,
    };
    out = await options.handler(emuReq);
  } catch (err) {
    if ((err as { status?: number }).status === 413) {
      out = { status: 413, headers: { 'content-type': 'text/plain' }, body: 'Request body too large' };
    } else {
      options.onError(err);
      out = { status: 500, headers: { 'content-type': 'text/plain' }, body: 'Emulator internal error' };
    }
  }
  if (out.delayMs) await new Promise((r) => setTimeout(r, out.delayMs));
  if (res.destroyed) return;
  res.writeHead(out.status, out.headers ?? {});
  res.end(out.body ?? '');
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(Object.assign(new Error('body too large'), { status: 413 }));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
