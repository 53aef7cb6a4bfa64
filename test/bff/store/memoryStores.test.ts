import { expect } from 'chai';
import { MemorySessionStore } from '../../../bff/session/sessionStore';
import { MemoryOneTimeStore } from '../../../bff/store/oneTimeStore';
import { TtlMap } from '../../../bff/store/ttlMap';
import { MemoryTokenCacheStore } from '../../../bff/tokenCache/tokenCacheStore';

describe('memory stores', () => {
  let now = 1_000_000;
  const clock = () => now;

  it('TtlMap expires entries, keeps at most maxEntries, and drops the least recently used first', () => {
    const map = new TtlMap<string>({ maxEntries: 2, now: clock });
    map.set('a', 'A', 100);
    map.set('b', 'B', 100);
    expect(map.get('a', { touch: true })).to.equal('A'); // a is now the most recent
    map.set('c', 'C', 100);
    expect(map.get('b')).to.equal(undefined);
    expect([map.get('a'), map.get('c'), map.size]).to.deep.equal(['A', 'C', 2]);
    now += 100;
    expect(map.get('a')).to.equal(undefined);
    expect(map.size).to.equal(1);
  });

  it('the one-time store hands a value out once and never after expiry', async () => {
    const store = new MemoryOneTimeStore<string>({ now: clock, maxEntries: 10 });
    await store.put('k', 'v', 50);
    expect(await store.take('k')).to.equal('v');
    expect(await store.take('k')).to.equal(null);
    await store.put('k2', 'v2', 50);
    now += 50;
    expect(await store.take('k2')).to.equal(null);
    expect(store.size).to.equal(0);
  });

  it('the token cache store keeps recently read partitions when it is full', async () => {
    const store = new MemoryTokenCacheStore({ ttlMs: 1_000, maxEntries: 2, now: clock });
    await store.set('alice', 'A');
    await store.set('bob', 'B');
    await store.get('alice');
    await store.set('carol', 'C');
    expect([await store.get('alice'), await store.get('bob'), await store.get('carol')]).to.deep.equal([
      'A',
      null,
      'C',
    ]);
    await store.delete('alice');
    expect(await store.get('alice')).to.equal(null);
  });

  it('the session store returns copies, expires sessions and does not recreate a destroyed one for a request that loaded it', async () => {
    const store = new MemorySessionStore({ now: clock });
    await store.set('s', { user: 'u' }, 1_000);
    const copy = (await store.get('s'))!;
    copy.user = 'changed';
    expect(await store.get('s')).to.deep.equal({ user: 'u' });
    await store.destroy('s');
    await store.set('s', { user: 'u' }, 1_000, { ctx: { state: {} } });
    expect(await store.get('s')).to.equal(null);
    await store.set('s', { user: 'u' }, 1_000, { ctx: { state: { sessionKey: 's' } } });
    now += 1_000;
    expect(await store.get('s')).to.equal(null);
  });
});
