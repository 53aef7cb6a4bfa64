import { expect } from 'chai';
import { parseReturnTo } from '../../bff/auth/returnTo';
import { ALICE } from '../helpers/entraFixtures';
import { buildTestApp, mockMetadata, signIn, testConfig } from '../helpers/testApp';

/** Open-redirect payloads (oauth2-proxy's redirect test cases plus Duende's local-URL rules). */
export const HOSTILE_RETURN_TO = [
  'https://evil.example',
  'http://evil.example/path',
  '//evil.example',
  '//evil.example/path',
  '///evil.example',
  '////evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  '/\\/evil.example',
  '\\/evil.example',
  '/%5Cevil.example',
  '/%2F%2Fevil.example',
  '/%2fevil.example',
  '%2F%2Fevil.example',
  'javascript:alert(1)',
  'JavaScript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'evil.example',
  '.evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r\n/evil.example',
  '/%09/evil.example',
  '/%0d%0a/evil.example',
  '/%00/evil.example',
  '\u0000/path',
  ' /path',
  ' //evil.example',
  '/ /evil.example',
  'https:/evil.example',
  'https:evil.example',
  'http:\\\\evil.example',
  '/auth/signout',
  '/auth/signin?returnTo=//evil.example',
  '/api/mail/send',
  '/API/me',
  '',
  '/\u2028evil',
  '/' + 'a'.repeat(3000),
  '%',
  '/%E0%A4%A',
  'https://localhost:3000.evil.example/',
  'http://localhost:3000@evil.example/',
  '//localhost:3000@evil.example',
  '/\\localhost:3000@evil.example',
  '@evil.example',
  'ftp://evil.example',
  'file:///etc/passwd',
  '//%5Cevil.example',
  '/%5C%5Cevil.example',
  '/.%2F%2Fevil.example',
  '/%2e%2e%2f%2f/evil.example',
  '\t//evil.example',
  '/\u0009/evil.example',
  '//evil%E3%80%82example',
  '/%E2%80%A8evil',
  '/\u00a0//evil.example',
  '\ufeff/path',
  'http:/\\evil.example',
  '/\\\\evil.example',
  'https:///evil.example',
  '/auth/callback?code=x',
  '/api/secret',
  // Dot segments: new URL() resolves them, so these used to come back as //evil.example.
  '/.//evil.example',
  '/a/..//evil.example',
  '/%2e%2e//evil.example',
  '/x/../..//evil.example',
  '/%2E/%2E%2E//evil.example',
  '/.%2e//evil.example',
  '/%252e%252e//evil.example',
  '/%61pi/secret',
  '/a/../send',
];

describe('returnTo validation', () => {
  it(`rejects ${HOSTILE_RETURN_TO.length} hostile values`, () => {
    const accepted = HOSTILE_RETURN_TO.filter((v) => parseReturnTo(v) !== null);
    expect(accepted).to.deep.equal([]);
  });

  it('rejects non-strings', () => {
    for (const v of [undefined, null, 1, ['/a', '/b'], { a: 1 }]) expect(parseReturnTo(v)).to.equal(null);
  });

  it('accepts local paths', () => {
    expect(parseReturnTo('/')).to.equal('/');
    expect(parseReturnTo('/profile')).to.equal('/profile');
    expect(parseReturnTo('/mail?skip=10#top')).to.equal('/mail?skip=10#top');
    expect(parseReturnTo('/search?q=100%25')).to.equal('/search?q=100%25');
    expect(parseReturnTo('/mail?q=a%20b')).to.equal('/mail?q=a%20b');
    expect(parseReturnTo('/caf%C3%A9')).to.equal('/caf%C3%A9');
  });

  for (const route of ['/auth/signin', '/auth/consent?scopes=Mail.Send&', '/auth/signout?', '/auth/spa-code']) {
    it(`answers every hostile returnTo on ${route.replace(/[?&]$/, '')} with 400 and no redirect, signed in or not`, async () => {
      mockMetadata();
      const { agent } = buildTestApp({
        config: testConfig({
          RATE_LIMIT_SIGNIN_PER_MINUTE: '100000',
          RATE_LIMIT_SPA_CODE_PER_USER_PER_MINUTE: '100000',
        }),
      });
      const signedIn = agent();
      await signIn(signedIn, ALICE);
      const sep = route.includes('?') ? '' : '?';
      for (const [i, value] of HOSTILE_RETURN_TO.entries()) {
        const a = i % 2 === 0 ? signedIn : agent();
        const res = await a
          .get(`${route}${sep}returnTo=${encodeURIComponent(value)}`)
          .set('Accept', 'application/json');
        expect(res.status, `returnTo=${JSON.stringify(value)}`).to.equal(400);
        expect(res.body.error).to.equal('invalid_return_to');
        expect(res.headers.location).to.equal(undefined);
      }
      await signedIn.get('/api/me').set('X-CSRF', '1').expect(200);
    });
  }
});
