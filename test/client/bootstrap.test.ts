import { expect } from 'chai';
import { BootstrapError, parseBootstrap, parseBootstrapJson } from '../../client/app/bootstrap';
import { testBootstrap } from './helpers/testStore';

function problemsOf(value: unknown): string[] {
  try {
    parseBootstrap(value);
  } catch (error) {
    expect(error).to.be.instanceOf(BootstrapError);
    return (error as BootstrapError).problems;
  }
  throw new Error('expected parseBootstrap to throw');
}

describe('parseBootstrap', () => {
  it('accepts a well-formed payload and drops unknown fields', () => {
    const payload = { ...testBootstrap(), extra: 'ignored' };
    const parsed = parseBootstrap(JSON.parse(JSON.stringify(payload)));
    expect(parsed).to.deep.equal(testBootstrap());
  });

  it('accepts an anonymous payload with optional metadata strings', () => {
    const payload = testBootstrap({
      account: null,
      spaCode: null,
      routes: { signIn: '/auth/signin', signOut: null, freshSpaCode: '/auth/spa-code' },
    });
    payload.msal.authorityMetadata = '{"issuer":"x"}';
    expect(parseBootstrap(payload).msal.authorityMetadata).to.equal('{"issuer":"x"}');
  });

  it('rejects a non-object', () => {
    expect(problemsOf(null)).to.deep.equal(['the payload must be a JSON object']);
    expect(problemsOf([])).to.deep.equal(['the payload must be a JSON object']);
  });

  it('names every malformed field in one error', () => {
    const bad = {
      ...testBootstrap(),
      msal: { ...testBootstrap().msal, clientId: '', authority: 'not a url', knownAuthorities: 'localhost' },
      scopes: [1],
      graphBaseUrl: 'javascript:alert(1)',
      spaCode: 42,
      routes: { signIn: 'https://evil.test/signin', signOut: '//evil.test', freshSpaCode: '/auth/spa-code' },
    };
    expect(problemsOf(bad)).to.deep.equal([
      'msal.clientId must be a non-empty string',
      'msal.authority must be an absolute http(s) URL',
      'msal.knownAuthorities must be an array of non-empty strings',
      'scopes must be an array of non-empty strings',
      'graphBaseUrl must be an absolute http(s) URL',
      'spaCode must be null or a non-empty string',
      'routes.signIn must be a same-origin path',
      'routes.signOut must be null or a same-origin path',
    ]);
  });

  it('rejects a malformed account and missing sections', () => {
    const { msal: _m, routes: _r, ...rest } = testBootstrap();
    expect(problemsOf({ ...rest, account: { homeAccountId: 'x' } })).to.deep.equal([
      'msal must be an object',
      'account.tenantId must be a non-empty string',
      'account.username must be a string',
      'account.name must be a string',
      'account.loginHint must be null or a non-empty string',
      'account.roles must be an array of non-empty strings',
      'routes must be an object',
    ]);
  });

  it('rejects roles that are not a list of names and required roles that are not route → role', () => {
    const payload = testBootstrap();
    (payload.account as unknown as Record<string, unknown>).roles = 'Secrets.Read';
    (payload as unknown as Record<string, unknown>).requiredRoles = { '/api/secret': 7 };
    expect(problemsOf(payload)).to.deep.equal([
      'account.roles must be an array of non-empty strings',
      'requiredRoles must be an object of route → role name',
    ]);
  });

  it('rejects a spa code without an account and metadata that is not JSON', () => {
    expect(problemsOf({ ...testBootstrap(), account: null })).to.deep.equal([
      'spaCode must be null when there is no account',
    ]);
    const payload = testBootstrap();
    payload.msal.cloudDiscoveryMetadata = '{nope';
    expect(problemsOf(payload)).to.deep.equal(['msal.cloudDiscoveryMetadata must be a JSON string when present']);
  });

  it('says clearly when the element holds no JSON', () => {
    expect(() => parseBootstrapJson('<!--BFF_BOOTSTRAP-->')).to.throw(
      BootstrapError,
      'Invalid bootstrap payload: the payload is not valid JSON',
    );
  });
});
