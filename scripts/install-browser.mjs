#!/usr/bin/env node
// The browsers of the UI tests and page benchmarks (scripts/browsers.mjs): Debian's `chromium` and
// `chromium-headless-shell`, never a downloaded browser build. `npm install` runs this and says what it did: both
// present → nothing; one missing, as root with apt-get (Debian, Ubuntu) → installs the missing packages; otherwise →
// what to install, and `npm test` stops early if neither is there (scripts/check-test-prerequisites.mjs).
// BROWSER_SKIP_INSTALL=1 skips it (the Docker image, which runs no tests); CHROMIUM_PATH and
// CHROMIUM_HEADLESS_SHELL_PATH name other builds.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { browsers, testBrowserPath } from './browsers.mjs';

const say = (msg) => console.log(`[install-browser] ${msg}`);
const has = (cmd) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

const missing = browsers().filter((b) => !existsSync(b.path));
const packages = missing.map((b) => b.pkg);

if (process.env.BROWSER_SKIP_INSTALL === '1') {
  say('skipped (BROWSER_SKIP_INSTALL=1); the browser tests need Chromium');
} else if (missing.length === 0) {
  say(`browser for the browser tests: ${testBrowserPath()}`);
} else if (process.getuid?.() === 0 && has('apt-get')) {
  say(
    `${missing.map((b) => b.path).join(' and ')} missing: installing Debian's ${packages.join(' and ')} ` +
      `package${packages.length > 1 ? 's' : ''} with apt-get (for the browser tests in test/ui)`,
  );
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
      stdio: 'inherit',
      env,
    });
    const still = missing.filter((b) => !existsSync(b.path)).map((b) => b.path);
    say(still.length === 0 ? `installed: ${packages.join(', ')}` : `apt-get finished, but ${still.join(', ')} missing`);
  } catch (err) {
    say(
      `apt-get could not install ${packages.join(', ')} (${err.message.split('\n')[0]}); npm test will say what is missing`,
    );
  }
} else {
  say(
    `${missing.map((b) => b.path).join(' and ')} missing, and this is not root with apt-get: install them for the ` +
      `browser tests (Debian/Ubuntu: sudo apt-get install -y --no-install-recommends ${packages.join(' ')}), or set ` +
      'CHROMIUM_PATH / CHROMIUM_HEADLESS_SHELL_PATH',
  );
}
