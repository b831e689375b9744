#!/usr/bin/env node
// `npm test` after its prerequisites check: the static checks (biome, and tsc for the engine and for the web app)
// run alongside vitest instead of before it. The suite leaves a third of two cores idle while it waits on servers,
// browsers and timers, and the checks use ~10 s of CPU: side by side they cost the run next to nothing.
// Arguments go to vitest (`npm test -- --reporter=json …`). The exit code is the first failure's; each check's
// output is printed when it ends (in full when it fails), so it never interleaves with vitest's.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);

const CHECKS = [
  ['biome ci .', bin('biome'), ['ci', '.']],
  ['tsc --noEmit', bin('tsc'), ['--noEmit']],
  ['tsc --noEmit -p ui', bin('tsc'), ['--noEmit', '-p', 'ui']],
];

/** Runs a command; resolves with its exit code (1 when it could not start or died of a signal). */
function run(command, args, { capture }) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: root, stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    if (capture) {
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
    }
    const done = (code) => resolve({ code, output, seconds: ((performance.now() - started) / 1000).toFixed(1) });
    // a command that cannot start (not installed) ends the run as a failure, named, instead of hanging it
    child.on('error', (err) => {
      output += `${err.message}\n`;
      done(1);
    });
    child.on('close', (code) => done(code ?? 1));
  });
}

const checks = CHECKS.map(([name, command, args]) =>
  run(command, args, { capture: true }).then((result) => {
    if (result.code === 0) console.log(`== ${name}: passed in ${result.seconds} s`);
    else console.error(`== ${name}: FAILED (exit ${result.code}) in ${result.seconds} s\n${result.output}`);
    return result.code;
  }),
);
const vitest = run(bin('vitest'), ['run', ...process.argv.slice(2)], { capture: false }).then((r) => r.code);

const codes = await Promise.all([...checks, vitest]);
const names = [...CHECKS.map(([name]) => name), 'vitest run'];
const failed = names.filter((_, i) => codes[i] !== 0);
if (failed.length > 0) console.error(`== npm test failed: ${failed.join(', ')}`);
process.exit(codes.find((code) => code !== 0) ?? 0);
