// Container HEALTHCHECK entry (`node dist/server/healthcheck.js`): exits 0 when this host's BFF answers /healthz.
// The slim runtime image has no curl; this needs nothing but Node.
const port = process.env.PORT ?? '3000';
const host =
  !process.env.HOST || process.env.HOST === '0.0.0.0' || process.env.HOST === '::' ? '127.0.0.1' : process.env.HOST;

fetch(`http://${host.includes(':') ? `[${host}]` : host}:${port}/healthz`, { signal: AbortSignal.timeout(3_000) }).then(
  (res) => process.exit(res.ok ? 0 : 1),
  () => process.exit(1),
);
