// What kind of account a session belongs to, from ids alone: a member of the app's tenant, a guest from another
// organisation, or a personal Microsoft account (always a guest in a work tenant).

/** The fixed home tenant of personal Microsoft accounts (outlook.com, hotmail.com, …). */
export const PERSONAL_ACCOUNTS_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

export interface AccountKind {
  /** Signed in to a tenant other than their home tenant. */
  guest: boolean;
  personal: boolean;
}

/** `homeAccountId` is `<object id>.<home tenant id>`; `tenantId` is the tenant this session signed in to. */
export function accountKind(account: { homeAccountId: string; tenantId: string }): AccountKind {
  const dot = account.homeAccountId.lastIndexOf('.');
  const homeTenant = dot >= 0 ? account.homeAccountId.slice(dot + 1).toLowerCase() : '';
  const personal = homeTenant === PERSONAL_ACCOUNTS_TENANT_ID;
  return { guest: homeTenant !== '' && homeTenant !== account.tenantId.toLowerCase(), personal };
}

/** A short label for the header and Home: "guest", "personal account, guest", or null for a member. */
export function accountKindLabel(kind: AccountKind): string | null {
  if (kind.personal) return kind.guest ? 'personal account, guest' : 'personal account';
  return kind.guest ? 'guest' : null;
}
