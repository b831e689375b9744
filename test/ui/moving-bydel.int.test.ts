import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UI_DIST_DIR } from '../../api/plugins/app/ui-static';
import { addOffset, osloDate } from '../../rules/oslo-calendar';
import { ensureUiBuilt } from '../../ui/build';
import { startApiHarness, type Harness } from '../support/api-harness';
import { axe, launchBrowser, screenshot } from './browser';

/**
 * §3: when the resident moves to another bydel, that bydel is involved early. Its coordinator finds the stay in the
 * worklist, reads it, and is told plainly that the current bydel records until the bydel change.
 */
const run = Math.random().toString(36).slice(2, 8);
const INST = `inst-move-${run}`;
const FROM = 'bydel-sagene';
const TO = 'bydel-frogner';
const today = osloDate(Date.now());

let h: Harness;
let base: string;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let stayId: string;

beforeAll(async () => {
  await ensureUiBuilt({ quiet: true });
  h = await startApiHarness({ app: { ui: { root: UI_DIST_DIR }, devLogin: true } });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
  const registered = await h.app.inject({
    method: 'POST',
    url: '/api/stays',
    headers: h.auth('institution', INST),
    payload: { residentRef: `R-MOVE-${run}`, institutionId: INST, bydelId: FROM, admittedAt: addOffset(today, { months: -5 }) },
  });
  stayId = registered.json().id;
  const offered = await h.app.inject({
    method: 'POST',
    url: `/api/stays/${stayId}/events/housing-offered`,
    headers: h.auth('bydel', FROM),
    payload: { date: today, hasBooppfolgingDecision: true, housingConditionalOnFollowUp: false, expectedMoveInDate: addOffset(today, { days: 14 }), receivingBydelId: TO },
  });
  expect(offered.statusCode).toBe(200);
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

describe('the bydel a resident is moving to', () => {
  it('finds the stay in its worklist, reads it, and is offered nothing to record before the hand-over', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/logg-inn`);
    await page.getByLabel('Koordinator i bydel').check();
    await page.getByLabel('Eller skriv organisasjons-ID').fill(TO);
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.goto(`${base}/opphold`);
    const row = page.locator('tr').filter({ hasText: `R-MOVE-${run}` });
    await row.waitFor();
    expect(await row.innerText()).toContain('flytter hit fra Bydel Sagene');

    await row.getByRole('link', { name: `R-MOVE-${run}` }).click();
    await page.getByRole('heading', { name: `Opphold R-MOVE-${run}` }).waitFor();
    const notice = page.getByTestId('moving-here');
    await notice.waitFor();
    expect(await notice.innerText()).toContain('Bydel Sagene registrerer i oppholdet til bydelsbyttet er registrert');
    expect(await page.getByRole('button', { name: /^Registrer fullført/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Avtal annen frist/ }).count()).toBe(0);
    // the timeline is there to read
    await page.locator('[data-milestone="exit-meeting"]').waitFor();
    const result = await axe(page, 'moving-here');
    expect(result.ids.filter((id) => id.startsWith('serious') || id.startsWith('critical'))).toEqual([]);
    await screenshot(page, '12-opphold-flytter-hit');
    await page.close();
  });
});
