#!/usr/bin/env node
// The browser the UI tests drive (test/ui): Debian's Chromium, never a downloaded browser build. `npm install` runs
// this and says what it did: Chromium present → nothing; missing, as root with apt-get (Debian, Ubuntu) → installs
// the distribution's `chromium` package; otherwise → what to install, and `npm test` stops early saying the same
// (scripts/check-test-prerequisites.mjs). BROWSER_SKIP_INSTALL=1 skips it (the Docker image, which runs no tests);
// CHROMIUM_PATH names another Chromium.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const say = (msg) => console.log(`[install-browser] ${msg}`);
const has = (cmd) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

if (process.env.BROWSER_SKIP_INSTALL === '1') {
  say('skipped (BROWSER_SKIP_INSTALL=1); the browser tests need Chromium');
} else if (existsSync(chromium)) {
  say(`Chromium for the browser tests: ${chromium}`);
} else if (process.getuid?.() === 0 && has('apt-get')) {
  say(`${chromium} is missing: installing Debian's chromium package with apt-get (for the browser tests in test/ui)`);
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
    say(existsSync(chromium) ? `installed: ${chromium}` : `apt-get finished, but ${chromium} is still missing`);
  } catch (err) {
    say(`apt-get could not install chromium (${err.message.split('\n')[0]}); npm test will say what is missing`);
  }
} else {
  say(
    `${chromium} is missing, and this is not root with apt-get: install Chromium for the browser tests ` +
      '(Debian/Ubuntu: sudo apt-get install -y --no-install-recommends chromium), or set CHROMIUM_PATH',
  );
}
