import { expect } from 'chai';
import type { Redis } from 'ioredis';
import type { Stores } from '../../../bff/store/stores';
import { createRedisStores } from '../../../bff/store/redisStores';
import {
  deleteKeysWithPrefix,
  openInspector,
  redisTestConfig,
  requireRedis,
  uniqueKeyPrefix,
} from '../../helpers/redis';

describe('Redis session store: no resurrection', () => {
  const prefix = uniqueKeyPrefix();
  let stores: Stores;
  let inspector: Redis;

  before(async function () {
    await requireRedis(this);
    inspector = openInspector();
    stores = await createRedisStores(redisTestConfig(prefix));
  });

  after(async () => {
    await stores?.close();
    if (!inspector) return;
    await deleteKeysWithPrefix(inspector, prefix);
    inspector.disconnect();
  });

  it('a request that only loaded a session does not recreate it after it was destroyed; a new id is created', async () => {
    const session = { user: { name: 'x' }, createdAt: Date.now() };
    await stores.sessions.set('existing-id', session, 60_000);
    await stores.sessions.destroy('existing-id');
    await stores.sessions.set('existing-id', session, 60_000, { ctx: { state: {} } });
    expect(await stores.sessions.get('existing-id')).to.equal(null);
    await stores.sessions.set('new-id', session, 60_000, { ctx: { state: { sessionKey: 'new-id' } } });
    expect(await stores.sessions.get('new-id')).to.deep.include({ user: { name: 'x' } });
    await stores.sessions.set('new-id', { ...session, touched: true }, 60_000, { ctx: { state: {} } });
    expect(await stores.sessions.get('new-id')).to.deep.include({ touched: true });
  });
});
