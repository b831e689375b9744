import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../stack/server-binaries';
import { makeTempDir, removeTempDir } from '../../stack/temp-dir';

/**
 * A fresh machine: `npm install` provides the browser the UI tests need (Debian's chromium, as root with apt-get), or
 * `npm test` says at once what is missing. apt-get here is a stand-in on PATH that records its arguments and "installs"
 * the file: the real one would go to the network.
 */
const dir = makeTempDir('stays-browser');
afterAll(() => removeTempDir(dir));

type Run = { code: number; stdout: string; stderr: string };
const run = (script: string, env: Record<string, string>): Promise<Run> =>
  new Promise((resolve) =>
    execFile(
      process.execPath,
      [join(repoRoot, 'scripts', script)],
      { cwd: repoRoot, env: { ...process.env, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    ),
  );

const asRoot = process.getuid?.() === 0;

describe('the browser for the UI tests on a fresh machine', () => {
  it('npm test stops before running anything, naming what is missing and how to get it', async () => {
    const missing = await run('check-test-prerequisites.mjs', { CHROMIUM_PATH: join(dir, 'no-chromium') });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/browser tests \(test\/ui\) drive Chromium at .*no-chromium, which is missing/);
    expect(missing.stderr).toMatch(/apt-get install -y --no-install-recommends chromium/);
    expect((await run('check-test-prerequisites.mjs', { CHROMIUM_PATH: process.execPath })).code).toBe(0);
  });

  it.skipIf(!asRoot)(
    "npm install installs Debian's chromium with apt-get when it is missing, and says so",
    async () => {
      const chromium = join(dir, 'chromium');
      const calls = join(dir, 'apt-calls');
      const fakeBin = join(dir, 'bin');
      mkdirSync(fakeBin, { recursive: true });
      writeFileSync(
        join(fakeBin, 'apt-get'),
        `#!/bin/sh\necho "$*" >> ${calls}\ncase "$*" in *install*) touch ${chromium};; esac\n`,
      );
      chmodSync(join(fakeBin, 'apt-get'), 0o755);
      const first = await run('install-browser.mjs', {
        CHROMIUM_PATH: chromium,
        PATH: `${fakeBin}:${process.env.PATH}`,
      });
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/installing Debian's chromium package with apt-get/);
      expect(first.stdout).toMatch(/installed: /);
      expect(readFileSync(calls, 'utf8').trim().split('\n')).toEqual([
        'update -qq',
        'install -y -qq --no-install-recommends chromium',
      ]);
      expect(existsSync(chromium)).toBe(true);
      // present: nothing to do
      const again = await run('install-browser.mjs', {
        CHROMIUM_PATH: chromium,
        PATH: `${fakeBin}:${process.env.PATH}`,
      });
      expect(again.stdout).toMatch(/Chromium for the browser tests: /);
      expect(readFileSync(calls, 'utf8').trim().split('\n')).toHaveLength(2);
    },
  );
});
