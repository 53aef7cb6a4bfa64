// Scenarios 1 and 2: the hybrid sign-in as a person does it, and a reload that needs no token request.
import { expect } from 'chai';
import { writeJsonArtifact } from './harness';
import { expectNoProblems, homeFacts, signInToProfile, waitForProfile } from './flows';
import { openSession, stack } from './setup';

describe('e2e: hybrid sign-in', () => {
  it('1. signs in with one redirect and redeems the spa code with a single browser token request, then shows the user their own profile and contacts from Graph', async () => {
    const session = await openSession('adele');
    const { callbackAt, renderedAt } = await signInToProfile(session, 'adele');

    // Exactly one trip to the authority's /authorize (the server's sign-in), no iframe, no popup.
    const authorize = session.authorizeNavigations();
    expect(authorize, '/authorize navigations').to.have.length(1);
    expect(session.childFrames, 'hidden iframes').to.deep.equal([]);
    expect(session.popups, 'popups').to.deep.equal([]);

    // Exactly one browser POST to the token endpoint: the spa code (no redirect_uri, no PKCE verifier).
    const tokens = session.tokenRequests();
    expect(tokens, 'browser token requests').to.have.length(1);
    const form = tokens[0]!.form ?? {};
    expect(form.grant_type).to.equal('authorization_code');
    expect(form, 'spa code redemption').to.not.have.any.keys(
      'redirect_uri',
      'code_verifier',
      'client_secret',
      'client_assertion',
    );
    expect(form.code).to.equal('[redacted]');

    // The emulator agrees: one cross-origin (browser) token request; the server's redemption carried its secret.
    const emulatorTokens = stack().emulator.admin.requests({ service: 'entra', pathIncludes: '/oauth2/v2.0/token' });
    expect(
      emulatorTokens.filter((r) => r.flags.hasOrigin),
      'browser token requests seen by the emulator',
    ).to.have.length(1);
    expect(
      emulatorTokens.filter((r) => !r.flags.hasOrigin && r.flags.hasClientSecret && r.flags.hasCodeVerifier),
      'server redemption',
    ).to.have.length(1);

    // The landing page carried the one-time spa code; the browser itself called Graph with its own token.
    const landing = await session.documents.at(-1)!.bootstrap;
    expect(landing?.account?.username).to.equal('adele.vance@contoso.example');
    expect(landing?.spaCode, 'spa code in the landing bootstrap').to.be.a('string').and.not.empty;
    const graphOrigin = new URL(stack().emulator.urls.graph).origin;
    const graphCalls = session.requests.filter((r) => r.url.startsWith(`${graphOrigin}/v1.0/me`) && r.method === 'GET');
    expect(graphCalls.map((r) => new URL(r.url).pathname)).to.include.members(['/v1.0/me', '/v1.0/me/contacts']);

    const facts = await homeFacts(session.page);
    expect(facts).to.include({ status: 'authenticated', source: 'hybrid_code' });
    const shown = {
      tokenDuration: await session.page.getByTestId('token-duration').textContent(),
      sinceLoad: await session.page.getByTestId('token-since-load').textContent(),
    };
    expectNoProblems(session);

    // Split: the BFF's callback (server redemption, session, redirect) vs. loading the page and getting data.
    const landingRequest = session.requests.find(
      (r) => r.at >= callbackAt && r.navigation && r.mainFrame && !new URL(r.url).pathname.startsWith('/auth/'),
    );
    const metrics = {
      scenario: 'hybrid-sign-in',
      authorityNavigations: session.authorityNavigations().length,
      authorizeNavigations: authorize.length,
      tokenRequests: tokens.length,
      callbackToProfileMs: renderedAt - callbackAt,
      callbackToLandingRequestMs: landingRequest ? landingRequest.at - callbackAt : null,
      landingRequestToProfileMs: landingRequest ? renderedAt - landingRequest.at : null,
      appReportedTokenDuration: shown.tokenDuration,
      appReportedTokenSinceLoad: shown.sinceLoad,
      measuredAt: new Date().toISOString(),
    };
    const file = writeJsonArtifact('metrics.json', metrics);
    console.log(
      `      metrics: ${metrics.authorityNavigations} navigation(s) to the authority (${metrics.authorizeNavigations} to /authorize), ` +
        `${metrics.tokenRequests} browser token request(s), callback → profile rendered ${metrics.callbackToProfileMs} ms ` +
        `(BFF callback ${metrics.callbackToLandingRequestMs} ms, page load → profile ${metrics.landingRequestToProfileMs} ms; ` +
        `app: token ${shown.tokenDuration}, since load ${shown.sinceLoad}) → ${file}`,
    );
  });

  it('2. a reload renders the data again from the cached tokens with zero token requests and no spa code in the bootstrap', async () => {
    const session = await openSession('adele');
    await signInToProfile(session, 'adele');
    const page = session.page;

    const mark = session.mark();
    const documentsBefore = session.documents.length;
    await page.reload();
    await waitForProfile(page);
    expect(await page.getByTestId('profile-name').textContent()).to.equal('Adele Vance');

    expect(session.tokenRequests(mark), 'token requests after the reload').to.deep.equal([]);
    expect(session.authorityNavigations(mark), 'authority navigations after the reload').to.deep.equal([]);
    const reloaded = session.documents.slice(documentsBefore);
    expect(reloaded, 'documents loaded by the reload').to.have.length(1);
    const bootstrap = await reloaded[0]!.bootstrap;
    expect(bootstrap?.account?.username).to.equal('adele.vance@contoso.example');
    expect(bootstrap?.spaCode, 'spa code after the reload').to.equal(null);

    const facts = await homeFacts(page);
    expect(facts).to.include({ status: 'authenticated', source: 'silent' });
    expectNoProblems(session);
  });
});
