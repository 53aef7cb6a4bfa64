import { expect } from 'chai';
import nock from 'nock';
import { ALICE, entraError, tokenResponse } from '../../helpers/entraFixtures';
import { buildTestApp, mockMetadata, startSignIn } from '../../helpers/testApp';
import { tokenEndpoint } from '../../helpers/tokenEndpoint';

describe('login transaction tampering', () => {
  beforeEach(() => mockMetadata());

  it('rejects an id_token whose nonce belongs to another sign-in, with 400 and no session', async () => {
    const { agent } = buildTestApp();
    const a = agent();
    const { state } = await startSignIn(a);
    tokenEndpoint().interceptor.reply(200, tokenResponse(ALICE, { nonce: 'nonce-of-another-sign-in' }));
    const res = await a.get(`/auth/callback?code=c&state=${state}`).set('Accept', 'application/json').expect(400);
    expect(res.body.error).to.equal('invalid_login_transaction');
    await a.get('/api/me').set('X-CSRF', '1').expect(401);
  });

  it('rejects an id_token without the nonce that was sent, with 400 and no session', async () => {
    const { agent } = buildTestApp();
    const a = agent();
    const { state } = await startSignIn(a);
    tokenEndpoint().interceptor.reply(200, tokenResponse(ALICE, { nonce: null }));
    await a.get(`/auth/callback?code=c&state=${state}`).expect(400);
    await a.get('/api/me').set('X-CSRF', '1').expect(401);
  });

  it('sends the PKCE verifier whose S256 hash is the challenge, and a PKCE rejection by Entra is a 400 with no session', async () => {
    const { agent } = buildTestApp();
    const a = agent();
    const { state, codeChallenge } = await startSignIn(a);
    const endpoint = tokenEndpoint();
    endpoint.interceptor.reply(
      400,
      entraError(
        'invalid_grant',
        501481,
        'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
      ),
    );
    await a.get(`/auth/callback?code=c&state=${state}`).expect(400);
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(endpoint.lastRequest().code_verifier!).digest('base64url')).to.equal(
      codeChallenge,
    );
    await a.get('/api/me').set('X-CSRF', '1').expect(401);
  });

  it("rejects a callback carrying another browser's transaction cookie (swapped), without redeeming", async () => {
    const { agent } = buildTestApp();
    const victim = agent();
    const attacker = agent();
    await startSignIn(attacker); // the attacker holds a valid transaction cookie of their own
    const { state } = await startSignIn(victim);
    const token = tokenEndpoint().interceptor.reply(200, {});
    const res = await attacker.get(`/auth/callback?code=c&state=${state}`).expect(400);
    expect(res.text).to.match(/different browser/);
    expect(token.isDone()).to.equal(false);
    nock.cleanAll();
    await attacker.get('/api/me').set('X-CSRF', '1').expect(401);
    // The victim's transaction was consumed by the attempt: it cannot be replayed either.
    await victim.get(`/auth/callback?code=c&state=${state}`).expect(400);
  });
});
