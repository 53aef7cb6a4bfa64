// Healthy Entra, Graph, managed identity and Key Vault (nock, optional, many times): with these, every 5xx in a
// robustness test is the BFF's own fault (the downstream failure paths have their own tests).
import nock from 'nock';
import { INSTANCE, METADATA_PATH, entraError, openIdConfiguration } from './entraFixtures';
import { setManagedIdentityEnv } from './managedIdentityEnv';
import { tokenEndpoint } from './tokenEndpoint';

/** Installs the mocks; returns the function that restores the managed-identity environment. */
export function healthyDownstreams(times = 2000): () => void {
  const persist = <T extends nock.Interceptor>(i: T) => i.optionally().times(times);
  persist(nock(INSTANCE).get(METADATA_PATH)).reply(200, openIdConfiguration);
  persist(tokenEndpoint().interceptor).reply(400, {
    ...entraError('invalid_grant', 65001, 'consent required'),
    suberror: 'consent_required',
  });
  persist(nock('https://graph.microsoft.com').get('/v1.0/me/messages').query(true)).reply(200, { value: [] });
  persist(nock('https://graph.microsoft.com').post('/v1.0/me/sendMail')).reply(202);
  const restoreEnv = setManagedIdentityEnv('http://169.254.255.2:8081/msi/token', 'fuzz-identity-header');
  persist(nock('http://169.254.255.2:8081').get('/msi/token').query(true)).reply(200, {
    access_token: 'mi-token',
    expires_on: String(Math.floor(Date.now() / 1000) + 3600),
    resource: 'https://vault.azure.net',
    token_type: 'Bearer',
  });
  persist(
    nock('https://contoso-vault.vault.azure.net')
      .get(/^\/secrets\//)
      .query(true),
  ).reply(200, {
    value: 'v',
    id: 'https://contoso-vault.vault.azure.net/secrets/app-secret/0123456789abcdef0123456789abcdef',
    attributes: { enabled: true, updated: 1790000000 },
  });
  return restoreEnv;
}
