#!/usr/bin/env node
// `npm test` runs this first: what the suite needs beyond node_modules, said once and early instead of as a wall of
// failing tests. Today: a Chromium for the browser tests (test/ui), which `npm install` provides as root on
// Debian/Ubuntu — the headless shell, or Chromium itself (scripts/browsers.mjs).
import { browsers, testBrowserPath } from './browsers.mjs';

if (testBrowserPath() === null) {
  const [chromium, shell] = browsers();
  console.error(
    [
      `npm test: the browser tests (test/ui) drive Chromium's headless shell at ${shell.path}, or Chromium at`,
      `${chromium.path}; both are missing. Either`,
      "  - run `npm install` as root on Debian/Ubuntu: it installs the distribution's packages, or",
      '  - install them yourself: sudo apt-get install -y --no-install-recommends chromium chromium-headless-shell, or',
      '  - point CHROMIUM_HEADLESS_SHELL_PATH or CHROMIUM_PATH at a build you have.',
      'Nothing was run.',
    ].join('\n'),
  );
  process.exit(1);
}
