// Builds the web app into ui/dist when it is missing or older than its sources. Run by `npm install`
// (postinstall), before `npm start` (prestart) and by the browser tests, so a fresh clone serves a current UI.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const uiDir = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = join(uiDir, '..');
export const UI_DIST_INDEX = join(uiDir, 'dist', 'index.html');

/** Everything that ends up in the bundle: the app itself and the rules and schemas it shares with the API. */
const SOURCES = [
  join(uiDir, 'src'),
  join(uiDir, 'index.html'),
  join(uiDir, 'vite.config.ts'),
  join(uiDir, 'precompress.ts'),
  join(repoRoot, 'rules'),
  join(repoRoot, 'schemas'),
];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

export function uiBuildIsCurrent(): boolean {
  if (!existsSync(UI_DIST_INDEX)) return false;
  const built = statSync(UI_DIST_INDEX).mtimeMs;
  return SOURCES.every((source) => newestMtime(source) <= built);
}

/** Builds unless the build is current; `force` builds anyway. Returns whether it built. */
export async function ensureUiBuilt(opts: { force?: boolean; quiet?: boolean } = {}): Promise<boolean> {
  if (!opts.force && uiBuildIsCurrent()) return false;
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    // Installed without dev dependencies (e.g. a production image): the API runs, the web app says it is not built.
    console.warn(
      'ui: vite is not installed, so the web app was not built (install dev dependencies and run `npm run build:ui`).',
    );
    return false;
  }
  const started = performance.now();
  // Vite builds React's development bundle (twice the size, every effect run twice) whenever NODE_ENV says anything
  // but production — and vitest sets it to "test": a browser test would leave that build behind for `npm start`.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await vite.build({ configFile: join(uiDir, 'vite.config.ts'), logLevel: opts.quiet ? 'silent' : 'warn' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  if (!opts.quiet)
    console.log(`ui: web app built into ui/dist in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await ensureUiBuilt({ force: process.argv.includes('--force') });
}
