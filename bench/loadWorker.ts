// Child process: the load generator (autocannon), so load is generated outside the server's and the orchestrator's
// event loops. argv[2] = JSON LoadOptions; replies with a LoadSummary over IPC.
import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  headers: Record<string, string>;
}

export interface LoadSummary {
  url: string;
  durationSeconds: number;
  requests: number;
  /** 2xx responses per second over the run. */
  rps: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  non2xx: number;
  /** Socket errors, including timeouts. */
  socketErrors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}

async function main(): Promise<LoadSummary> {
  const o = JSON.parse(process.argv[2]!) as LoadOptions;
  const result = await autocannon({
    url: o.url,
    connections: o.connections,
    duration: o.durationSeconds,
    headers: o.headers,
    timeout: 10,
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat.count ?? 0;
  return {
    url: o.url,
    durationSeconds: result.duration,
    requests: result.requests.total,
    rps: result['2xx'] / result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
    non2xx: result.non2xx,
    socketErrors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
  };
}

main().then(
  (summary) => process.send!(summary, () => process.exit(0)),
  (err: Error) => process.send!({ error: err.stack ?? err.message }, () => process.exit(1)),
);
