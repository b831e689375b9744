import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { AxeResults } from 'axe-core';
import type { Page } from 'playwright-core';

export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'ui');

export type AxeSummary = {
  page: string;
  serious: number;
  critical: number;
  moderate: number;
  minor: number;
  ids: string[];
};

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const AXE_RUN = `axe.run(document, ${JSON.stringify({
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  resultTypes: ['violations'],
})})`;

/**
 * axe-core on the page as it is now (WCAG 2.1 A and AA rules). Injected once per loaded document (the app routes
 * in the page, so a flow of several views keeps it) instead of once per check: 6.0 → 4.1 s for the 15 checks of
 * web-app.int.test.ts. The page has no frames, the one thing a per-check injection would add.
 */
export async function axe(page: Page, name: string): Promise<AxeSummary> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(AXE_SOURCE);
  const result = (await page.evaluate(AXE_RUN)) as AxeResults;
  const count = (impact: string) => result.violations.filter((v) => v.impact === impact).length;
  return {
    page: name,
    serious: count('serious'),
    critical: count('critical'),
    moderate: count('moderate'),
    minor: count('minor'),
    ids: result.violations.map(
      (v) =>
        `${v.impact}:${v.id}(${v.nodes.length}) ${v.nodes
          .slice(0, 2)
          .map((n) => n.target.join(' '))
          .join(' | ')}`,
    ),
  };
}

/** A full-page screenshot by that name, when asked for (`UI_SCREENSHOTS=1`): ~0.2 s each, 75 in a run. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.UI_SCREENSHOTS !== '1') return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
