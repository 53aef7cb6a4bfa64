import { expect } from 'chai';
import { readFileSync } from 'node:fs';

describe('.env.example', () => {
  it('documents every setting loadConfig reads', () => {
    const example = readFileSync('.env.example', 'utf8');
    const source = readFileSync('config/envSchema.ts', 'utf8');
    const schema = source.slice(source.indexOf('export const envSchema'), source.indexOf('export type Env'));
    const names = [...schema.matchAll(/^\s{2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
    expect(names.length).to.be.greaterThan(30);
    const missing = names.filter((n) => !new RegExp(`^#?${n}=`, 'm').test(example));
    expect(missing).to.deep.equal([]);
  });
});
