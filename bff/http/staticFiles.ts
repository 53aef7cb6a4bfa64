// Serves the built SPA's files from one folder: no directory listing, no traversal, no source maps, long caching
// for hashed names.
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
    ctx.type = extname(file);
    ctx.length = info.size;
    ctx.lastModified = info.mtime;
    ctx.set('Cache-Control', HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache');
    ctx.body = ctx.method === 'HEAD' ? null : createReadStream(file);
  };
}
