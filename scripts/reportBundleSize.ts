// Prints the SPA bundle sizes (initial JS = scripts index.html runs before the first paint; preloaded JS = the app chunk
// with the store and msal-browser, fetched in parallel; total JS = every chunk) raw, gzip and brotli,
// and checks that index.html still carries the bootstrap marker and nothing inline the BFF's CSP would block.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { BOOTSTRAP_PLACEHOLDER } from '../shared-types/bootstrap';

interface Sizes {
  raw: number;
  gzip: number;
  brotli: number;
}

const dist = resolve(process.argv[2] ?? 'dist/client');

function sizesOf(files: string[]): Sizes {
  return files.reduce<Sizes>(
    (acc, file) => {
      const bytes = readFileSync(join(dist, file));
      return {
        raw: acc.raw + bytes.length,
        gzip: acc.gzip + gzipSync(bytes, { level: 9 }).length,
        brotli: acc.brotli + brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
      };
    },
    { raw: 0, gzip: 0, brotli: 0 },
  );
}

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`.padStart(10);
const row = (label: string, files: string[]) => {
  const s = sizesOf(files);
  return `${label.padEnd(14)}${String(files.length).padStart(6)}${kib(s.raw)}${kib(s.gzip)}${kib(s.brotli)}`;
};

const html = readFileSync(join(dist, 'index.html'), 'utf8');
const problems: string[] = [];
if (!html.includes(BOOTSTRAP_PLACEHOLDER)) problems.push(`index.html lacks the ${BOOTSTRAP_PLACEHOLDER} marker`);
if (/<script(?![^>]*\bsrc=)[^>]*>/i.test(html)) problems.push('index.html has an inline <script> (the CSP blocks it)');
if (/<style[\s>]/i.test(html)) problems.push('index.html has an inline <style> (the CSP blocks it)');

const initialJs = [...html.matchAll(/<script[^>]*\bsrc="\/?([^"]+\.js)"/g)].map((m) => m[1]!);
const preloadedJs = [...html.matchAll(/<link[^>]*\brel="preload"[^>]*\bhref="\/?([^"]+\.js)"/g)].map((m) => m[1]!);
const allJs = readdirSync(dist).filter((f) => f.endsWith('.js'));
const allCss = readdirSync(dist).filter((f) => f.endsWith('.css'));

console.log(`SPA bundle in ${dist}`);
console.log(
  `${''.padEnd(14)}${'files'.padStart(6)}${'raw'.padStart(10)}${'gzip'.padStart(10)}${'brotli'.padStart(10)}`,
);
console.log(row('initial JS', initialJs));
console.log(row('preloaded JS', preloadedJs));
console.log(row('total JS', allJs));
console.log(row('CSS', allCss));
for (const file of initialJs) console.log(`  initial: ${file}`);

if (problems.length > 0) {
  for (const p of problems) console.error(`ERROR: ${p}`);
  process.exit(1);
}
