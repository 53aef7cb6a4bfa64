// A fake PublicClientApplication implementing the subset the SPA uses; records every call in order.
import type { AccountInfo, AuthenticationResult } from '@azure/msal-browser';
import type { AuthClient } from '../../../client/features/auth/authClient';

type Filter = Parameters<AuthClient['getAccount']>[0];
type CodeRequest = Parameters<AuthClient['acquireTokenByCode']>[0];
type SilentRequest = Parameters<AuthClient['acquireTokenSilent']>[0];
type RedirectRequest = Parameters<AuthClient['acquireTokenRedirect']>[0];
type ClearRequest = Parameters<AuthClient['clearCache']>[0];

export interface FakeCall {
  method: string;
  request?: unknown;
}

export function makeAccount(
  homeAccountId: string,
  username = `${homeAccountId.split('.')[0]}@contoso.test`,
): AccountInfo {
  const [oid = homeAccountId, tid = 'tenant'] = homeAccountId.split('.');
  return {
    homeAccountId,
    environment: 'localhost:8443',
    tenantId: tid,
    username,
    localAccountId: oid,
    name: `User ${oid}`,
  };
}

export function makeResult(
  account: AccountInfo,
  scopes: string[],
  accessToken = `at-${account.homeAccountId}`,
): AuthenticationResult {
  return {
    authority: 'https://localhost:8443/tenant',
    uniqueId: account.localAccountId,
    tenantId: account.tenantId,
    scopes,
    account,
    idToken: 'id-token',
    idTokenClaims: {},
    accessToken,
    fromCache: false,
    expiresOn: new Date(Date.now() + 3_600_000),
    tokenType: 'Bearer',
    correlationId: 'corr',
  };
}

export class FakeMsal implements AuthClient {
  readonly calls: FakeCall[] = [];
  accounts: AccountInfo[] = [];
  activeAccount: AccountInfo | null = null;
  redirectResult: AuthenticationResult | null | Error = null;
  onCode: (request: CodeRequest) => Promise<AuthenticationResult> = () =>
    Promise.reject(new Error('unexpected acquireTokenByCode'));
  onSilent: (request: SilentRequest) => Promise<AuthenticationResult> = () =>
    Promise.reject(new Error('unexpected acquireTokenSilent'));
  onRedirect: (request: RedirectRequest) => Promise<void> = () => Promise.resolve();
  onClearCache: (request: ClearRequest) => Promise<void> = () => Promise.resolve();

  constructor(
    init: Partial<
      Pick<FakeMsal, 'accounts' | 'redirectResult' | 'onCode' | 'onSilent' | 'onRedirect' | 'onClearCache'>
    > = {},
  ) {
    Object.assign(this, init);
  }

  /** Method names in call order. */
  get methods(): string[] {
    return this.calls.map((c) => c.method);
  }

  callsTo(method: string): FakeCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  async handleRedirectPromise(): Promise<AuthenticationResult | null> {
    this.calls.push({ method: 'handleRedirectPromise' });
    if (this.redirectResult instanceof Error) throw this.redirectResult;
    return this.redirectResult;
  }

  async acquireTokenByCode(request: CodeRequest): Promise<AuthenticationResult> {
    this.calls.push({ method: 'acquireTokenByCode', request });
    const result = await this.onCode(request);
    this.remember(result.account);
    return result;
  }

  async acquireTokenSilent(request: SilentRequest): Promise<AuthenticationResult> {
    this.calls.push({ method: 'acquireTokenSilent', request });
    return this.onSilent(request);
  }

  async acquireTokenRedirect(request: RedirectRequest): Promise<void> {
    this.calls.push({ method: 'acquireTokenRedirect', request });
    return this.onRedirect(request);
  }

  getAccount(filter: Filter): AccountInfo | null {
    this.calls.push({ method: 'getAccount', request: filter });
    return this.accounts.find((a) => a.homeAccountId === filter.homeAccountId) ?? null;
  }

  getActiveAccount(): AccountInfo | null {
    return this.activeAccount;
  }

  setActiveAccount(account: AccountInfo | null): void {
    this.calls.push({ method: 'setActiveAccount', request: account });
    this.activeAccount = account;
  }

  async clearCache(request?: ClearRequest): Promise<void> {
    this.calls.push({ method: 'clearCache', request });
    await this.onClearCache(request);
    this.accounts = request?.account
      ? this.accounts.filter((a) => a.homeAccountId !== request.account!.homeAccountId)
      : [];
    if (!request?.account || this.activeAccount?.homeAccountId === request.account.homeAccountId)
      this.activeAccount = null;
  }

  private remember(account: AccountInfo | null): void {
    if (account && !this.accounts.some((a) => a.homeAccountId === account.homeAccountId)) this.accounts.push(account);
  }
}
