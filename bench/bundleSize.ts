// Row 6: SPA size from the production build (same measure as scripts/reportBundleSize.ts: initial JS = the scripts
// index.html loads, total JS = every chunk; gzip level 9, brotli quality 11). Builds dist/client first when stale.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { ensureSpaBuilt } from '../scripts/lib/ensureSpaBuilt';

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

/** Runs `npm run build:client` when dist/client/index.html is missing or older than the client sources. */
export function ensureClientBuilt(rootDir: string, log: (line: string) => void): void {
  ensureSpaBuilt({
    rootDir,
    onBuild: (reason) =>
      log(reason === 'stale' ? 'the SPA sources changed: rebuilding dist/client…' : 'building the SPA (dist/client)…'),
  });
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
