// The built SPA's index.html, pre-split at the bootstrap marker and at every tag that needs the CSP nonce (<script,
// and <link rel="preload" as="script">: under 'strict-dynamic' a preload without the nonce is blocked) so rendering is a join.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BOOTSTRAP_PLACEHOLDER } from '../../shared-types/bootstrap';

export interface IndexTemplate {
  /** index.html with the bootstrap element in place and `nonce` on every script tag and script preload. */
  render(bootstrapElement: string, cspNonce: string): string;
}

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

export function compileIndexTemplate(html: string): IndexTemplate {
  const at = html.indexOf(BOOTSTRAP_PLACEHOLDER);
  if (at < 0) throw new TemplateError(`index.html has no ${BOOTSTRAP_PLACEHOLDER} marker`);
  // Split once at load, leaving a slot after each tag name; each request only joins strings.
  const SLOT = '\u0000';
  const slotted = (part: string) =>
    part
      .split(SLOT)
      .join('') // a stray NUL in the file must not create a slot
      .replace(/<script\b/gi, (tag) => tag + SLOT)
      .replace(/<link\b(?=[^>]*\brel=["']?preload\b)(?=[^>]*\bas=["']?script\b)/gi, (tag) => tag + SLOT)
      .split(SLOT);
  const before = slotted(html.slice(0, at));
  const after = slotted(html.slice(at + BOOTSTRAP_PLACEHOLDER.length));
  return {
    render(bootstrapElement, cspNonce) {
      const attr = ` nonce="${cspNonce}"`;
      return before.join(attr) + bootstrapElement + after.join(attr);
    },
  };
}

export interface IndexTemplateSource {
  /** The compiled template, or null when the SPA has not been built. */
  get(): Promise<IndexTemplate | null>;
}

/** Loads `${distDir}/index.html`, recompiling only when the file changes (a rebuild during development). */
export function createIndexTemplateSource(distDir: string): IndexTemplateSource {
  const file = join(distDir, 'index.html');
  let cached: { mtimeMs: number; template: IndexTemplate } | null = null;
  let checkedAt = 0;
  return {
    async get() {
      const now = Date.now();
      if (cached && now - checkedAt < 1000) return cached.template;
      checkedAt = now;
      try {
        const { mtimeMs } = await stat(file);
        if (!cached || cached.mtimeMs !== mtimeMs)
          cached = { mtimeMs, template: compileIndexTemplate(await readFile(file, 'utf8')) };
        return cached.template;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
  };
}
