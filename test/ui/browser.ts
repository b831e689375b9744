import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
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

/** axe-core on the page as it is now (WCAG 2.1 A and AA rules). */
export async function axe(page: Page, name: string): Promise<AxeSummary> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .options({ resultTypes: ['violations'] })
    .setLegacyMode(true)
    .analyze();
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
