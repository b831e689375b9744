import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newContextInSharedBrowser } from '../../stack/chromium';
import { axe } from './browser';

/**
 * The accessibility check every browser test relies on (axe-core in the page, violations only) still sees what it
 * must: a page with an unlabelled field, an image without a text alternative and a nameless button fails it, and the
 * same page made right passes it. Without this, a faster but blind check would pass every page.
 */
let browser: Awaited<ReturnType<typeof newContextInSharedBrowser>>;

beforeAll(async () => {
  browser = await newContextInSharedBrowser();
});

afterAll(async () => {
  await browser?.close();
});

const page = (body: string) =>
  `<!doctype html><html lang="nb"><head><title>Sjekk</title></head><body><main><h1>Sjekk</h1>${body}</main></body></html>`;

describe('accessibility check', () => {
  it('reports serious and critical violations on a page that has them, and none on the same page made right', async () => {
    const p = await browser.context.newPage();
    await p.setContent(page('<img src="data:,"><input type="text"><button></button>'));
    const broken = await axe(p, 'axe-broken');
    expect(broken.ids.map((id) => id.split('(')[0])).toEqual(
      expect.arrayContaining(['critical:image-alt', 'critical:label', 'critical:button-name']),
    );

    await p.setContent(
      page('<img src="data:," alt="Logo"><label for="f">Navn</label><input id="f" type="text"><button>Lagre</button>'),
    );
    const fixed = await axe(p, 'axe-fixed');
    expect(fixed.ids.filter((id) => id.startsWith('serious') || id.startsWith('critical'))).toEqual([]);
    await p.close();
  });
});
