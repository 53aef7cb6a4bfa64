// Accepts a post-sign-in destination only when it is a path inside this app (open-redirect defence).
import { decodeLayers, localPathOf, pathPart } from '../../shared-types/localPath';

/** The BFF's own endpoints: returning there would loop or act on the user's behalf. */
const BFF_ENDPOINT = /^\/(auth|api)(\/|$)/i;

/**
 * Returns the normalised local path (path + query + hash) or null when `value` could lead anywhere else (see
 * localPathOf: schemes, `//host`, `/\host`, dot segments, encoded slashes, control characters), or to the BFF's own
 * /auth and /api endpoints, however they are spelled (`/%61pi/…`). The check runs on what is returned.
 */
export function parseReturnTo(value: unknown): string | null {
  const path = localPathOf(value);
  if (path === null) return null;
  const layers = decodeLayers(pathPart(path)) ?? [];
  if (layers.length === 0 || layers.some((layer) => BFF_ENDPOINT.test(layer))) return null;
  return path;
}
