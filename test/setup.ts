// Root hooks: no real network from tests (loopback only, for servers tests start), and unused HTTP mocks fail loudly.
import { expect } from 'chai';
import nock from 'nock';

export const mochaHooks = {
  beforeAll(): void {
    nock.disableNetConnect();
    nock.enableNetConnect((host: string) => /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(host));
  },
  afterEach(): void {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending, 'unused HTTP mocks').to.deep.equal([]);
  },
};
