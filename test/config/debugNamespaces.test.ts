// DEBUG=ioredis:* makes ioredis print AUTH with the Redis password or Entra token: production refuses it, development
// warns. Whether a DEBUG value enables ioredis's namespace is decided as the `debug` package itself decides it.
import { expect } from 'chai';
import createDebug from 'debug';
import fc from 'fast-check';
import { debugEnables, IOREDIS_COMMAND_NAMESPACE } from '../../config/debugNamespaces';
import { ConfigError, loadConfig } from '../../config/loadConfig';

const redisProd = {
  AUTH_MODE: 'entra',
  ENTRA_TENANT_ID: 'contoso.onmicrosoft.com',
  ENTRA_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
  ENTRA_CLIENT_SECRET: 's3cret',
  NODE_ENV: 'production',
  PUBLIC_URL: 'https://app.example.com',
  SESSION_KEYS: 'q7Rk2mXv9LpT4wZs8NcY1bHf6JdG3aEu5VnKiOxPrQ',
  STORE: 'redis',
  REDIS_URL: 'rediss://cache.example.com:6380',
};

describe('DEBUG and the Redis client', () => {
  it('decides like the debug package for generated DEBUG values and namespaces (property)', () => {
    const previous = createDebug.disable();
    try {
      const part = fc.constantFrom(
        'ioredis',
        'redis',
        'koa',
        'io',
        'cluster',
        '*',
        ':',
        '-',
        '.',
        '?',
        '+',
        '(',
        ' ',
        ',',
      );
      const text = fc.array(part, { maxLength: 8 }).map((p) => p.join(''));
      fc.assert(
        fc.property(
          text,
          fc.constantFrom(IOREDIS_COMMAND_NAMESPACE, 'ioredis:cluster', 'koa-router', 'io'),
          (debug, ns) => {
            createDebug.enable(debug);
            expect(debugEnables(debug, ns), `DEBUG=${JSON.stringify(debug)} for ${ns}`).to.equal(
              createDebug.enabled(ns),
            );
          },
        ),
        { numRuns: 5_000, seed: 11 },
      );
    } finally {
      createDebug.enable(previous);
    }
  });

  it('names the usual values right', () => {
    for (const on of ['*', 'ioredis:*', 'ioredis:redis', 'io*', 'koa*, ioredis:*', '*,-koa*'])
      expect(debugEnables(on, IOREDIS_COMMAND_NAMESPACE), on).to.equal(true);
    for (const off of [undefined, '', 'koa*', 'ioredis:cluster', '*,-ioredis:*', 'ioredis:*,-ioredis:redis'])
      expect(debugEnables(off, IOREDIS_COMMAND_NAMESPACE), `${off}`).to.equal(false);
  });

  it('production with STORE=redis refuses a DEBUG that prints ioredis commands, and says how to fix it', () => {
    let problems: string[] = [];
    try {
      loadConfig({ ...redisProd, DEBUG: 'ioredis:*' });
    } catch (err) {
      expect(err).to.be.instanceOf(ConfigError);
      problems = (err as ConfigError).problems;
    }
    expect(problems).to.have.length(1);
    expect(problems[0]).to.match(/^DEBUG: .*AUTH.*unset DEBUG, or exclude ioredis \(append ,-ioredis:\*\)$/);
    expect(loadConfig({ ...redisProd, DEBUG: '*,-ioredis:*' }).production).to.equal(true);
    expect(loadConfig({ ...redisProd, DEBUG: 'koa*' }).warnings).to.deep.equal([]);
  });

  it('outside production it warns; with the memory store it does not matter', () => {
    const dev = { ...redisProd, NODE_ENV: 'development', PUBLIC_URL: 'http://localhost:3000', DEBUG: '*' };
    expect(loadConfig(dev).warnings.join('\n')).to.match(/ioredis print every command.*never in production/);
    const memory = { ...redisProd, STORE: 'memory', DEBUG: '*' };
    delete (memory as Partial<typeof memory>).REDIS_URL;
    expect(loadConfig(memory).warnings).to.deep.equal([]);
  });
});
