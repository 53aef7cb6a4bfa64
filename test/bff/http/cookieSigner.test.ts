import { expect } from 'chai';
import Keygrip from 'keygrip';
import { CookieSigner } from '../../../bff/http/cookieSigner';

describe('CookieSigner', () => {
  const keys = ['new-key-0123456789abcdef0123456789', 'old-key-0123456789abcdef0123456789'];

  it('signs exactly like Keygrip with sha256, so cookies stay valid across the switch', () => {
    const ours = new CookieSigner(keys);
    const theirs = new Keygrip(keys, 'sha256');
    for (const data of ['hsb=abc', 'hsb-tx=' + 'x'.repeat(43), '']) expect(ours.sign(data)).to.equal(theirs.sign(data));
  });

  it('verifies with any key (rotation) and reports which one', () => {
    const ours = new CookieSigner(keys);
    const oldOnly = new CookieSigner([keys[1]!]);
    expect(ours.index('v', ours.sign('v'))).to.equal(0);
    expect(ours.index('v', oldOnly.sign('v'))).to.equal(1);
    expect(ours.verify('v', oldOnly.sign('v'))).to.equal(true);
  });

  it('rejects tampered data, foreign keys, truncated and non-string digests', () => {
    const ours = new CookieSigner(keys);
    const sig = ours.sign('v');
    expect(ours.index('w', sig)).to.equal(-1);
    expect(ours.index('v', new CookieSigner(['other-key-0123456789abcdef012345']).sign('v'))).to.equal(-1);
    expect(ours.index('v', sig.slice(1))).to.equal(-1);
    expect(ours.index('v', undefined as unknown as string)).to.equal(-1);
    expect(() => new CookieSigner([])).to.throw(TypeError);
  });
});
