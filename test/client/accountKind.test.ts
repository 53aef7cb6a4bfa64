import { expect } from 'chai';
import { accountKind, accountKindLabel, PERSONAL_ACCOUNTS_TENANT_ID } from '../../client/features/auth/accountKind';

const CONTOSO = '8f5d3c2a-6b1e-4c9d-9a7f-2e4b6c8d0a11';
const FABRIKAM = '1a2b3c4d-0000-4000-8000-000000000002';

describe('accountKind', () => {
  it('tells members, guests and personal accounts apart from the home and session tenants', () => {
    const cases: Array<[string, string, string | null]> = [
      [`oid.${CONTOSO}`, CONTOSO, null],
      [`oid.${CONTOSO.toUpperCase()}`, CONTOSO, null],
      [`oid.${FABRIKAM}`, CONTOSO, 'guest'],
      [`00000000-0000-0000-6a1b-2c3d4e5f6a06.${PERSONAL_ACCOUNTS_TENANT_ID}`, CONTOSO, 'personal account, guest'],
      [
        `00000000-0000-0000-6a1b-2c3d4e5f6a06.${PERSONAL_ACCOUNTS_TENANT_ID}`,
        PERSONAL_ACCOUNTS_TENANT_ID,
        'personal account',
      ],
      ['no-tenant-part', CONTOSO, null],
    ];
    for (const [homeAccountId, tenantId, label] of cases) {
      expect(accountKindLabel(accountKind({ homeAccountId, tenantId })), homeAccountId).to.equal(label);
    }
  });
});
