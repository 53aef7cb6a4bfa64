// The HTTP server drops slow clients (slowloris) with the configured timeouts, and logs configuration warnings at start.
import { expect } from 'chai';
import { connect, type Socket } from 'node:net';
import { startBff, type RunningBff } from '../../../bff/server';
import { captureLogs } from '../../helpers/captureLogs';
import { freePort } from '../../helpers/redis';
import { testConfig } from '../../helpers/testApp';

/** Resolves with everything the server wrote once it closes the connection (or rejects after `limitMs`). */
function untilClosed(socket: Socket, limitMs: number): Promise<{ text: string; ms: number }> {
  const started = Date.now();
  let text = '';
  socket.on('data', (d) => (text += String(d)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`connection still open after ${limitMs} ms`)), limitMs);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, ms: Date.now() - started });
    });
    socket.on('error', () => undefined);
  });
}

describe('HTTP server timeouts', () => {
  let bff: RunningBff | undefined;
  afterEach(async () => {
    await bff?.close(100);
    bff = undefined;
  });

  async function start(env: Record<string, string>) {
    const port = await freePort();
    const capture = captureLogs('warn');
    bff = await startBff(
      testConfig({ PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://localhost:${port}`, ...env }),
      capture.log,
    );
    return { port, capture };
  }

  it('applies SERVER_*_TIMEOUT_MS to the server', async () => {
    await start({
      SERVER_HEADERS_TIMEOUT_MS: '4000',
      SERVER_REQUEST_TIMEOUT_MS: '9000',
      SERVER_KEEP_ALIVE_TIMEOUT_MS: '7000',
    });
    expect([bff!.server.headersTimeout, bff!.server.requestTimeout, bff!.server.keepAliveTimeout]).to.deep.equal([
      4000, 9000, 7000,
    ]);
  });

  it('drops a client that trickles its headers (slowloris) once the headers timeout has passed', async () => {
    const { port } = await start({ SERVER_HEADERS_TIMEOUT_MS: '1000', SERVER_REQUEST_TIMEOUT_MS: '2000' });
    const socket = connect(port, '127.0.0.1');
    socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n');
    const trickle = setInterval(() => socket.writable && socket.write('X-Slow: a\r\n'), 200);
    try {
      const { text, ms } = await untilClosed(socket, 10_000);
      expect(text).to.match(/^HTTP\/1\.1 408/);
      expect(ms).to.be.at.least(900);
    } finally {
      clearInterval(trickle);
      socket.destroy();
    }
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const { port } = await start({ SERVER_KEEP_ALIVE_TIMEOUT_MS: '300' });
    const socket = connect(port, '127.0.0.1');
    socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
    const { text } = await untilClosed(socket, 3_000);
    expect(text).to.match(/^HTTP\/1\.1 200/);
  });

  it('logs configuration warnings loudly at start', async () => {
    const port = await freePort();
    const capture = captureLogs('warn');
    const config = testConfig({ PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://localhost:${port}` });
    bff = await startBff(
      { ...config, warnings: ['TRUST_PROXY=true while listening on all interfaces (test)'] },
      capture.log,
    );
    expect(capture.text()).to.match(
      /"level":40.*CONFIGURATION WARNING: TRUST_PROXY=true while listening on all interfaces/,
    );
  });
});
