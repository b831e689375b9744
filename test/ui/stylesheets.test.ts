import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const uiSrc = join(root, 'ui', 'src');

const stylesheets = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? stylesheets(join(dir, e.name)) : e.name.endsWith('.css') ? [join(dir, e.name)] : [],
  );

/** The line of each block still open at the end of the file, or of a `}` that closes nothing. */
function unbalanced(css: string): string[] {
  const text = css
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'/g, (s) => s.replace(/[{}]/g, ' '));
  const open: number[] = [];
  const found: string[] = [];
  let line = 1;
  for (const ch of text) {
    if (ch === '\n') line++;
    else if (ch === '{') open.push(line);
    else if (ch === '}' && open.pop() === undefined) found.push(`line ${line}: "}" closes nothing`);
  }
  return [...found, ...open.map((l) => `line ${l}: block opened here is never closed`)];
}

/**
 * Our own stylesheets close every block they open. CSS closes an open block silently at the end of the file, so
 * nothing complains: a merge once left `@media print {` open in styles.css, and the contacts, meetings, calendar,
 * report and pagination styles after it applied only on paper (the report's charts were black on screen).
 */
describe('stylesheets of the web app', () => {
  const files = stylesheets(uiSrc);

  it('are found', () => {
    expect(files.map((f) => relative(root, f))).toEqual(expect.arrayContaining(['ui/src/styles.css']));
  });

  it.each(files.map((f) => [relative(root, f), f]))('%s closes every block it opens', (_name, file) => {
    expect(unbalanced(readFileSync(file, 'utf8'))).toEqual([]);
  });

  it('finds a block left open, and a stray brace', () => {
    expect(unbalanced('@media print {\n  a { color: #000; }\n\n.b { x: y; }\n')).toEqual([
      'line 1: block opened here is never closed',
    ]);
    expect(unbalanced('a { b: c; } }\n/* { */ .d { content: "}"; }')).toEqual(['line 1: "}" closes nothing']);
  });
});
