// Helpers the scenarios use on pages: the bootstrap payload of a document, what a page left in web storage.
import type { Page } from 'playwright-core';
import { BOOTSTRAP_ELEMENT_ID, type BootstrapPayload } from '../../../shared-types/bootstrap';

/** The bootstrap payload embedded in an HTML document (null when the page has none). */
export function bootstrapIn(html: string): BootstrapPayload | null {
  const m = new RegExp(`<script[^>]*id="${BOOTSTRAP_ELEMENT_ID}"[^>]*>([\\s\\S]*?)</script>`).exec(html);
  if (!m) return null;
  return JSON.parse(m[1]!) as BootstrapPayload;
}

/** Keys and values of sessionStorage and localStorage of a page, for looking for tokens left behind. */
export async function browserStorage(page: Page): Promise<Array<{ area: string; key: string; value: string }>> {
  return page.evaluate(() => {
    const out: Array<{ area: string; key: string; value: string }> = [];
    for (const [area, storage] of [
      ['sessionStorage', window.sessionStorage],
      ['localStorage', window.localStorage],
    ] as const) {
      for (let i = 0; i < storage.length; i++) {
        const key = storage.key(i)!;
        out.push({ area, key, value: storage.getItem(key) ?? '' });
      }
    }
    return out;
  });
}
