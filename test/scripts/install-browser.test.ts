import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../stack/server-binaries';
import { makeTempDir, removeTempDir } from '../../stack/temp-dir';

/**
 * A fresh machine: `npm install` provides the browsers the UI tests and page benchmarks need (Debian's chromium and
 * chromium-headless-shell, as root with apt-get), or `npm test` says at once what is missing. apt-get here is a
 * stand-in on PATH that records its arguments and "installs" the files: the real one would go to the network.
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
  it('npm test stops before running anything when neither browser is there, naming how to get them', async () => {
    const none = { CHROMIUM_PATH: join(dir, 'no-chromium'), CHROMIUM_HEADLESS_SHELL_PATH: join(dir, 'no-shell') };
    const missing = await run('check-test-prerequisites.mjs', none);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/headless shell at .*no-shell, or Chromium at\n.*no-chromium; both are missing/);
    expect(missing.stderr).toMatch(/apt-get install -y --no-install-recommends chromium chromium-headless-shell/);
    // either one is enough: the tests drive the shell when it is there, Chromium otherwise
    expect((await run('check-test-prerequisites.mjs', { ...none, CHROMIUM_PATH: process.execPath })).code).toBe(0);
    expect(
      (await run('check-test-prerequisites.mjs', { ...none, CHROMIUM_HEADLESS_SHELL_PATH: process.execPath })).code,
    ).toBe(0);
  });

  it.skipIf(!asRoot)(
    "npm install installs Debian's chromium and its headless shell with apt-get when they are missing, and says so",
    async () => {
      const chromium = join(dir, 'chromium');
      const shell = join(dir, 'chromium-headless-shell');
      const calls = join(dir, 'apt-calls');
      const fakeBin = join(dir, 'bin');
      mkdirSync(fakeBin, { recursive: true });
      writeFileSync(
        join(fakeBin, 'apt-get'),
        `#!/bin/sh\necho "$*" >> ${calls}\ncase "$*" in *install*) touch ${chromium} ${shell};; esac\n`,
      );
      chmodSync(join(fakeBin, 'apt-get'), 0o755);
      const env = {
        CHROMIUM_PATH: chromium,
        CHROMIUM_HEADLESS_SHELL_PATH: shell,
        PATH: `${fakeBin}:${process.env.PATH}`,
      };
      const first = await run('install-browser.mjs', env);
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/installing Debian's chromium and chromium-headless-shell packages with apt-get/);
      expect(first.stdout).toMatch(/installed: chromium, chromium-headless-shell/);
      expect(readFileSync(calls, 'utf8').trim().split('\n')).toEqual([
        'update -qq',
        'install -y -qq --no-install-recommends chromium chromium-headless-shell',
      ]);
      expect(existsSync(chromium) && existsSync(shell)).toBe(true);
      // present: nothing to do, and the tests' browser is the shell
      const again = await run('install-browser.mjs', env);
      expect(again.stdout).toContain(`browser for the browser tests: ${shell}`);
      expect(readFileSync(calls, 'utf8').trim().split('\n')).toHaveLength(2);
      // a machine that has Chromium already gets only the shell
      rmSync(shell);
      await run('install-browser.mjs', env);
      expect(readFileSync(calls, 'utf8').trim().split('\n').slice(2)).toEqual([
        'update -qq',
        'install -y -qq --no-install-recommends chromium-headless-shell',
      ]);
    },
  );
});
