// Validation where input enters over HTTP (query strings, JSON bodies): zod schemas, one 400 shape for every route.
import type { z } from 'zod';
import type { ApiErrorCode } from '../../shared-types/apiErrorCode';
import { BadRequestError } from './errors';

/**
 * `input` parsed by `schema`, or a 400 with `code` whose message lists every problem once ("a; b."). Schema messages
 * are written for the user: what is wrong and what is accepted, without a trailing period.
 */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown, code: ApiErrorCode): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => {
    if (i.code === 'unrecognized_keys') return `unknown field${i.keys.length > 1 ? 's' : ''}: ${i.keys.join(', ')}`;
    if (i.code === 'invalid_type' && i.path.length === 0 && i.expected === 'object')
      return 'the request body must be a JSON object';
    return i.message;
  });
  throw new BadRequestError(`${[...new Set(problems)].join('; ')}.`, { code });
}

/** One query parameter as text: a repeated parameter (top=1&top=2) is validated as the joined text, and so fails. */
export function single(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(',') : v;
}
