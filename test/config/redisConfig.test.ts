import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../config/loadConfig';
import type { RedisStoreConfig } from '../../config/types';

const base = {
  AUTH_MODE: 'entra',
  ENTRA_TENANT_ID: 'contoso.onmicrosoft.com',
  ENTRA_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
  ENTRA_CLIENT_SECRET: 's3cret',
  SESSION_KEYS: 'k'.repeat(40),
  STORE: 'redis',
};
const OID = '0d2b7c4e-1f3a-4b5c-8d9e-0a1b2c3d4e5f';
const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function storeOf(env: Record<string, string>, files: Record<string, string> = {}): RedisStoreConfig {
  const c = loadConfig({ ...base, ...env }, { readFile: (p) => files[p.split('/').pop()!] ?? '', rootDir: '/app' });
  if (c.store.kind !== 'redis') throw new Error('not redis');
  return c.store;
}

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig({ ...base, ...env }, { readFile: () => '', rootDir: '/app' });
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return (err as ConfigError).problems.join('\n');
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig: Redis topologies, TLS and authentication', () => {
  it('standalone: host, port, db, TLS and credentials from the URL', () => {
    const s = storeOf({ REDIS_URL: 'rediss://app:p%40ss@cache.example:6380/2' });
    expect(s.topology).to.deep.equal({ mode: 'standalone', node: { host: 'cache.example', port: 6380 }, db: 2 });
    expect(s.tls).to.deep.equal({ caPem: null, servername: null });
    expect(s.auth).to.deep.equal({ kind: 'password', username: 'app', password: 'p@ss' });
  });

  it('cluster: the URL is one seed, REDIS_NODES adds more; TLS with a private CA and SNI name', () => {
    const s = storeOf(
      {
        REDIS_MODE: 'cluster',
        REDIS_URL: 'rediss://cache.region.redis.azure.net:10000',
        REDIS_NODES: '10.0.0.5:10000, 10.0.0.6',
        REDIS_TLS_CA_FILE: 'ca.pem',
        REDIS_TLS_SERVERNAME: 'cache.region.redis.azure.net',
        REDIS_AUTH: 'entra',
        REDIS_ENTRA_OBJECT_ID: OID,
      },
      { 'ca.pem': CA },
    );
    expect(s.topology).to.deep.equal({
      mode: 'cluster',
      seeds: [
        { host: 'cache.region.redis.azure.net', port: 10000 },
        { host: '10.0.0.5', port: 10000 },
        { host: '10.0.0.6', port: 6379 },
      ],
    });
    expect(s.tls).to.deep.equal({ caPem: CA, servername: 'cache.region.redis.azure.net' });
    expect(s.auth).to.deep.equal({ kind: 'entra', objectId: OID, credential: 'managed-identity' });
  });

  it('sentinel: sentinels, master name and TLS without a URL', () => {
    const s = storeOf({
      REDIS_MODE: 'sentinel',
      REDIS_NODES: 's1:26379,s2',
      REDIS_SENTINEL_MASTER: 'mymaster',
      REDIS_TLS: 'true',
      REDIS_PASSWORD: 'pw',
    });
    expect(s.topology).to.deep.equal({
      mode: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
      ],
      masterName: 'mymaster',
      db: 0,
      sentinelPassword: null,
    });
    expect(s.tls).to.deep.equal({ caPem: null, servername: null });
    expect(s.auth).to.deep.equal({ kind: 'password', username: null, password: 'pw' });
  });

  const mistakes: [string, Record<string, string>, RegExp][] = [
    ['standalone without a URL', {}, /REDIS_URL: required/],
    ['cluster without any seed', { REDIS_MODE: 'cluster' }, /at least one seed/],
    ['cluster with a database number', { REDIS_MODE: 'cluster', REDIS_URL: 'redis://h:1/3' }, /only database 0/],
    ['sentinel without sentinels or master', { REDIS_MODE: 'sentinel' }, /REDIS_NODES[\s\S]*REDIS_SENTINEL_MASTER/],
    ['a node that is not host:port', { REDIS_MODE: 'cluster', REDIS_NODES: 'h:99999' }, /"h:99999" is not host:port/],
    [
      'entra without an object id',
      { REDIS_URL: 'rediss://h:10000', REDIS_AUTH: 'entra' },
      /REDIS_ENTRA_OBJECT_ID: required/,
    ],
    [
      'entra with a password',
      { REDIS_URL: 'rediss://:pw@h:10000', REDIS_AUTH: 'entra', REDIS_ENTRA_OBJECT_ID: OID },
      /remove the Redis password/,
    ],
    ['credentials in two places', { REDIS_URL: 'redis://:pw@h:1', REDIS_PASSWORD: 'x' }, /set them in one place/],
    ['a CA file without TLS', { REDIS_URL: 'redis://h:1', REDIS_TLS_CA_FILE: 'ca.pem' }, /only with TLS/],
    ['a CA file that is not PEM', { REDIS_URL: 'rediss://h:1', REDIS_TLS_CA_FILE: 'ca.pem' }, /not a PEM/],
    ['TLS off with a rediss URL', { REDIS_URL: 'rediss://h:1', REDIS_TLS: 'false' }, /contradicts/],
    ['a prefix with a hash tag', { REDIS_URL: 'redis://h:1', REDIS_KEY_PREFIX: 'app{x}:' }, /must not contain braces/],
  ];
  for (const [what, env, message] of mistakes) {
    it(`refuses ${what} with a message naming the setting`, () => {
      expect(problemsOf(env)).to.match(message);
    });
  }
});
