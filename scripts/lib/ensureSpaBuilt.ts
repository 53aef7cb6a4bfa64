// "Build the SPA if stale", shared by npm start, the e2e harness and the bundle-size benchmark.
import { spawnSync, type StdioOptions } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What the SPA build reads: a change to any of these makes dist/client stale. */
const SPA_SOURCES = ['client', 'shared-types', 'webpack.config.ts'];

export class SpaBuildError extends Error {
  override readonly name = 'SpaBuildError';
}

export interface EnsureSpaBuiltOptions {
  rootDir: string;
  /** Where the build writes index.html; `<rootDir>/dist/client` by default. */
  distDir?: string;
  /** Called before building: `missing` on a first build, `stale` when a source is newer than the build. */
  onBuild?: (reason: 'missing' | 'stale') => void;
  /** Show webpack's own output (npm start does; tests and benchmarks show only its errors). */
  showOutput?: boolean;
}

/** Runs `npm run build:client` when index.html is missing or older than any SPA source; throws SpaBuildError if it fails. */
export function ensureSpaBuilt(options: EnsureSpaBuiltOptions): void {
  const distDir = options.distDir ?? join(options.rootDir, 'dist', 'client');
  const built = newestMtime(join(distDir, 'index.html'));
  const sources = Math.max(...SPA_SOURCES.map((p) => newestMtime(join(options.rootDir, p))));
  if (built >= sources) return;
  options.onBuild?.(built ? 'stale' : 'missing');
  const stdio: StdioOptions = options.showOutput ? 'inherit' : ['ignore', 'ignore', 'inherit'];
  const result = spawnSync('npm', ['run', '--silent', 'build:client'], { cwd: options.rootDir, stdio });
  if (result.status !== 0)
    throw new SpaBuildError('The SPA build (npm run build:client) failed; see the output above.');
}

function newestMtime(path: string): number {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}
