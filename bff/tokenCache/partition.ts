// Binds an MSAL DistributedCachePlugin to one user's partition: the key comes only from the server session.
import type { ICacheClient, IPartitionManager } from '@azure/msal-node';
import type { PartitionGeneration } from './generation';
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

/**
 * Adapts a TokenCacheStore to msal-node's ICacheClient (get/set of strings; "" means nothing cached), for one token
 * acquisition (one client per ConfidentialClientApplication, which msalClientFactory makes per request).
 *
 * MSAL reads the partition when the acquisition starts and again just before it writes (after the token response):
 * this client remembers the generation of the *first* read and writes only if the partition is still in it, so a
 * sign-out while the token request ran is not undone by the write (generation.ts). A sign-in's client (`signIn`: no
 * partition known, nothing read) starts a new generation instead.
 */
export class StoreCacheClient implements ICacheClient {
  #firstRead: PartitionGeneration | null = null;

  constructor(
    private readonly store: TokenCacheStore,
    private readonly options: { signIn: boolean; onRefused?: () => void },
  ) {}

  async get(key: string): Promise<string> {
    if (!key) return '';
    const { blob, generation } = await this.store.read(key);
    this.#firstRead ??= generation;
    return blob ?? '';
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
    if (this.options.signIn) {
      await this.store.set(key, value);
      return value;
    }
    // A write for a known partition always follows a read of it (beforeCacheAccess); without one there is nothing to
    // compare against, so it counts as refused rather than as a sign-in.
    const stored = this.#firstRead !== null && (await this.store.setIfCurrent(key, value, this.#firstRead));
    // The tokens still answer the request that asked for them; only keeping them is refused.
    if (!stored) this.options.onRefused?.();
    return value;
  }
}

/** The home account ids of the accounts in a serialized MSAL cache (its `Account` section). */
export function accountIdsIn(serializedCache: string): string[] {
  const parsed = JSON.parse(serializedCache) as { Account?: Record<string, { home_account_id?: unknown }> };
  return Object.values(parsed.Account ?? {}).map((a) => String(a.home_account_id ?? ''));
}
