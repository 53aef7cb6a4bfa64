// Placeholder replaced by the Redis backends (issue 7); STORE=redis fails clearly until then.
import type { Config } from '../../config/types';
import type { Stores } from '../services';

export async function createRedisStores(_config: Readonly<Config>): Promise<Stores> {
  throw new Error('STORE=redis is not available in this build; use STORE=memory');
}
