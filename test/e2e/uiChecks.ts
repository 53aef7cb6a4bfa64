// Browser checks for the UI tests: axe-core (from npm, evaluated in the page), horizontal overflow, screenshots.
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS_DIR } from './harness';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const VIEWPORTS = {
  desktop: { width: 1280, height: 900 },
  mobile: { width: 390, height: 844 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the page as it is. Evaluated over the DevTools protocol, so the BFF's
 * CSP (which rightly refuses injected scripts) does not need loosening for the test.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => typeof (window as { axe?: unknown }).axe === 'object');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            ctx: Document,
            opts: unknown,
          ) => Promise<{
            violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }>;
          }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
}

/** How far the page is wider than the viewport (0 = no horizontal scrolling), and the elements sticking out. */
export async function horizontalOverflow(page: Page): Promise<{ overflowPx: number; offenders: string[] }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const overflowPx = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - width;
    const offenders: string[] = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > width + 0.5) {
        offenders.push(
          `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[data-testid=${el.getAttribute('data-testid')}]` : el.className ? `.${String(el.className).split(' ')[0]}` : ''} right=${Math.round(r.right)}`,
        );
      }
    }
    return { overflowPx, offenders: offenders.slice(0, 10) };
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = join(ARTIFACTS_DIR, 'screens');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * The screen as it is now, at 1280 px and on a 390 px phone (the viewport is restored after): horizontal overflow and
 * axe-core violations as problem lines, and a screenshot of each (`<name>-1280.png`, `<name>-390.png`). For states a
 * page reaches only through a flow (a notice, a denial), where reloading the page would lose them.
 */
export async function screenProblems(page: Page, name: string): Promise<string[]> {
  const before = page.viewportSize();
  const problems: string[] = [];
  try {
    for (const viewport of ['desktop', 'mobile'] as const) {
      await page.setViewportSize(VIEWPORTS[viewport]);
      const where = `${name} (${viewport})`;
      const overflow = await horizontalOverflow(page);
      if (overflow.overflowPx > 0)
        problems.push(`${where}: ${overflow.overflowPx}px horizontal overflow (${overflow.offenders.join(', ')})`);
      for (const v of await axeViolations(page))
        problems.push(`${where}: axe ${v.id} (${v.impact}): ${v.help} — ${v.targets.slice(0, 3).join('; ')}`);
      await screenshot(page, `${name}-${VIEWPORTS[viewport].width}`);
    }
  } finally {
    if (before) await page.setViewportSize(before);
  }
  return problems;
}
