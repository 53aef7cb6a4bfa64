import { expect } from 'chai';
import fc from 'fast-check';
import { z } from 'zod';
import { AppError } from '../../../bff/http/errors';
import { parseOrThrow, single } from '../../../bff/http/validate';
import { ALICE } from '../../helpers/entraFixtures';
import { buildTestApp, mockMetadata, signIn } from '../../helpers/testApp';

function rejection(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected a rejection');
}

describe('validate (parseOrThrow)', () => {
  const body = z.strictObject({
    name: z.string({ error: 'name is required' }),
    age: z.number({ error: 'age must be a number' }),
  });

  it('returns the parsed value when the input is valid', () => {
    expect(parseOrThrow(body, { name: 'a', age: 1 }, 'invalid_request')).to.deep.equal({ name: 'a', age: 1 });
  });

  it('rejects with a 400 carrying the code and every problem once, ending with a period', () => {
    const err = rejection(() => parseOrThrow(body, { extra: 1, other: 2 }, 'invalid_request'));
    expect(err.status).to.equal(400);
    expect(err.code).to.equal('invalid_request');
    expect(err.message).to.equal('name is required; age must be a number; unknown fields: extra, other.');
  });

  it('says the body must be a JSON object only when an object was expected', () => {
    expect(rejection(() => parseOrThrow(body, [], 'invalid_request')).message).to.equal(
      'the request body must be a JSON object.',
    );
    const param = z.string({ error: 'sid is required' });
    expect(rejection(() => parseOrThrow(param, undefined, 'invalid_sid')).message).to.equal('sid is required.');
  });

  it('validates a repeated query parameter as its joined text (so top=1&top=2 fails a number check)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1 }), { minLength: 2, maxLength: 5 }), (values) => {
        const joined = single(values);
        expect(joined).to.equal(values.join(','));
      }),
    );
    const top = z.string().regex(/^\d+$/, 'top must be a whole number');
    expect(rejection(() => parseOrThrow(top, single(['1', '2']), 'invalid_query')).message).to.equal(
      'top must be a whole number.',
    );
    expect(single('x')).to.equal('x');
    expect(single(undefined)).to.equal(undefined);
  });
});

describe('/auth query validation', () => {
  const cases: [string, string, string][] = [
    ['/auth/signin?prompt=none', 'invalid_prompt', 'prompt may only be "select_account" or "login".'],
    [
      '/auth/signin?returnTo=https://evil.example',
      'invalid_return_to',
      'returnTo must be a path inside this app, such as /profile.',
    ],
    ['/auth/consent?scopes=', 'invalid_scopes', 'scopes is required, e.g. scopes=Mail.Send.'],
    ['/auth/consent?scopes=Files.ReadWrite.All', 'invalid_scopes', 'Only these permissions can be requested here:'],
    ['/auth/consent?scopes=Mail.Send&claims=[1]', 'invalid_claims', 'claims must be a JSON claims request.'],
    ['/auth/frontchannel-logout', 'invalid_sid', 'sid is required.'],
    [
      '/auth/frontchannel-logout?sid=abc&iss=https://evil.example/tid/v2.0',
      'invalid_issuer',
      "iss does not match this app's authority.",
    ],
  ];
  for (const [path, code, message] of cases) {
    it(`answers ${path} with 400 ${code} and a message saying what is accepted`, async () => {
      const app = buildTestApp();
      const agent = app.agent();
      mockMetadata();
      if (path.startsWith('/auth/consent')) await signIn(agent, ALICE);
      const res = await agent.get(path).set('Accept', 'application/json').expect(400);
      expect(res.body.error).to.equal(code);
      expect(res.body.message).to.contain(message);
    });
  }

  it('accepts a consent request for a known scope in any letter case and sends its canonical spelling', async () => {
    const app = buildTestApp();
    const agent = app.agent();
    mockMetadata();
    await signIn(agent, ALICE);
    const res = await agent.get('/auth/consent?scopes=mail.send').expect(302);
    expect(new URL(res.headers.location as string).searchParams.get('scope')).to.contain('Mail.Send');
  });
});
