import { expect } from 'chai';
import { createLogger } from '../../../bff/http/logger';
import { RedisEntraAuth, type RedisToken } from '../../../bff/store/redisEntraAuth';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('RedisEntraAuth (token lifecycle, no Redis needed)', () => {
  const auths: RedisEntraAuth[] = [];
  afterEach(() => auths.splice(0).forEach((a) => a.stop()));

  function auth(
    source: () => Promise<RedisToken>,
    options: { refreshRatio?: number; retryMs?: number; now?: () => number } = {},
  ) {
    const a = new RedisEntraAuth(source, { username: 'oid', log: createLogger('silent'), ...options });
    auths.push(a);
    return a;
  }

  it('fetches the next token after the configured share of the lifetime, so the current one never runs out', async () => {
    let n = 0;
    const a = auth(async () => ({ token: `t${++n}`, expiresOnMs: Date.now() + 400 }), { refreshRatio: 0.5 });
    expect(a.password()).to.equal(null);
    expect(await a.start()).to.equal(true);
    expect(a.password()).to.equal('t1');
    await sleep(700);
    expect(a.rotations).to.be.at.least(2);
    expect(a.password()).to.equal(`t${n}`);
  });

  it('never hands out an expired token: when no new token comes, password() turns null at expiry', async () => {
    let now = 1_000_000;
    let fail = false;
    const a = auth(
      async () => {
        if (fail) throw new Error('identity endpoint down');
        return { token: 'only', expiresOnMs: now + 60_000 };
      },
      { now: () => now },
    );
    await a.start();
    fail = true;
    now += 59_999;
    expect(a.password()).to.equal('only');
    now += 1;
    expect(a.password()).to.equal(null);
  });

  it('refuses a token that is already expired and keeps retrying until one is valid', async () => {
    let calls = 0;
    const a = auth(
      async () => {
        calls++;
        return { token: `t${calls}`, expiresOnMs: calls < 3 ? Date.now() - 1 : Date.now() + 60_000 };
      },
      { retryMs: 50 },
    );
    expect(await a.start()).to.equal(false);
    expect(a.password()).to.equal(null);
    await sleep(300);
    expect(a.password()).to.equal('t3');
  });
});
