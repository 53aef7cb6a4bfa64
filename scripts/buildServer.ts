// npm run build:server: bundles the BFF's production entries (bff/main.ts, bff/healthcheck.ts) with esbuild into
// dist/server/*.js. npm packages stay external (installed by `npm ci --omit=dev`), so only our own code is bundled —
// and the build fails if that code pulls in the emulator, the scripts or a devDependency.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const rootDir = fileURLToPath(new URL('..', import.meta.url));
const outdir = join(rootDir, 'dist/server');

/** Inputs the production server must never contain, and why. */
const FORBIDDEN_INPUTS: [RegExp, string][] = [
  [/^emulator\//, 'emulator code'],
  [/^scripts\//, 'development scripts'],
  [/^(test|bench|client)\//, 'tests, benchmarks or SPA sources'],
];

async function main(): Promise<void> {
  const started = performance.now();
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: rootDir,
    entryPoints: { main: 'bff/main.ts', healthcheck: 'bff/healthcheck.ts' },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  const problems: string[] = [];
  for (const input of Object.keys(result.metafile.inputs)) {
    for (const [pattern, what] of FORBIDDEN_INPUTS) if (pattern.test(input)) problems.push(`${input} (${what})`);
  }
  const pkg = JSON.parse(readFileSync(join(rootDir, 'package.json'), 'utf8')) as {
    devDependencies?: Record<string, string>;
  };
  const dev = new Set(Object.keys(pkg.devDependencies ?? {}));
  for (const output of Object.values(result.metafile.outputs)) {
    for (const imp of output.imports) {
      if (!imp.external) continue;
      const name = imp.path.startsWith('@') ? imp.path.split('/').slice(0, 2).join('/') : imp.path.split('/')[0]!;
      if (dev.has(name)) problems.push(`import of the devDependency ${name}`);
    }
  }
  if (problems.length) {
    console.error(
      `The server bundle must run with production dependencies only, but contains:\n  - ${[...new Set(problems)].join('\n  - ')}`,
    );
    process.exit(1);
  }
  writeFileSync(join(outdir, 'meta.json'), JSON.stringify(result.metafile));
  const bytes = Object.entries(result.metafile.outputs)
    .filter(([file]) => file.endsWith('.js'))
    .reduce((sum, [, o]) => sum + o.bytes, 0);
  console.log(
    `Server built into dist/server (${(bytes / 1024).toFixed(0)} KiB of JS) in ${Math.round(performance.now() - started)} ms`,
  );
}

void main();
