import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { uiBuildIsCurrent } from '../../ui/build';
import { WRONG_TERMS } from '../support/terms';

const root = join(import.meta.dirname, '..', '..');
const TEXT = /\.(tsx?|html|css|js|json)$/;

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : TEXT.test(name) ? [path] : [];
  });
}

function offending(paths: string[]): string[] {
  return paths.flatMap((path) =>
    readFileSync(path, 'utf8')
      .split('\n')
      .map((line, i) => ({ line, i }))
      .filter(({ line }) => WRONG_TERMS.test(line))
      .map(({ line, i }) => `${relative(root, path)}:${i + 1}: ${line.trim().slice(0, 120)}`),
  );
}

/**
 * The Fellesskriv's terms (test/support/terms.ts) in every text a person can read: the web app's sources, the rules'
 * Norwegian titles, the notification e-mails, and the built bundle the server sends.
 */
describe('the Fellesskriv\'s terms: "utflyttingsmøte/utflyttingsplan"', () => {
  it('recognises the wrong words in their forms', () => {
    for (const wrong of ['Utskrivningsplan', 'utskrivningsmøtet', 'utskrivingsplanen', 'Utskrivnings-plan'])
      expect(wrong).toMatch(WRONG_TERMS);
    for (const right of ['Utflyttingsplan', 'utflyttingsmøtet', 'Dato for utskrivning', 'Utskrevet'])
      expect(right).not.toMatch(WRONG_TERMS);
  });

  it('no source of a text a person reads says "utskrivningsplan" or "utskrivningsmøte"', () => {
    const sources = [
      ...files(join(root, 'ui', 'src')),
      join(root, 'ui', 'index.html'),
      ...files(join(root, 'rules')),
      ...files(join(root, 'activities', 'notifications')),
    ];
    expect(sources.length).toBeGreaterThan(30);
    expect(offending(sources)).toEqual([]);
  });

  it.runIf(uiBuildIsCurrent())('nor does the built web app', () => {
    const built = files(join(root, 'ui', 'dist'));
    expect(built.length).toBeGreaterThan(0);
    expect(offending(built)).toEqual([]);
  });
});
