import { expect } from 'chai';
import type { AuthenticationResult } from '@azure/msal-node';
import type { GraphClient } from '../../bff/downstream/graphClient';
import type { Services } from '../../bff/services';
import { ALICE } from '../helpers/entraFixtures';
import { buildTestApp, mockMetadata, signIn, testConfig } from '../helpers/testApp';

describe('composition (createServices + createApp)', () => {
  it('builds every client the routers use (Graph, Key Vault, managed identity) from config', () => {
    const { services } = buildTestApp();
    expect(services.graph).to.have.property('listMessages').that.is.a('function');
    expect(services.keyVault).to.have.property('getSecret').that.is.a('function');
    expect(services.managedIdentity).to.have.property('getToken').that.is.a('function');
  });

  it('has no Key Vault client when KEY_VAULT_URL is not set', () => {
    const { services } = buildTestApp({ config: testConfig({ KEY_VAULT_URL: '', KEY_VAULT_SECRET_NAMES: '' }) });
    expect(services.keyVault).to.equal(null);
  });

  it('lets a test swap any client: /api/mail runs on the swapped token service and Graph client', async () => {
    mockMetadata();
    const seen: string[] = [];
    const graph: GraphClient = {
      listMessages: async (token, page) => {
        seen.push(`list ${token} ${page.top}/${page.skip}`);
        return { messages: [], nextSkip: null };
      },
      sendMail: () => Promise.reject(new Error('not used')),
    };
    const swap = (s: Services): Services => ({
      ...s,
      graph,
      tokenService: {
        inFlight: 0,
        acquire: async (_user, scopes) => ({ accessToken: `fake-${scopes.join('+')}` }) as AuthenticationResult,
      },
    });
    const { agent } = buildTestApp({ adjustServices: swap });
    const a = agent();
    await signIn(a, ALICE);
    const res = await a.get('/api/mail?top=5').set('X-CSRF', '1').expect(200);
    expect(res.body).to.deep.equal({ messages: [], top: 5, skip: 0, nextSkip: null });
    expect(seen).to.deep.equal(['list fake-Mail.Read 5/0']);
  });
});
