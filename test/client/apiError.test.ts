import { expect } from 'chai';
import fc from 'fast-check';
import { describeApiError, fetchError, type ApiError } from '../../client/api/apiError';

const SERVICES = ['the server', 'your mailbox', 'Microsoft Graph', 'the secret store', 'the mail service'];
/** Every code the BFF sends today (bff/http/errors.ts and friends), plus Graph's and unknown ones. */
const CODES = [
  'account_mismatch',
  'downstream_throttled',
  'identity_provider_busy',
  'identity_provider_error',
  'identity_provider_timeout',
  'identity_provider_unavailable',
  'managed_identity_unavailable',
  'rate_limited',
  'server_error',
  'spa_not_built',
  'upstream_bad_response',
  'upstream_error',
  'upstream_timeout',
  'upstream_unavailable',
  'vault_unauthorized',
  'serviceNotAvailable',
  'generalException',
  'http_500',
  'something_new',
];

describe('describeApiError (what the user reads)', () => {
  it("never shows the server's own wording for a 5xx error, whatever the code (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 500, max: 599 }),
        fc.constantFrom(...CODES),
        fc.constantFrom(
          'Run the BFF on Azure with a managed identity, or set IDENTITY_ENDPOINT and IDENTITY_HEADER',
          'ECONNREFUSED 10.0.0.7:443',
          'stack at foo.ts:12',
        ),
        fc.option(fc.integer({ min: 0, max: 3600 }), { nil: undefined }),
        fc.constantFrom(...SERVICES),
        (status, code, operatorDetail, retryAfter, service) => {
          const error: ApiError<string> = {
            status,
            code,
            message: operatorDetail,
            ...(retryAfter !== undefined && { retryAfter }),
          };
          const text = describeApiError(error, service);
          expect(text).not.to.contain(operatorDetail);
          expect(text).not.to.match(/IDENTITY_|ECONN|stack|\(retry in/);
          expect(text).to.match(/try again|contact support/i);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('says how long to wait in words, with no "(retry in Ns)" countdown that nothing runs', () => {
    const busy: ApiError = { status: 503, code: 'upstream_unavailable', message: 'x', retryAfter: 5 };
    expect(describeApiError(busy, 'your mailbox')).to.equal(
      'Your mailbox is not responding right now. Wait about 5 seconds and try again.',
    );
    expect(describeApiError({ status: 429, code: 'rate_limited', message: 'x' }, 'the server')).to.equal(
      'The server is receiving too many requests. Wait a moment and try again.',
    );
  });

  it('names the service that could not be reached, not "the server" when only Graph is down', () => {
    const graphDown = fetchError(new TypeError('Failed to fetch'), 'Microsoft Graph');
    expect(describeApiError(graphDown, 'Microsoft Graph')).to.equal(
      'Could not reach Microsoft Graph. Check your connection and try again.',
    );
    expect(describeApiError({ status: 503, code: 'serviceNotAvailable', message: 'x' }, 'Microsoft Graph')).to.match(
      /^Microsoft Graph is not responding/,
    );
  });

  it('keeps messages written for users (validation, consent) and replaces unknown 4xx wording with the status', () => {
    expect(describeApiError({ status: 400, code: 'invalid_request', message: 'body must not be empty.' })).to.equal(
      'body must not be empty.',
    );
    expect(describeApiError({ status: 403, code: 'consent_required', message: 'Grant Mail.Send.' })).to.equal(
      'Grant Mail.Send.',
    );
    expect(describeApiError({ status: 418, code: 'teapot', message: 'internal detail' })).to.equal(
      'The request failed (HTTP 418).',
    );
  });

  it('tells a managed-identity outage as "the secret store is not available", never the settings to fix', () => {
    const text = describeApiError(
      {
        status: 503,
        code: 'managed_identity_unavailable',
        message: 'set IDENTITY_ENDPOINT and IDENTITY_HEADER',
        retryAfter: 5,
      },
      'the secret store',
    );
    expect(text).to.equal(
      'The secret store is not available right now. Try again later; if it keeps happening, contact support.',
    );
  });
});
