// Row 6: SPA size from the production build (same measure as scripts/reportBundleSize.ts: initial JS = the scripts
// index.html loads, total JS = every chunk; gzip level 9, brotli quality 11). Builds dist/client first when stale.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export interface Sizes {
  files: number;
  raw: number;
  gzip: number;
  brotli: number;
}

export interface BundleSizes {
  /** The scripts index.html runs before the first paint (React + the shell). */
  initialJs: Sizes;
  /** The app chunk (store, msal-browser) index.html preloads in parallel. */
  preloadedJs: Sizes;
  totalJs: Sizes;
}

function newestMtime(path: string): number {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** Runs `npm run build:client` when dist/client/index.html is missing or older than the client sources. */
export function ensureClientBuilt(rootDir: string, log: (line: string) => void): void {
  const built = newestMtime(join(rootDir, 'dist/client/index.html'));
  const sources = Math.max(...['client', 'shared-types', 'webpack.config.ts'].map((p) => newestMtime(join(rootDir, p))));
  if (built >= sources) return;
  log(built ? 'the SPA sources changed: rebuilding dist/client…' : 'building the SPA (dist/client)…');
  const result = spawnSync('npm', ['run', '--silent', 'build:client'], { cwd: rootDir, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error('the SPA build (npm run build:client) failed');
}

export function measureBundle(distDir: string): BundleSizes {
  const sizesOf = (files: string[]): Sizes =>
    files.reduce<Sizes>(
      (acc, file) => {
        const bytes = readFileSync(join(distDir, file));
        return {
          files: acc.files + 1,
          raw: acc.raw + bytes.length,
          gzip: acc.gzip + gzipSync(bytes, { level: 9 }).length,
          brotli: acc.brotli + brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
        };
      },
      { files: 0, raw: 0, gzip: 0, brotli: 0 },
    );
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/<script[^>]*\bsrc="\/?([^"]+\.js)"/g)].map((m) => m[1]!);
  const preloaded = [...html.matchAll(/<link[^>]*\brel="preload"[^>]*\bhref="\/?([^"]+\.js)"/g)].map((m) => m[1]!);
  const all = readdirSync(distDir).filter((f) => f.endsWith('.js'));
  return { initialJs: sizesOf(initial), preloadedJs: sizesOf(preloaded), totalJs: sizesOf(all) };
}
