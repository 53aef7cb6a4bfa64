// The open-redirect rule shared by the BFF (returnTo) and the SPA (consent URLs): is a URL a path inside this app?

const MAX_LENGTH = 2048;
/** Percent-decoding rounds inspected (a value that is still changing after this many rounds is refused). */
const MAX_DECODE_ROUNDS = 4;
const PROBE_ORIGIN = 'https://local-path.invalid';
// A browser resolves Location against the request URL (/auth/…): a deep base makes any climbing visible.
const PROBE_BASE = `${PROBE_ORIGIN}/auth/probe/deeper/`;
/**
 * Never in a local path: backslash (browsers read it as a slash), C0/C1 controls, format characters (BOM,
 * zero-width), every Unicode space and line separator, and slash or full-stop look-alikes.
 */
const FORBIDDEN_CHAR = /[\\\p{Cc}\p{Cf}\p{Z}\u2044\u2215\u2216\u29f8\u29f9\ufe68\uff0f\uff3c\u3002\uff0e\uff61]/u;
/** `.` and `..`, also percent-encoded (`%2e`, `.%2E`, …): URL parsers resolve all of them. */
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;
const ENCODED_SLASH = /%(?:2f|5c)/i;

/**
 * Returns the normalised local path (path + query + hash), or null when `value` could lead anywhere but this app's
 * origin: absolute or scheme URLs, `//host`, `/\host`, dot segments (literal or percent-encoded, at any decoding
 * depth), encoded slashes in the path, control characters or Unicode spaces. What is returned is checked again: it
 * must start with one slash and resolve, unchanged, to the app's own origin.
 */
export function localPathOf(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return null;
  if (FORBIDDEN_CHAR.test(value)) return null;
  const layers = decodeLayers(value);
  if (layers === null || !layers.every(isPlainPath)) return null;
  if (ENCODED_SLASH.test(pathPart(value))) return null;

  let url: URL;
  try {
    url = new URL(value, PROBE_BASE);
  } catch {
    return null;
  }
  const result = `${url.pathname}${url.search}${url.hash}`;
  return resolvesHome(result) ? result : null;
}

/** The path part (before `?` or `#`). */
export function pathPart(value: string): string {
  const end = value.search(/[?#]/);
  return end < 0 ? value : value.slice(0, end);
}

/** `value` and each successive percent-decoding of it; null when the first decoding fails or it never settles. */
export function decodeLayers(value: string): string[] | null {
  const layers = [value];
  let current = value;
  for (let round = 0; round < MAX_DECODE_ROUNDS; round++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      // A stray "%" in an already decoded layer (e.g. "?q=100%25") is text, not an encoding trick.
      return round === 0 ? null : layers;
    }
    if (next === current) return layers;
    layers.push(next);
    current = next;
  }
  return null;
}

/** One decoding layer: starts with exactly one slash, and its path has no dot segment and no forbidden character. */
function isPlainPath(layer: string): boolean {
  if (!layer.startsWith('/') || layer[1] === '/' || layer[1] === '\\') return false;
  const path = pathPart(layer);
  if (FORBIDDEN_CHAR.test(path)) return false;
  return !path.split(/[/\\]/).some((segment) => DOT_SEGMENT.test(segment));
}

/** What a browser does with the result: it must stay on our origin, parse back to itself, and hold no dot segment. */
function resolvesHome(result: string): boolean {
  if (!result.startsWith('/') || result[1] === '/' || result[1] === '\\') return false;
  let again: URL;
  try {
    again = new URL(result, PROBE_BASE);
  } catch {
    return false;
  }
  if (again.origin !== PROBE_ORIGIN || `${again.pathname}${again.search}${again.hash}` !== result) return false;
  return !pathPart(result)
    .split('/')
    .some((segment) => DOT_SEGMENT.test(segment));
}
