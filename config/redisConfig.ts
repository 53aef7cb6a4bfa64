// STORE=redis settings: topology (standalone / cluster / sentinel), TLS, and how connections authenticate.
import { resolve } from 'node:path';
import type { Env } from './envSchema';
import type { RedisAuth, RedisNode, RedisStoreConfig, RedisTopology } from './types';

const DEFAULT_PORT = 6379;
const DEFAULT_SENTINEL_PORT = 26379;

interface ParsedUrl {
  node: RedisNode;
  tls: boolean;
  username: string | null;
  password: string | null;
  db: number;
}

/** Reads the REDIS_* settings; every problem is pushed to `problems` (one boot error lists them all). */
export function resolveRedisStore(
  e: Env,
  files: { readFile: (path: string) => string; rootDir: string },
  problems: string[],
): RedisStoreConfig | null {
  const mode = e.REDIS_MODE ?? 'standalone';
  const before = problems.length;
  const url = e.REDIS_URL ? parseRedisUrl(e.REDIS_URL, problems) : null;
  const nodes = (e.REDIS_NODES ?? []).flatMap((n) => {
    const node = parseHostPort(n, mode === 'sentinel' ? DEFAULT_SENTINEL_PORT : DEFAULT_PORT);
    if (!node) problems.push(`REDIS_NODES: "${n}" is not host:port`);
    return node ? [node] : [];
  });

  let topology: RedisTopology | null = null;
  if (mode === 'standalone') {
    if (!url)
      problems.push('REDIS_URL: required when STORE=redis (e.g. redis://127.0.0.1:6379, rediss://host:6380 for TLS)');
    if (e.REDIS_NODES)
      problems.push('REDIS_NODES: only used with REDIS_MODE=cluster (seed nodes) or sentinel (the sentinels)');
    if (url) topology = { mode, node: url.node, db: url.db };
  } else if (mode === 'cluster') {
    const seeds = [...(url ? [url.node] : []), ...nodes];
    if (seeds.length === 0)
      problems.push(
        'REDIS_URL or REDIS_NODES: REDIS_MODE=cluster needs at least one seed node (e.g. REDIS_URL=rediss://cache.example:10000)',
      );
    if (url && url.db !== 0) problems.push('REDIS_URL: a cluster has only database 0; remove the /<db> path');
    topology = { mode, seeds };
  } else {
    if (nodes.length === 0)
      problems.push(
        'REDIS_NODES: REDIS_MODE=sentinel needs the sentinels, e.g. REDIS_NODES=sentinel-1:26379,sentinel-2:26379',
      );
    if (!e.REDIS_SENTINEL_MASTER)
      problems.push(
        'REDIS_SENTINEL_MASTER: required with REDIS_MODE=sentinel (the monitored master name, e.g. mymaster)',
      );
    topology = {
      mode,
      sentinels: nodes,
      masterName: e.REDIS_SENTINEL_MASTER ?? '',
      db: url?.db ?? 0,
      sentinelPassword: e.REDIS_SENTINEL_PASSWORD ?? null,
    };
  }
  if (mode !== 'sentinel' && e.REDIS_SENTINEL_MASTER)
    problems.push('REDIS_SENTINEL_MASTER: only used with REDIS_MODE=sentinel');

  const useTls = e.REDIS_TLS ?? url?.tls ?? false;
  if (url && e.REDIS_TLS === false && url.tls) problems.push('REDIS_TLS: false contradicts the rediss:// REDIS_URL');
  let caPem: string | null = null;
  if (e.REDIS_TLS_CA_FILE) {
    if (!useTls) problems.push('REDIS_TLS_CA_FILE: set only with TLS (rediss:// or REDIS_TLS=true)');
    try {
      caPem = files.readFile(resolve(files.rootDir, e.REDIS_TLS_CA_FILE));
      if (!caPem.includes('-----BEGIN CERTIFICATE-----')) {
        problems.push('REDIS_TLS_CA_FILE: not a PEM certificate bundle');
        caPem = null;
      }
    } catch (err) {
      problems.push(`REDIS_TLS_CA_FILE: could not read it (${(err as Error).message})`);
    }
  }
  if (e.REDIS_TLS_SERVERNAME && !useTls)
    problems.push('REDIS_TLS_SERVERNAME: set only with TLS (rediss:// or REDIS_TLS=true)');

  const auth = resolveAuth(e, url, problems);
  if (problems.length > before || !topology) return null;
  return {
    kind: 'redis',
    topology,
    tls: useTls ? { caPem, servername: e.REDIS_TLS_SERVERNAME ?? null } : null,
    auth,
    keyPrefix: e.REDIS_KEY_PREFIX ?? 'hsb:',
    commandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS ?? 1_000,
  };
}

function resolveAuth(e: Env, url: ParsedUrl | null, problems: string[]): RedisAuth {
  const fromUrl = Boolean(url?.username || url?.password);
  const fromEnv = e.REDIS_USERNAME !== undefined || e.REDIS_PASSWORD !== undefined;
  if (fromUrl && fromEnv)
    problems.push('REDIS_USERNAME / REDIS_PASSWORD: credentials are also in REDIS_URL; set them in one place');
  if ((e.REDIS_AUTH ?? 'password') === 'entra') {
    if (fromUrl || fromEnv)
      problems.push(
        'REDIS_AUTH=entra: remove the Redis password (REDIS_URL credentials, REDIS_USERNAME, REDIS_PASSWORD); the token is the password',
      );
    if (!e.REDIS_ENTRA_OBJECT_ID)
      problems.push(
        'REDIS_ENTRA_OBJECT_ID: required with REDIS_AUTH=entra (the object id of the managed identity or service principal; it is the Redis user name)',
      );
    return {
      kind: 'entra',
      objectId: e.REDIS_ENTRA_OBJECT_ID ?? '',
      credential: e.REDIS_ENTRA_CREDENTIAL ?? 'managed-identity',
    };
  }
  if (e.REDIS_ENTRA_OBJECT_ID || e.REDIS_ENTRA_CREDENTIAL)
    problems.push('REDIS_ENTRA_OBJECT_ID / REDIS_ENTRA_CREDENTIAL: only used with REDIS_AUTH=entra');
  const username = url?.username ?? e.REDIS_USERNAME ?? null;
  const password = url?.password ?? e.REDIS_PASSWORD ?? null;
  if (username && password === null) problems.push('REDIS_PASSWORD: a Redis user name needs a password');
  return password === null ? { kind: 'none' } : { kind: 'password', username, password };
}

function parseRedisUrl(raw: string, problems: string[]): ParsedUrl | null {
  const u = new URL(raw); // the schema already checked it parses and is redis:// or rediss://
  const dbText = u.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d{1,2}$/.test(dbText)) {
    problems.push('REDIS_URL: the path must be a database number (e.g. /0) or empty');
    return null;
  }
  return {
    node: { host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : DEFAULT_PORT },
    tls: u.protocol === 'rediss:',
    username: u.username ? decodeURIComponent(u.username) : null,
    password: u.password ? decodeURIComponent(u.password) : null,
    db: dbText === '' ? 0 : Number(dbText),
  };
}

function parseHostPort(text: string, defaultPort: number): RedisNode | null {
  const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(text);
  if (!m) return null;
  const port = m[2] ? Number(m[2]) : defaultPort;
  if (port < 1 || port > 65535) return null;
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}
