import { expect } from 'chai';
import nock from 'nock';
import { isApiError, type ApiError } from '../../client/api/apiError';
import { secretApi } from '../../client/features/secret/secretApi';
import { API_ERROR_CODES } from '../../shared-types/apiErrorCode';
import { buildTestStore } from './helpers/testStore';

const BFF = 'http://bff.test';

describe('apiError contract', () => {
  it('isApiError accepts a base query error and rejects a serialized exception or nothing', () => {
    const error: ApiError = { status: 503, code: 'store_unavailable', message: 'Try again.' };
    expect(isApiError(error)).to.equal(true);
    expect(isApiError({ name: 'TypeError', message: 'x is not a function' })).to.equal(false);
    expect(isApiError(undefined)).to.equal(false);
  });

  it('passes every code of the shared contract through from the BFF', async () => {
    for (const code of API_ERROR_CODES.filter((c) => c !== 'login_required')) {
      const { store } = buildTestStore();
      const api = nock(BFF).get('/api/secret').reply(400, { error: code, message: 'm' });
      const result = await store.dispatch(secretApi.endpoints.secret.initiate());
      expect(result.error, code).to.deep.equal({ status: 400, code, message: 'm' });
      api.done();
    }
  });

  it('reports a code outside the contract (a proxy’s own JSON) as the bare HTTP status', async () => {
    const { store } = buildTestStore();
    const api = nock(BFF).get('/api/secret').reply(502, { error: 'Bad Gateway', message: 'upstream connect error' });
    const result = await store.dispatch(secretApi.endpoints.secret.initiate());
    expect(result.error).to.include({ status: 502, code: 'http_502' });
    api.done();
  });
});
