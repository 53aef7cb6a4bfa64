// Open redirect as a class: generated returnTo values built from slashes, backslashes, dots, percent-encodings,
// Unicode slashes, whitespace and controls, thrown at parseReturnTo and at all four routes that take returnTo.
import { expect } from 'chai';
import fc from 'fast-check';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import supertest from 'supertest';
import { parseReturnTo } from '../../../bff/auth/returnTo';
import { hostileReturnTo } from '../../helpers/hostileUrls';
import { ALICE, INSTANCE, openIdConfiguration, tokenResponse } from '../../helpers/entraFixtures';
import { buildTestApp, mockMetadata, signIn, testConfig } from '../../helpers/testApp';
import { tokenEndpoint } from '../../helpers/tokenEndpoint';

const APP_ORIGIN = 'http://localhost:3000';

/** Where a browser goes with this Location, answered to a request for `requestPath`. */
function followedOrigin(location: string, requestPath: string): string {
  try {
    return new URL(location, `${APP_ORIGIN}${requestPath}`).origin;
  } catch {
    return `(unparseable Location: ${location})`;
  }
}

describe('open redirect (property tests)', () => {
  it('parseReturnTo: every accepted value of 20 000 generated paths stays in the app, with no dot segment and no /auth or /api', () => {
    let accepted = 0;
    fc.assert(
      fc.property(hostileReturnTo, (value) => {
        const path = parseReturnTo(value);
        if (path === null) return;
        accepted++;
        expect(path, value).to.match(/^\/(?![/\\])/);
        expect(followedOrigin(path, '/auth/callback?code=c'), value).to.equal(APP_ORIGIN);
        expect(new URL(path, APP_ORIGIN).pathname.toLowerCase(), value).not.to.match(/^\/(auth|api)(\/|$)/);
        expect(path.split(/[?#]/)[0]!.split('/'), value).not.to.include.members(['.', '..']);
      }),
      { numRuns: 20_000, seed: 1_912 },
    );
    // The generator must exercise the accept path too, or the property says nothing.
    expect(accepted).to.be.greaterThan(500);
  });

  describe('all four routes: the Location a browser follows is on the app origin (10 000 generated values)', () => {
    let server: Server;
    beforeEach(() => mockMetadata());
    before(async () => {
      // Configured metadata: no refetch on a slow machine turns a minute-long run into 503s.
      const app = buildTestApp({
        config: testConfig({
          RATE_LIMIT_SIGNIN_PER_MINUTE: '100000',
          RATE_LIMIT_SPA_CODE_PER_USER_PER_MINUTE: '100000',
          RATE_LIMIT_CALLBACK_PER_MINUTE: '100000',
          ENTRA_AUTHORITY_METADATA: JSON.stringify(openIdConfiguration),
        }),
      });
      server = createServer(app.server).listen(0, '127.0.0.1');
      await once(server, 'listening');
    });
    after(() => server.close());

    /** Entra: one persistent token endpoint answering with the nonce of the sign-in that issued the code. */
    function persistentTokenEndpoint(): Map<string, string> {
      const nonces = new Map<string, string>();
      tokenEndpoint()
        .interceptor.optionally()
        .times(20_000)
        .reply(200, (_uri, body) => {
          const code = new URLSearchParams(body as string).get('code') ?? '';
          return tokenResponse(ALICE, { nonce: nonces.get(code) ?? null, spaCode: null });
        });
      return nonces;
    }

    /** Sends the browser back from the authority and returns the BFF's final Location. */
    async function roundTrip(
      agent: ReturnType<typeof supertest.agent>,
      authorizeUrl: string,
      nonces: Map<string, string>,
      viaError: boolean,
    ): Promise<string> {
      const url = new URL(authorizeUrl);
      expect(url.origin).to.equal(INSTANCE);
      const state = url.searchParams.get('state')!;
      const code = `code-${Math.random().toString(36).slice(2)}`;
      nonces.set(code, url.searchParams.get('nonce')!);
      const query = viaError ? `error=login_required&state=${state}` : `code=${code}&state=${state}`;
      const res = await agent.get(`/auth/callback?${query}`);
      expect(res.status, res.text).to.equal(302);
      return res.headers.location as string;
    }

    const ROUTES = [
      { route: '/auth/signout', signedIn: false },
      { route: '/auth/signin', signedIn: false },
      { route: '/auth/consent?scopes=Mail.Send', signedIn: true },
      { route: '/auth/spa-code', signedIn: true },
    ];
    for (const [i, { route, signedIn }] of ROUTES.entries()) {
      it(`${route.split('?')[0]}: 2 500 values, every 2xx/3xx answer ends on ${APP_ORIGIN}`, async function () {
        this.timeout(240_000);
        const agent = supertest.agent(server);
        if (signedIn) await signIn(agent, ALICE);
        const nonces = persistentTokenEndpoint();
        const values = fc.sample(hostileReturnTo, { numRuns: 2_500, seed: 4_242 + i });
        const escaped: string[] = [];
        let redirects = 0;
        for (const value of values) {
          const path = `${route}${route.includes('?') ? '&' : '?'}returnTo=${encodeURIComponent(value)}`;
          const res = await agent.get(path).set('Accept', 'application/json');
          if (res.status === 400) {
            expect(res.body.error, value).to.equal('invalid_return_to');
            expect(res.headers.location).to.equal(undefined);
            continue;
          }
          expect(res.status, `${JSON.stringify(value)}: ${res.text}`).to.equal(302);
          let location = res.headers.location as string;
          // Sign-in, consent and fresh-code answers go to the authority first: finish the round trip like a browser.
          if (!location.startsWith('/'))
            location = await roundTrip(agent, location, nonces, route.startsWith('/auth/spa-code'));
          redirects++;
          const requestPath = route === '/auth/signout' ? path : '/auth/callback';
          if (followedOrigin(location, requestPath) !== APP_ORIGIN)
            escaped.push(`${JSON.stringify(value)} → ${location}`);
        }
        expect(escaped).to.deep.equal([]);
        expect(redirects, 'generated values that were accepted').to.be.greaterThan(200);
      });
    }
  });
});
