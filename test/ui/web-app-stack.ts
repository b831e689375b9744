import type { AddressInfo } from 'node:net';
import type { Locator, Page, Request } from 'playwright-core';
import { expect } from 'vitest';
import { UI_DIST_DIR } from '../../api/plugins/app/ui-static';
import { ensureUiBuilt } from '../../ui/build';
import { startApiHarness, type Harness } from '../support/api-harness';
import { newContextInSharedBrowser } from '../../stack/chromium';
import { axe, screenshot, type AxeSummary } from './browser';

export type DevLoginRole = 'Ansatt ved institusjon' | 'Koordinator i bydel' | 'Administrator';

export type WebAppStack = {
  h: Harness;
  /** http://127.0.0.1:<port> of the API serving the built web app. */
  base: string;
  browser: Awaited<ReturnType<typeof newContextInSharedBrowser>>;
  /** axe-core on the page as it is (0 serious or critical violations expected), then a screenshot by that name (with `UI_SCREENSHOTS=1`). */
  checkAxe(page: Page, name: string): Promise<void>;
  /** Logs in on the development login page as a role, with an organisation id typed in. */
  devLogin(page: Page, role: DevLoginRole, org?: string): Promise<void>;
  /** Prints the axe results of the file, closes the browser and the API; fails on a request that left the machine or a CSP refusal. */
  close(): Promise<void>;
};

/**
 * What every browser test starts from: the built web app served by the real API (on the real Temporal and
 * PostgreSQL of the global setup), listening on a free port, and a fresh browser context (its own storage) in the Chromium the test process shares.
 */
export async function startWebAppStack(opts: Parameters<typeof startApiHarness>[0] = {}): Promise<WebAppStack> {
  await ensureUiBuilt({ quiet: true });
  const h = await startApiHarness({ ...opts, app: { ui: { root: UI_DIST_DIR }, ...opts.app } });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  const browser = await newContextInSharedBrowser();
  const axeResults: AxeSummary[] = [];
  // The app must work on a machine without internet and under its own Content Security Policy: every page of every
  // browser test is watched for a request leaving this machine and for anything the policy refused.
  const leaks: string[] = [];
  const fromApp = (request: Request) => {
    try {
      return new URL(request.frame().url()).origin === base;
    } catch {
      return true; // no frame (a worker's request): counted
    }
  };
  browser.context.on('request', (request) => {
    const url = new URL(request.url());
    // pages of other origins (the test's OIDC provider) are not the app's
    if (!fromApp(request)) return;
    if (/^(https?|wss?):$/.test(url.protocol) && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
      leaks.push(`request to ${url.origin}${url.pathname}`);
  });
  browser.context.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) leaks.push(message.text());
  });
  return {
    h,
    base,
    browser,
    async checkAxe(page, name) {
      const result = await axe(page, name);
      axeResults.push(result);
      expect(
        result.ids.filter((id) => id.startsWith('serious') || id.startsWith('critical')),
        `axe on ${name}`,
      ).toEqual([]);
      await screenshot(page, name);
    },
    async devLogin(page, role, org) {
      await page.goto(`${base}/logg-inn`);
      await page.getByRole('heading', { name: 'Logg inn (utvikling)' }).waitFor();
      await page.getByLabel(role).check();
      if (org) await page.getByLabel('Eller skriv organisasjons-ID').fill(org);
      await page.getByRole('button', { name: 'Logg inn' }).click();
    },
    async close() {
      if (axeResults.length)
        console.log(
          `axe: ${axeResults.map((r) => `${r.page} serious=${r.serious} critical=${r.critical} moderate=${r.moderate} minor=${r.minor}`).join('; ')}`,
        );
      await browser.close();
      await h.close();
      expect([...new Set(leaks)], 'requests outside this machine or refused by the Content Security Policy').toEqual(
        [],
      );
    },
  };
}

/** Presses Tab until the focused element matches (at most `max` presses); returns its accessible text. */
export async function tabTo(page: Page, matches: string, max = 25): Promise<string> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const hit = await page.evaluate(
      `(() => { const el = document.activeElement; return el && el.matches(${JSON.stringify(matches)}) ? (el.textContent || el.id) : null })()`,
    );
    if (hit !== null) return String(hit);
  }
  throw new Error(`no element matching ${matches} within ${max} Tab presses`);
}

/** The room (px) between the bottom of one element and the top of another below it. */
export async function roomBetween(upper: Locator, lower: Locator): Promise<number> {
  const [a, b] = [await upper.boundingBox(), await lower.boundingBox()];
  if (!a || !b) throw new Error('an element to measure is not visible');
  return b.y - (a.y + a.height);
}

/** Whether the focused element shows a focus indicator (outline or box-shadow). */
export const focusVisible = (page: Page) =>
  page.evaluate<boolean>(
    `(() => { const s = getComputedStyle(document.activeElement); return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none' })()`,
  );
