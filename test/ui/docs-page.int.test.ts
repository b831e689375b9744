import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type Harness } from '../support/api-harness';
import { newContextInSharedBrowser } from '../../stack/chromium';

let h: Harness;
let base: string;
let browser: Awaited<ReturnType<typeof newContextInSharedBrowser>>;
beforeAll(async () => {
  h = await startApiHarness({ withWorker: false });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(h.app.server.address() as { port: number }).port}`;
  browser = await newContextInSharedBrowser();
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

describe('the OpenAPI page under the Content Security Policy', () => {
  it('renders with no CSP violation', async () => {
    const page = await browser.context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    const res = await page.goto(`${base}/docs`);
    expect(res?.headers()['content-security-policy']).toContain("default-src 'self'");
    await page.locator('.swagger-ui .info .title').waitFor({ timeout: 30_000 });
    expect(await page.locator('.swagger-ui .info .title').innerText()).toContain('Stay transition engine');
    expect(violations).toEqual([]);
    await page.close();
  });
});
