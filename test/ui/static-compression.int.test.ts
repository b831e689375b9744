import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UI_DIST_DIR } from '../../api/plugins/app/ui-static';
import { ensureUiBuilt } from '../../ui/build';
import { startApiHarness, type Harness } from '../support/api-harness';

/** The built web app is sent compressed (Brotli or gzip, as the browser accepts) from copies made at build time. */
let h: Harness;
let script: string;

beforeAll(async () => {
  await ensureUiBuilt({ quiet: true });
  h = await startApiHarness({ withWorker: false, app: { ui: { root: UI_DIST_DIR } } });
  const index = await h.app.inject({ url: '/' });
  script = /<script[^>]+src="([^"]+\.js)"/.exec(index.body)![1]!;
});
afterAll(async () => {
  await h?.close();
});

const original = (path: string) => readFileSync(join(UI_DIST_DIR, path));

describe('static files', () => {
  it('sends Brotli to a browser that accepts it, byte-identical once decoded and a fraction of the size', async () => {
    const res = await h.app.inject({ url: script, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toContain('javascript');
    expect(String(res.headers.vary).toLowerCase()).toContain('accept-encoding');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(brotliDecompressSync(res.rawPayload).equals(original(script))).toBe(true);
    expect(res.rawPayload.length).toBeLessThan(original(script).length / 3);
  });

  it('sends gzip when Brotli is not accepted, and the file itself when nothing is', async () => {
    const gz = await h.app.inject({ url: script, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).equals(original(script))).toBe(true);

    const plain = await h.app.inject({ url: script, headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.equals(original(script))).toBe(true);
  });

  it('compresses the stylesheet and Punkt icons too, but never routes the compressed copies themselves', async () => {
    const index = await h.app.inject({ url: '/' });
    const css = /<link[^>]+href="([^"]+\.css)"/.exec(index.body)![1]!;
    const res = await h.app.inject({ url: css, headers: { 'accept-encoding': 'br' } });
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toContain('text/css');

    expect((await h.app.inject({ url: `${script}.br` })).statusCode).toBe(404);
    expect((await h.app.inject({ url: `${script}.gz` })).statusCode).toBe(404);
  });

  it("needs nothing from Punkt's CDN: its CSS images are in the bundle, its icons, logos and animations served by us", async () => {
    const index = await h.app.inject({ url: '/' });
    const css = /<link[^>]+href="([^"]+\.css)"/.exec(index.body)![1]!;
    for (const asset of [script, css]) expect(original(asset).toString('utf8')).not.toContain('punkt-cdn.');
    // the check of a checked checkbox, inlined (the Content Security Policy allows images from data: and itself)
    expect(original(css).toString('utf8')).toMatch(/--svg: ?url\("?data:image\/svg\+xml/);
    for (const path of [
      '/punkt/icons/chevron-thin-down.svg',
      '/punkt/logos/oslologo.svg',
      '/punkt/animations/loader.svg',
    ])
      expect((await h.app.inject({ url: path })).statusCode, path).toBe(200);
  });
});
