import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { CacheCipher, SealedValueError } from '../../../bff/tokenCache/cacheEncryption';

describe('CacheCipher (AES-256-GCM sealing of stored values)', () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);

  it('round-trips a value for the same context and never contains the plaintext', () => {
    const cipher = new CacheCipher([k1]);
    const sealed = cipher.seal('{"RefreshToken":"secret-rt-value"}', 'tc:alice');
    expect(sealed.toString('latin1')).not.to.contain('secret-rt-value');
    expect(cipher.open(sealed, 'tc:alice')).to.equal('{"RefreshToken":"secret-rt-value"}');
  });

  it('uses a fresh IV per seal, so equal values do not look equal at rest', () => {
    const cipher = new CacheCipher([k1]);
    expect(cipher.seal('same', 'c').equals(cipher.seal('same', 'c'))).to.equal(false);
  });

  it('rejects a value moved to another context (another partition or session)', () => {
    const cipher = new CacheCipher([k1]);
    const sealed = cipher.seal('bob tokens', 'tc:bob');
    expect(() => cipher.open(sealed, 'tc:alice'))
      .to.throw(SealedValueError)
      .with.property('reason', 'not_authentic');
  });

  it('rejects any altered byte (header, IV, ciphertext or tag)', () => {
    const cipher = new CacheCipher([k1]);
    const sealed = cipher.seal('x'.repeat(40), 'c');
    for (const i of [5, 10, 20, sealed.length - 1]) {
      const bad = Buffer.from(sealed);
      bad[i]! ^= 0x01;
      expect(() => cipher.open(bad, 'c'), `byte ${i}`).to.throw(SealedValueError);
    }
  });

  it('rejects truncated, foreign-format and unknown-key values with a reason and no content', () => {
    const cipher = new CacheCipher([k1]);
    expect(() => cipher.open(Buffer.from('{"plain":"json"}'), 'c'))
      .to.throw(SealedValueError)
      .with.property('reason', 'malformed');
    expect(() => cipher.open(Buffer.alloc(10), 'c'))
      .to.throw(SealedValueError)
      .with.property('reason', 'malformed');
    const other = new CacheCipher([k2]).seal('v', 'c');
    expect(() => cipher.open(other, 'c'))
      .to.throw(SealedValueError)
      .with.property('reason', 'unknown_key');
  });

  it('rotation: seals with the first key and opens values sealed with any configured key', () => {
    const before = new CacheCipher([k1]);
    const old = before.seal('old', 'c');
    const rotated = new CacheCipher([k2, k1]);
    expect(rotated.open(old, 'c')).to.equal('old');
    const fresh = rotated.seal('new', 'c');
    expect(CacheCipher.keyIdOf(fresh)).to.equal(rotated.currentKeyId).and.not.equal(before.currentKeyId);
    expect(new CacheCipher([k2]).open(fresh, 'c')).to.equal('new');
    expect(() => before.open(fresh, 'c')).to.throw(SealedValueError);
  });

  it('refuses keys that are not 32 bytes, and an empty key list', () => {
    expect(() => new CacheCipher([])).to.throw(TypeError);
    expect(() => new CacheCipher([randomBytes(16)])).to.throw(TypeError, /32 bytes/);
  });
});
