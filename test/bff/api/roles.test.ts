import { expect } from 'chai';
import fc from 'fast-check';
import nock from 'nock';
import { hasRole } from '../../../bff/api/requireRole';
import { rolesOf } from '../../../bff/auth/authorize';
import { ALICE, BOB, type TestUser } from '../../helpers/entraFixtures';
import { getBootstrap, mockMetadata, signIn, testConfig } from '../../helpers/testApp';
import { buildApiTestApp } from './apiTestApp';

const VAULT = 'https://contoso-vault.vault.azure.net';
const MI_TOKEN = 'mi-token-for-roles-tests';
const FORBIDDEN_MESSAGE = 'Your account lacks the Secrets.Read role. Ask an administrator to assign it.';

function app(overrides: Record<string, string> = {}) {
  return buildApiTestApp({
    config: testConfig(overrides),
    managedIdentity: () => ({ getToken: async () => MI_TOKEN }),
  });
}

function vaultAnswers(times = 1) {
  return nock(VAULT)
    .get('/secrets/app-secret')
    .query(true)
    .times(times)
    .reply(200, {
      value: 'v',
      id: `${VAULT}/secrets/app-secret/0123456789abcdef0123456789abcdef`,
      attributes: { updated: 1790000000 },
    });
}

describe('app roles (ROUTE_ROLES, roles claim → session → requireRole)', () => {
  beforeEach(() => mockMetadata());

  it('allows /api/secret to a user whose ID token carries Secrets.Read, and tells the SPA the roles and what each route needs', async () => {
    const agent = app().agent();
    await signIn(agent, ALICE);
    const vault = vaultAnswers();
    await agent.get('/api/secret').set('X-CSRF', '1').expect(200);
    vault.done();
    const boot = await getBootstrap(agent);
    expect(boot.account?.roles).to.deep.equal(['Secrets.Read']);
    expect(boot.requiredRoles).to.deep.equal({ '/api/secret': 'Secrets.Read' });
  });

  it('answers 403 forbidden naming the role to a user without it, before any vault or identity call', async () => {
    const agent = app().agent();
    await signIn(agent, BOB);
    const res = await agent.get('/api/secret').set('X-CSRF', '1').expect(403);
    expect(res.body).to.deep.equal({ error: 'forbidden', message: FORBIDDEN_MESSAGE, role: 'Secrets.Read' });
    expect((await getBootstrap(agent)).account?.roles).to.deep.equal([]);
  });

  it('a role removed at Entra counts from the next sign-in: the fresh sign-in without it is forbidden', async () => {
    const agent = app().agent();
    await signIn(agent, ALICE);
    const vault = vaultAnswers();
    await agent.get('/api/secret').set('X-CSRF', '1').expect(200);
    const withoutRole: TestUser = { ...ALICE, roles: [] };
    await signIn(agent, withoutRole);
    const res = await agent.get('/api/secret').set('X-CSRF', '1').expect(403);
    expect(res.body.error).to.equal('forbidden');
    vault.done();
  });

  it('ROUTE_ROLES protects other routes, and `none` turns the default off', async () => {
    const guarded = app({ ROUTE_ROLES: '/api/me=Profile.Read' }).agent();
    await signIn(guarded, ALICE);
    const res = await guarded.get('/api/me').set('X-CSRF', '1').expect(403);
    expect(res.body).to.include({ error: 'forbidden', role: 'Profile.Read' });
    // The list replaces the default: /api/secret no longer needs a role.
    const vault = vaultAnswers();
    await guarded.get('/api/secret').set('X-CSRF', '1').expect(200);
    vault.done();

    mockMetadata(); // a second app fetches its own metadata
    const open = app({ ROUTE_ROLES: 'none' }).agent();
    await signIn(open, BOB);
    const vault2 = vaultAnswers();
    await open.get('/api/secret').set('X-CSRF', '1').expect(200);
    vault2.done();
    expect((await getBootstrap(open)).requiredRoles).to.deep.equal({});
  });

  it('without a session the role check answers 401 login_required, not 403', async () => {
    const res = await app().agent().get('/api/secret').set('X-CSRF', '1').expect(401);
    expect(res.body.error).to.equal('login_required');
  });

  it('rolesOf keeps only role names from any claim value; hasRole matches case-insensitively and nothing else', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const roles = rolesOf(value);
        expect(roles.every((r) => typeof r === 'string' && r.length > 0)).to.equal(true);
        if (!Array.isArray(value)) expect(roles).to.deep.equal([]);
      }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[A-Za-z][\w.]{0,20}$/)),
        fc.stringMatching(/^[A-Za-z][\w.]{0,20}$/),
        (roles, role) => {
          expect(hasRole(roles, role)).to.equal(roles.some((r) => r.toLowerCase() === role.toLowerCase()));
          expect(hasRole([...roles, role.toUpperCase()], role)).to.equal(true);
        },
      ),
    );
  });
});
