import { expect } from 'chai';
import nock from 'nock';
import { ALICE, tokenResponse } from '../../helpers/entraFixtures';
import { tokenEndpoint } from '../../helpers/tokenEndpoint';
import { mockMetadata } from '../../helpers/testApp';
import { redisTestConfig, uniqueKeyPrefix } from '../../helpers/redis';
import { Browser, sessionUserOf, signInAcross, twoInstancesSharingRedis, type BffInstance } from './bffInstances';

/** A token endpoint that answers refresh-token grants after `delayMs` and counts them. */
function countingRefreshEndpoint(delayMs: number) {
  const counter = { refreshes: 0 };
  tokenEndpoint('refresh_token')
    .interceptor.times(100)
    .delay(delayMs)
    // Still "expired" for MSAL (under its 5-minute renewal margin), so the next round refreshes again.
    .reply(200, () => {
      counter.refreshes += 1;
      return tokenResponse(ALICE, { nonce: null, spaCode: null, expiresIn: 1 });
    });
  return counter;
}

describe('refresh single-flight with several instances', () => {
  const prefix = uniqueKeyPrefix();
  const config = redisTestConfig(prefix);
  const pair = twoInstancesSharingRedis(config, prefix);
  let a: BffInstance;
  let b: BffInstance;
  before(() => ({ a, b } = pair));

  it('50 parallel acquisitions for one user with an expired access token make one token request per instance', async () => {
    mockMetadata();
    const browser = new Browser();
    await signInAcross(browser, a, ALICE, { expiresIn: 1 });
    const user = await sessionUserOf(browser, a);

    const oneInstance = countingRefreshEndpoint(100);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => a.services.tokenService.acquire(user, ['Mail.Read'])),
    );
    expect(oneInstance.refreshes, 'token requests from one instance').to.equal(1);
    expect(new Set(results.map((r) => r.accessToken)).size).to.equal(1);
    expect(a.services.tokenService.inFlight).to.equal(0);
    nock.cleanAll();
    mockMetadata(); // B has not needed the authority yet

    // Both instances at once, the refresh slow enough that neither sees the other's write: one request each, and
    // whichever writes last leaves a valid refresh token (Entra keeps the previous one valid, see tokenService.ts).
    const twoInstances = countingRefreshEndpoint(200);
    const both = await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 ? b : a).services.tokenService.acquire(user, ['Mail.Read'])),
    );
    expect(twoInstances.refreshes, 'token requests from two instances').to.equal(2);
    expect(new Set(both.map((r) => r.accessToken)).size).to.equal(2);
    expect(await a.stores.tokenCache.get(user.homeAccountId)).to.contain('RefreshToken');
    nock.cleanAll();
  });
});
