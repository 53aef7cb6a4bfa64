// Binds an MSAL DistributedCachePlugin to one user's partition: the key comes only from the server session.
import type { ICacheClient, IPartitionManager } from '@azure/msal-node';
import type { TokenCacheStore } from './tokenCacheStore';

/** Thrown when MSAL would write another account's tokens into the session user's partition. */
type AccountEntity = Parameters<IPartitionManager['extractKey']>[0];

export class PartitionMismatchError extends Error {
  override readonly name = 'PartitionMismatchError';
}

/**
 * The partition key is the session user's homeAccountId, or null before sign-in (the first acquireTokenByCode then
 * starts from an empty cache and the key is taken from the account MSAL just created).
 */
export class SessionPartitionManager implements IPartitionManager {
  constructor(private readonly sessionKey: string | null) {}

  async getKey(): Promise<string> {
    return this.sessionKey ?? '';
  }

  async extractKey(accountEntity: AccountEntity): Promise<string> {
    const key = accountEntity.homeAccountId;
    if (!key) throw new PartitionMismatchError('The token response has no account; refusing to cache it.');
    if (this.sessionKey !== null && key !== this.sessionKey) {
      throw new PartitionMismatchError('The token response belongs to a different account than the session.');
    }
    return key;
  }
}

/** Adapts a TokenCacheStore to msal-node's ICacheClient (get/set of strings; "" means nothing cached). */
export class StoreCacheClient implements ICacheClient {
  constructor(private readonly store: TokenCacheStore) {}

  async get(key: string): Promise<string> {
    if (!key) return '';
    return (await this.store.get(key)) ?? '';
  }

  async set(key: string, value: string): Promise<string> {
    if (!key) throw new PartitionMismatchError('Refusing to write a token cache without a partition key.');
    // DistributedCachePlugin keys the write by the *first* account in memory only; if the authority answered with another
    // account (e.g. "use another account" on a consent prompt), the blob would carry it into this user's partition.
    const foreign = accountIdsIn(value).filter((id) => id !== key);
    if (foreign.length)
      throw new PartitionMismatchError(
        'The token cache holds another account than its partition; refusing to store it.',
      );
    await this.store.set(key, value);
    return value;
  }
}

/** The home account ids of the accounts in a serialized MSAL cache (its `Account` section). */
export function accountIdsIn(serializedCache: string): string[] {
  const parsed = JSON.parse(serializedCache) as { Account?: Record<string, { home_account_id?: unknown }> };
  return Object.values(parsed.Account ?? {}).map((a) => String(a.home_account_id ?? ''));
}
