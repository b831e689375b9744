// Where the browsers are: Debian's packages, never a downloaded build. One place for the scripts (install-browser,
// check-test-prerequisites) and stack/chromium.ts.
// - Chromium (`chromium`, CHROMIUM_PATH): the browser a user runs; the page benchmarks drive it.
// - Chromium's headless shell (`chromium-headless-shell`, CHROMIUM_HEADLESS_SHELL_PATH): the same Chromium version
//   without the browser's own UI layer; the browser tests drive it when it is there (measured on two of the heaviest
//   browser test files: 26% less CPU than the full browser, 32.8 → 24.1 s), and Chromium otherwise.
import { existsSync } from 'node:fs';

export const browsers = () => [
  { pkg: 'chromium', path: process.env.CHROMIUM_PATH || '/usr/bin/chromium' },
  {
    pkg: 'chromium-headless-shell',
    path: process.env.CHROMIUM_HEADLESS_SHELL_PATH || '/usr/bin/chromium-headless-shell',
  },
];

/** The browser the browser tests drive: the headless shell if installed, else Chromium; null when neither is. */
export function testBrowserPath() {
  const [chromium, shell] = browsers();
  if (existsSync(shell.path)) return shell.path;
  return existsSync(chromium.path) ? chromium.path : null;
}
