// Label hygiene: values a client controls stay bounded, and path templates never keep ids or e-mail addresses.
import { expect } from 'chai';
import fc from 'fast-check';
import { pathTemplate } from '../../../bff/observability/instrumentDownstream';
import { boundedLabel, errorType } from '../../../bff/observability/observability';

describe('telemetry label hygiene', () => {
  it('boundedLabel: any stream of values yields at most max + 1 distinct labels, each a short identifier', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 80 }), { maxLength: 300 }),
        fc.integer({ min: 1, max: 20 }),
        (values, max) => {
          const label = boundedLabel(max);
          const out = new Set(values.map(label));
          expect(out.size).to.be.at.most(max + 1);
          for (const v of out) expect(v).to.match(/^[A-Za-z][\w.-]{0,63}$/);
        },
      ),
    );
  });

  it('pathTemplate: e-mail addresses, GUIDs and long opaque segments never survive', () => {
    const secretSegment = fc.oneof(
      fc.emailAddress(),
      fc.uuid(),
      fc.string({ minLength: 41, maxLength: 120 }).map((s) => s.replace(/\//g, 'x')),
    );
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('v1.0', 'me', 'users', 'messages', 'secrets'), { maxLength: 4 }),
        secretSegment,
        (fixed, secret) => {
          const path = `/${[...fixed, encodeURIComponent(secret), 'sendMail'].join('/')}`;
          expect(pathTemplate(path)).not.to.include(encodeURIComponent(secret));
        },
      ),
    );
    expect(pathTemplate('/v1.0/me/messages')).to.equal('/v1.0/me/messages');
  });

  it('errorType: a stable code or class name, never a free-text message', () => {
    fc.assert(
      fc.property(fc.string(), (message) => {
        const t = errorType(new Error(message));
        expect(t).to.equal('Error');
      }),
    );
    expect(errorType(Object.assign(new Error('x'), { errorCode: 'invalid_grant' }))).to.equal('invalid_grant');
  });
});
