// Child process: one HTTP server under test, so the load generator, the emulator and the server each have their own
// event loop. argv[2] = "bff" (the real BFF, env from bffEnv()) or "bare" (a bare Koa app serving dist/client/index.html
// the way koa-static does: stat + stream from disk per request). Reports {url} over IPC; stops on "stop" or disconnect.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import Koa from 'koa';
import { loadConfig } from '../config/loadConfig';
import { createLogger } from '../bff/http/logger';
import { startBff } from '../bff/server';

async function startBare(port: number): Promise<{ close(): Promise<void> }> {
  const file = join(resolve('dist/client'), 'index.html');
  const app = new Koa();
  app.silent = true; // load ends by closing sockets mid-response; like the BFF, do not log those
  app.use(async (ctx) => {
    const info = await stat(file);
    ctx.type = 'html';
    ctx.length = info.size;
    ctx.lastModified = info.mtime;
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = createReadStream(file);
  });
  const server: Server = createServer(app.callback());
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
  return {
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  const port = Number(process.argv[3]);
  let running: { close(): Promise<void> };
  if (mode === 'bare') running = await startBare(port);
  else if (mode === 'bff') {
    const config = loadConfig(process.env, { rootDir: process.cwd() });
    const bff = await startBff(config, createLogger('silent'));
    running = { close: () => bff.close(1_000) };
  } else throw new Error(`unknown server mode ${mode}`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await running.close();
    process.exit(0);
  };
  process.on('message', (m) => void (m === 'stop' ? stop() : undefined));
  process.on('disconnect', () => void stop());
  process.send!({ ready: true, url: `http://127.0.0.1:${port}` });
}

main().catch((err: Error) => {
  console.error(`server process: ${err.stack ?? err.message}`);
  process.exit(1);
});
