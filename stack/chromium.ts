import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

import { browsers, testBrowserPath } from '../scripts/browsers.mjs';

/** Debian's Chromium (`npm install` installs it): what users run, so what the page benchmarks drive. */
export const CHROMIUM = browsers()[0]!.path;

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const CONTEXT_OPTIONS = {
  locale: 'nb-NO',
  timezoneId: 'Europe/Oslo',
  viewport: { width: 1280, height: 900 },
} as const;

function assertChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y --no-install-recommends chromium), as npm install does`,
    );
  }
}

/** The browser tests' Chromium: Debian's headless shell when installed (a quarter less CPU), else Chromium itself. */
function testBrowser(): string {
  const path = testBrowserPath();
  if (path === null) {
    throw new Error(
      `Neither ${browsers()
        .map((b) => b.path)
        .join(
          ' nor ',
        )} is installed: apt-get install -y --no-install-recommends chromium-headless-shell chromium, as npm install does`,
    );
  }
  return path;
}

let shared: Promise<Browser> | undefined;

/**
 * A fresh browser context (its own cookies and storage) in one Chromium kept for the whole process: the browser
 * tests run many files in each test process, and starting Chromium for each file cost ~0.6 s. `close()` closes the
 * context; Playwright stops the browser when the process exits.
 */
export async function newContextInSharedBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const executablePath = testBrowser();
  const launch = () => chromium.launch({ executablePath, headless: true, args: ARGS });
  shared = shared ?? launch();
  let browser = await shared;
  if (!browser.isConnected()) {
    shared = launch();
    browser = await shared;
  }
  const context = await browser.newContext(CONTEXT_OPTIONS);
  return { context, close: () => context.close() };
}

/**
 * One browser with a fresh profile directory. Each page keeps its own sessionStorage, so one page per user
 * (institution, bydel, admin) shares the browser without sharing a login.
 */
export async function launchBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  assertChromium();
  const profile = mkdtempSync(join(tmpdir(), 'stays-ui-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    ...CONTEXT_OPTIONS,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
