// Renders a run as ONE markdown table (absolute figures with units, and the side-by-side ratios) plus a header.
import { GOALS, type BenchResults } from './results';
import { median } from './stats';
import type { LoadSummary } from './loadWorker';
import type { Sizes } from './bundleSize';
import type { FirstLoadResult } from './firstLoad';

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n >= 100 ? `${int(n)} ms` : n >= 10 ? `${n.toFixed(1)} ms` : `${n.toFixed(2)} ms`);
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
const ratio = (n: number) => `**${n.toFixed(2)}**`;

function load(s: LoadSummary): string {
  return `${int(s.rps)} req/s, p50 ${ms(s.latencyP50Ms)}, p99 ${ms(s.latencyP99Ms)}, ${int(s.non2xx + s.socketErrors)} errors`;
}

/** Row 7's result cell (also printed by `npm run bench:first-load`). */
export function describeFirstLoad(f: FirstLoadResult): string {
  return (
    `first contentful paint ${ms(f.fcpMedianMs)}, callback → profile rendered ${ms(f.callbackToProfileMedianMs)} ` +
    `(median of ${f.runs}; ${f.cpuSlowdown}× CPU slowdown, ${f.network.latencyMs} ms RTT, ${f.network.downloadKbps / 1000} Mbit/s down, ` +
    `390×844 viewport; JS downloaded by the first paint ${kib(median(f.samples.map((x) => x.jsBeforeFcpBytes)))})`
  );
}

function sizes(s: Sizes): string {
  return `${s.files} files: ${kib(s.raw)} raw, ${kib(s.gzip)} gzip, ${kib(s.brotli)} brotli`;
}

