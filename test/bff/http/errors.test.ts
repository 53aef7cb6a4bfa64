import { expect } from 'chai';
import fc from 'fast-check';
import { toAppError } from '../../../bff/http/errorHandler';
import {
  AccountMismatchError,
  AppError,
  BadRequestError,
  ConsentRequiredError,
  CsrfError,
  ForbiddenError,
  IdentityProviderError,
  InternalError,
  LoginRequiredError,
  LoginTransactionError,
  NotFoundError,
  StoreUnavailableError,
  UpstreamError,
} from '../../../bff/http/errors';
import { API_ERROR_CODES, isApiErrorCode } from '../../../shared-types/apiErrorCode';
import { buildTestApp } from '../../helpers/testApp';

describe('AppError: each error decides whether the user sees it', () => {
  const cases: [AppError, number, string, boolean][] = [
    [new BadRequestError('m', { code: 'invalid_query' }), 400, 'invalid_query', true],
    [new LoginTransactionError('m'), 400, 'invalid_login_transaction', true],
    [new AccountMismatchError(), 400, 'account_mismatch', true],
    [new IdentityProviderError('access_denied', 'm'), 403, 'identity_provider_error', true],
    [new LoginRequiredError(), 401, 'login_required', true],
    [new ConsentRequiredError(['Mail.Send'], '/auth/consent'), 403, 'consent_required', true],
    [new CsrfError('m'), 403, 'csrf_rejected', true],
    [new ForbiddenError('vault_forbidden', 'm'), 403, 'vault_forbidden', true],
    [new NotFoundError(), 404, 'not_found', true],
    [new StoreUnavailableError(), 503, 'store_unavailable', true],
    [new UpstreamError(503, 'upstream_unavailable', 'm'), 503, 'upstream_unavailable', true],
    [new AppError(503, 'spa_not_built', 'Run npm run build', { expose: true }), 503, 'spa_not_built', true],
    [new InternalError(), 500, 'server_error', false],
  ];
  for (const [err, status, code, expose] of cases) {
    it(`${err.name} (${code}) is ${status} and ${expose ? 'shown' : 'hidden'}`, () => {
      expect({ status: err.status, code: err.code, expose: err.expose }).to.deep.equal({ status, code, expose });
    });
  }

  it('builds account_mismatch in one place with one message', () => {
    expect(new AccountMismatchError().message).to.equal(new AccountMismatchError({ cause: new Error('x') }).message);
  });

  it('maps anything thrown to a status and a code from the shared contract', () => {
    const thrown = fc.oneof(
      fc.record({
        status: fc.integer({ min: 100, max: 599 }),
        expose: fc.boolean(),
        message: fc.string(),
        type: fc.constantFrom(undefined, 'entity.too.large', 'entity.parse.failed'),
      }),
      fc.string().map((m) => new Error(m)),
      fc.string().map((m) => new SyntaxError(m)),
      fc.anything(),
    );
    fc.assert(
      fc.property(thrown, (raw) => {
        const err = toAppError(raw);
        expect(isApiErrorCode(err.code), err.code).to.equal(true);
        expect(err.status).to.be.within(400, 599);
        if (err.status >= 500) expect(err.expose).to.equal(false);
      }),
    );
  });

  it('lists every code once', () => {
    expect(new Set(API_ERROR_CODES).size).to.equal(API_ERROR_CODES.length);
  });
});

describe('error responses', () => {
  it('shows an exposed 5xx its own message: spa_not_built tells the operator to run npm run build', async () => {
    const { agent } = buildTestApp({ adjustServices: (s) => ({ ...s, indexTemplate: { get: async () => null } }) });
    const res = await agent().get('/profile').set('Accept', 'text/html').expect(503);
    expect(res.text).to.contain('spa_not_built').and.contain('npm run build');
    expect(res.text).not.to.contain('Something went wrong');
  });

  it('hides an unexpected failure behind server_error without its message', async () => {
    const { agent } = buildTestApp({
      adjustServices: (s) => ({
        ...s,
        indexTemplate: { get: () => Promise.reject(new Error('EACCES /srv/secret-path/index.html')) },
      }),
    });
    const res = await agent().get('/profile').set('Accept', 'text/html').expect(500);
    expect(res.text).to.contain('server_error').and.contain('Something went wrong');
    expect(res.text).not.to.contain('secret-path');
  });
});
