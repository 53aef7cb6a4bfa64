// Serves the built SPA's files from one folder: no directory listing, no traversal, no source maps, long caching
// for hashed names, and the build's precompressed copy (x.js.br / x.js.gz) when the browser accepts it.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { Context, Next } from 'koa';

const HASHED = /\.[0-9a-f]{8,}\./;

export function createStaticFiles(rootDir: string) {
  const root = normalize(rootDir + sep);
  return async function staticFiles(ctx: Context, next: Next): Promise<void> {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || !extname(ctx.path) || ctx.path.endsWith('.html'))
      return next();
    let rel: string;
    try {
      rel = decodeURIComponent(ctx.path);
    } catch {
      return next();
    }
    // Source maps stay private (they hold the original sources); the build keeps them for an error tracker only.
    if (rel.includes('\0') || rel.toLowerCase().endsWith('.map')) return next();
    const file = normalize(join(root, rel));
    if (!file.startsWith(root)) return next();
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return next();
    const compressible = COMPRESSIBLE.has(extname(file));
    const variant = compressible ? await precompressed(ctx, file) : null;
    ctx.type = extname(file);
    ctx.lastModified = info.mtime;
    ctx.set('Cache-Control', HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache');
    // Whether or not a variant exists for this file, the answer depends on Accept-Encoding for shared caches.
    if (compressible) ctx.vary('Accept-Encoding');
    if (variant) ctx.set('Content-Encoding', variant.encoding);
    // HEAD: status and length only (a null body would turn it into a 204, and a stream would open a file for nothing).
    ctx.status = 200;
    ctx.length = variant?.size ?? info.size;
    if (ctx.method === 'GET') ctx.body = createReadStream(variant?.file ?? file);
  };
}

/** The extensions the build precompresses (webpack.config.ts). */
const COMPRESSIBLE = new Set(['.js', '.css', '.svg']);
const SUFFIX = { br: '.br', gzip: '.gz' } as const;

/**
 * The precompressed copy to send: brotli, else gzip (the server's order: every browser that sends `gzip, deflate, br`
 * decodes both, and brotli is smaller), each only when the browser accepts it at least as much as an unencoded answer
 * (Accept-Encoding q-values and `*`, negotiated by Koa) and the build left that copy next to the file (small files are
 * left uncompressed). Null: send the file as it is.
 */
async function precompressed(
  ctx: Context,
  file: string,
): Promise<{ file: string; encoding: 'br' | 'gzip'; size: number } | null> {
  for (const encoding of ['br', 'gzip'] as const) {
    if (ctx.acceptsEncodings(encoding, 'identity') !== encoding) continue;
    const candidate = `${file}${SUFFIX[encoding]}`;
    const info = await stat(candidate).catch(() => null);
    if (info?.isFile()) return { file: candidate, encoding, size: info.size };
  }
  return null;
}
