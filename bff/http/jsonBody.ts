// JSON request bodies for /api: uncompressed, size-limited, and nested at most a few dozen levels deep.
import bodyParser from '@koa/bodyparser';
import type { Context, Middleware, Next } from 'koa';
import { AppError, BadRequestError } from './errors';

/** Deeper than any API body needs (ours are 2 levels); deep input can exhaust the stack of code that walks it. */
export const MAX_JSON_DEPTH = 32;

export interface JsonBodyOptions {
  /** Largest accepted body, e.g. '100kb' (413 above it). */
  limit: string;
  maxDepth?: number;
}

/**
 * Parses JSON bodies. Compressed bodies are refused with 415 before anything is read: the SPA never compresses
 * requests, and a decompressor fed a body that is not what its Content-Encoding says must not become a 500 (nor a
 * zip bomb). A body nested deeper than `maxDepth` is a 400 that says so.
 */
export function createJsonBody(options: JsonBodyOptions): Middleware {
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  const parse = bodyParser({ enableTypes: ['json'], jsonLimit: options.limit, encoding: 'utf-8' }) as Middleware;
  return async function jsonBody(ctx: Context, next: Next): Promise<void> {
    if (!isIdentityEncoding(ctx.get('Content-Encoding'))) {
      throw new AppError(
        415,
        'unsupported_content_encoding',
        'Send the request body uncompressed (no Content-Encoding header).',
        {
          headers: { 'Accept-Encoding': 'identity' },
          expose: true,
        },
      );
    }
    await parse(ctx, async () => {
      const body = (ctx.request as { body?: unknown }).body;
      if (nestingDepth(body, maxDepth) > maxDepth) {
        throw new BadRequestError(
          `The JSON body is nested too deeply (more than ${maxDepth} levels). Send a flat JSON object.`,
          {
            code: 'json_too_deep',
          },
        );
      }
      await next();
    });
  };
}

function isIdentityEncoding(header: string): boolean {
  return header
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .every((coding) => coding === '' || coding === 'identity');
}

/** Depth of arrays/objects, counted without recursion (so it cannot overflow the stack itself); stops past `limit`. */
export function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    if (deepest > limit) return deepest;
    for (const child of Object.values(item)) stack.push([child, level]);
  }
  return deepest;
}