export function renderTable(r: BenchResults): string {
  const { settings: st } = r;
  const rows: string[][] = [];
  const b = r.bootstrap;
  rows.push([
    '1',
    `Bootstrap page \`GET /\`, signed in, memory store (${st.connections} conns, ${st.bootstrapSeconds} s)`,
    load(b.oursMemory),
    `bare Koa serving the same index.html (stat + stream, like koa-static): ${load(b.bare)}; ours/bare = ${ratio(b.ratioMemory)}`,
    `≥ ${GOALS.bootstrapRatioGoal} (fail < ${GOALS.bootstrapRatioFailBelow})`,
  ]);
  rows.push([
    '1',
    `Bootstrap page, Redis store (${st.connections} conns, ${st.bootstrapSeconds} s)`,
    load(b.oursRedis),
    `ours(Redis)/bare = ${ratio(b.ratioRedis)}`,
    '—',
  ]);
  if (b.oursCluster && b.ratioCluster !== undefined)
    rows.push([
      '1',
      `Bootstrap page, Redis Cluster store, 3 masters + 3 replicas (${st.connections} conns, ${st.bootstrapSeconds} s)`,
      load(b.oursCluster),
      `ours(Cluster)/bare = ${ratio(b.ratioCluster)}`,
      '—',
    ]);
  const users = st.users.map((u) => int(u)).join(' / ');
  for (const run of r.tokenScaling.runs) {
    const label =
      run.mode === 'shared'
        ? `Silent token, **baseline**: one shared MSAL client, all users in its cache (${users} users)`
        : `Silent token, ours: per-request client on the user's partition, ${{ redis: 'Redis', cluster: 'Redis Cluster', memory: 'memory' }[run.mode]} store (${users} users)`;
    const sampled = run.points.filter((p) => p.sampled).map((p) => `${int(p.users)}: ${p.samples} calls`);
    rows.push([
      '2',
      label,
      `p50 ${run.points.map((p) => ms(p.p50Ms)).join(' / ')}; p99 ${run.points.map((p) => ms(p.p99Ms)).join(' / ')}${sampled.length ? ` (time-bounded sample — ${sampled.join(', ')})` : ''}`,
      `p99(${int(st.users.at(-1)!)})/p99(${int(st.users[0]!)}) = ${ratio(r.tokenScaling.p99Ratio[run.mode]!)}`,
      run.mode === 'shared' ? '—' : `≤ ${GOALS.tokenScalingGoal} (fail > ${GOALS.tokenScalingFailAbove})`,
    ]);
  }
  const perCall = r.tokenScaling.runs.find((x) => x.mode === 'redis');
  rows.push([
    '2',
    'Silent token: network while measuring',
    `${r.tokenScaling.tokenRequestsDuring} emulator token requests, ${r.tokenScaling.runs.reduce((s, x) => s + x.networkCallsWhileMeasuring, 0)} fetch calls (all cache hits)` +
      (perCall
        ? `; ours: ${perCall.storeGetsPerCall.toFixed(2)} store reads, ${perCall.storeSetsPerCall.toFixed(2)} writes per call`
        : ''),
    '—',
    '0 requests',
  ]);
  rows.push([
    '3',
    `\`GET /api/me\`, Redis store (${st.connections} conns, ${st.apiSeconds} s)`,
    load(r.api.me),
    '—',
    '0 errors',
  ]);
  rows.push([
    '3',
    `\`GET /api/mail\` (Graph via the emulator), Redis store (${st.connections} conns, ${st.apiSeconds} s)`,
    load(r.api.mail),
    '—',
    '0 errors',
  ]);
  const k = r.memory.redis.perKind;
  rows.push([
    '4',
    'Redis bytes per signed-in user (`MEMORY USAGE`)',
    `${int(r.memory.redis.bytesPerUser)} B (session ${int(k.sess!.avgBytes)} B + encrypted token cache ${int(k.tc!.avgBytes)} B + sid index ${int(k.sid!.avgBytes)} B)`,
    '—',
    '—',
  ]);
  const kc = r.memory.cluster?.perKind;
  if (r.memory.cluster && kc)
    rows.push([
      '4',
      'Redis Cluster bytes per signed-in user (`MEMORY USAGE` on the masters)',
      `${int(r.memory.cluster.bytesPerUser)} B (session ${int(kc.sess!.avgBytes)} B + encrypted token cache ${int(kc.tc!.avgBytes)} B + sid index ${int(kc.sid!.avgBytes)} B)`,
      '—',
      '—',
    ]);
  rows.push([
    '4',
    `BFF heap per 10,000 sessions, memory store (session + token cache + sid index)`,
    `${mib(r.memory.heap.heapDeltaBytes * (10_000 / r.memory.heap.sessions))} (${int(r.memory.heap.bytesPerSession)} B per session)`,
    '—',
    '—',
  ]);
  const s = r.signIn.scripted;
  rows.push([
    '5',
    `Sign-in, scripted (no browser), \`/auth/signin\` → bootstrap with spa code, Redis store, median of ${s.runs}`,
    `${ms(s.medianMs)} (p90 ${ms(s.p90Ms)}), ${s.requests} HTTP requests`,
    '—',
    '—',
  ]);
  const e = r.signIn.browser;
  rows.push([
    '5',
    'Sign-in in Chromium (from the last `npm run test:e2e`, scenario 1)',
    e
      ? `callback → profile rendered ${e.callbackToProfileMs !== undefined ? ms(e.callbackToProfileMs) : '?'}, ${e.authorizeNavigations ?? '?'} /authorize navigation(s), ${e.tokenRequests ?? '?'} browser token request(s) (measured ${e.measuredAt ?? '?'})`
      : 'not run (run `npm run test:e2e` first)',
    '—',
    '—',
  ]);
  rows.push([
    '6',
    'SPA initial JS (scripts index.html runs before the first paint)',
    sizes(r.bundle.initialJs),
    '—',
    '≤ 180 KiB gzip (aim ≤ 150)',
  ]);
  rows.push([
    '6',
    'SPA preloaded JS (app chunk: store + msal-browser, fetched in parallel)',
    sizes(r.bundle.preloadedJs),
    '—',
    '—',
  ]);
  rows.push(['6', 'SPA total JS (all chunks)', sizes(r.bundle.totalJs), '—', '—']);
  const p = r.production;
  rows.push([
    '7',
    `Production start-up: \`node dist/server/main.js\` (NODE_ENV=production, production dependencies only), spawn → first \`/healthz\` 200, median of ${p.runs}`,
    `${ms(p.healthyMedianMs)} (p90 ${ms(p.healthyP90Ms)})`,
    `bare \`node:http\` server, same measure: ${ms(p.bareNodeMedianMs)}; ours/bare = ${ratio(p.healthyMedianMs / p.bareNodeMedianMs)}`,
    '—',
  ]);
  rows.push([
    '7',
    `Production process RSS: when healthy / after ${int(p.warmupRequests)} bootstrap pages`,
    `${p.rssAtStartMiB.toFixed(1)} MiB / ${p.rssAfterWarmupMiB.toFixed(1)} MiB`,
    '—',
    '—',
  ]);
  rows.push([
    '8',
    'First load in Chromium on a slow phone (Slow 4G, 4× CPU), signed in, landing on /profile',
    r.firstLoad ? describeFirstLoad(r.firstLoad) : 'not run (no Chromium at /usr/bin/chromium)',
    '—',
    '—',
  ]);

  const header = ['#', 'Measure', 'Result', 'Side by side / ratio', 'Goal'];
  const lines = [
    `hybrid-spa-bff benchmark — ${r.startedAt}`,
    `Machine: ${r.machine.cpus} CPUs (${r.machine.cpuModel}), ${r.machine.memoryGiB.toFixed(0)} GiB RAM, Node ${r.machine.node}, ${r.machine.platform}; run took ${int(r.durationSeconds)} s`,
    `Load: autocannon in a separate process on loopback, ${st.warmupSeconds} s discarded warm-up per target; the BFF, the bare Koa app and the load generator each run in their own process, the emulator in the orchestrator.`,
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map((h) => (h === '#' ? '---:' : '---')).join('|')}|`,
    ...rows.map((row) => `| ${row.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`),
  ];
  return lines.join('\n');
}
