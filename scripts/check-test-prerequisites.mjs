#!/usr/bin/env node
// `npm test` runs this first: what the suite needs beyond node_modules, said once and early instead of as a wall of
// failing tests. Today: Chromium for the browser tests (test/ui), which `npm install` provides as root on Debian/Ubuntu.
import { existsSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(
    [
      `npm test: the browser tests (test/ui) drive Chromium at ${chromium}, which is missing. Either`,
      "  - run `npm install` as root on Debian/Ubuntu: it installs the distribution's chromium package, or",
      '  - install it yourself: sudo apt-get install -y --no-install-recommends chromium, or',
      '  - point CHROMIUM_PATH at a Chromium you have.',
      'Nothing was run.',
    ].join('\n'),
  );
  process.exit(1);
}
