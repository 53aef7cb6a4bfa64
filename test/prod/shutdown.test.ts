// Graceful shutdown of the real entry (bff/main.ts) in a child process: on SIGTERM /readyz turns 503 while requests
// are still served (drain), then the listener stops accepting, a request in flight finishes, one that outlives the
// grace period has its connection closed, the stores (Redis when available) are closed, and the process exits 0.
import { expect } from 'chai';
import { connect, type Socket } from 'node:net';
import { freePort, probeRedis, TEST_REDIS_URL, uniqueKeyPrefix } from '../helpers/redis';
import { startBffProcess, type BffProcess } from './processHarness';

const DRAIN_MS = 1_200;
const GRACE_MS = 2_500;
const BODY = JSON.stringify({ events: [{ operation: 'acquireTokenSilent', durationMs: 12, success: true }] });

/** A POST whose headers and first half of the body are sent now; the rest only when `finish` is called. */
function slowBeacon(port: number): {
  socket: Socket;
  finish(): void;
  response: Promise<string>;
  closed: Promise<number>;
} {
  const socket = connect(port, '127.0.0.1');
  socket.write(
    `POST /api/telemetry/auth HTTP/1.1\r\nHost: localhost:${port}\r\nContent-Type: application/json\r\nAccept: application/json\r\nX-CSRF: 1\r\n` +
      `Content-Length: ${Buffer.byteLength(BODY)}\r\n\r\n${BODY.slice(0, 10)}`,
  );
  let received = '';
  socket.on('data', (d) => (received += d.toString()));
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now())));
  return {
    socket,
    finish: () => socket.write(BODY.slice(10)),
    response: closed.then(() => received),
    closed,
  };
}

async function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

describe('graceful shutdown (bff/main.ts in a child process)', function () {
  this.timeout(60_000);
  let bff: BffProcess | undefined;

  afterEach(() => bff?.kill());

  it('SIGTERM: /readyz 503 first, then stop accepting, finish the in-flight request, cut the one past the deadline, exit 0', async () => {
    const port = await freePort();
    const redis = (await probeRedis()) === null;
    if (!redis && process.env.CI === 'true') throw new Error('Redis is required in CI (127.0.0.1:6379)');
    bff = startBffProcess(process.execPath, ['--import', 'tsx', 'bff/main.ts'], {
      cwd: process.cwd(),
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NODE_ENV: 'development',
        PORT: String(port),
        LOG_LEVEL: 'info',
        SESSION_KEYS: 'shutdown-test-session-key-0123456789abcdefgh',
        SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
        SHUTDOWN_GRACE_MS: String(GRACE_MS),
        // Redis when it is here, so closing the Redis client is part of the shutdown being tested.
        ...(redis ? { STORE: 'redis', REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: uniqueKeyPrefix() } : {}),
      },
    });
    await bff.waitForLog((l) => l.msg === 'ready', 45_000, 'the ready log line');
    const base = `http://127.0.0.1:${port}`;
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).to.equal(200);
    expect(((await ready.json()) as { checks: Record<string, string> }).checks).to.include({
      accepting: 'ok',
      ...(redis ? { redis: 'ok' } : {}),
    });

    const inFlight = slowBeacon(port);
    const tooSlow = slowBeacon(port);
    await new Promise((r) => setTimeout(r, 200)); // both requests are being read by the server
    const sigterm = Date.now();
    bff.child.kill('SIGTERM');
    await bff.waitForLog(
      (l) => typeof l.msg === 'string' && l.msg.startsWith('shutting down'),
      5_000,
      'the shutdown log line',
    );

    // Draining: still serving, but not ready, and asking clients not to keep the connection.
    const draining = await fetch(`${base}/readyz`);
    expect(draining.status).to.equal(503);
    expect(draining.headers.get('connection')).to.equal('close');
    expect(((await draining.json()) as { checks: Record<string, string> }).checks.accepting).to.equal('unavailable');
    expect((await fetch(`${base}/healthz`)).status, 'requests are still served while draining').to.equal(200);

    // After the drain period the listener closes.
    while (!(await refusesConnections(port))) {
      expect(Date.now() - sigterm, 'the listener closes after the drain period').to.be.below(DRAIN_MS + 5_000);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(Date.now() - sigterm).to.be.at.least(DRAIN_MS - 50);

    // The request already in flight is still answered.
    inFlight.finish();
    const response = await inFlight.response;
    expect(response).to.match(/^HTTP\/1\.1 204 /);
    expect(response.toLowerCase()).to.include('connection: close');

    // The one that never completes is cut at the grace deadline, and the process exits cleanly.
    const cut = await tooSlow.closed;
    expect(cut - sigterm).to.be.at.least(DRAIN_MS + GRACE_MS - 100);
    const exit = await bff.exited;
    expect(exit, bff.output().slice(-2000)).to.deep.equal({ code: 0, signal: null });
    expect(bff.logs.some((l) => l.msg === 'shutdown complete')).to.equal(true);
    expect(
      bff.logs.filter((l) => typeof l.level === 'number' && l.level >= 50),
      'no error logs',
    ).to.deep.equal([]);
  });
});
