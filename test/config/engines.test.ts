import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import semver from 'semver';

interface LockPackage {
  engines?: { node?: string } | string[];
  optional?: boolean;
  os?: string[];
}

describe('Node version support', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, LockPackage> };
  const oldest = semver.minVersion(pkg.engines.node)!.version;

  it('package.json promises Node 20.19+', () => {
    expect(oldest).to.equal('20.19.0');
  });

  it('every installed package supports the oldest Node the project promises (npm install prints no EBADENGINE)', () => {
    // The bug: webpack-cli 7 pulled rechoir@1.0.0, which needs Node 22.15.
    const refusing = Object.entries(lock.packages)
      .filter(([path]) => path !== '')
      .map(([path, p]) => ({ path, range: Array.isArray(p.engines) ? undefined : p.engines?.node }))
      .filter((p): p is { path: string; range: string } => typeof p.range === 'string')
      .filter((p) => !semver.satisfies(oldest, p.range, { includePrerelease: true }))
      .map((p) => `${p.path.replace(/^node_modules\//, '')} needs node ${p.range}`);
    expect(refusing).to.deep.equal([]);
  });
});
