import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOffset, osloDate } from '../../rules/oslo-calendar';
import type { Harness } from '../support/api-harness';
import { registerStay } from '../support/stays';
import { startWebAppStack, type WebAppStack } from './web-app-stack';

/**
 * §3: when the resident moves to another bydel, that bydel is involved early. Its coordinator finds the stay in the
 * worklist, reads it, and is told plainly that the current bydel records until the bydel change.
 */
const run = Math.random().toString(36).slice(2, 8);
const INST = `inst-move-${run}`;
const FROM = 'bydel-sagene';
const TO = 'bydel-frogner';
const today = osloDate(Date.now());
const nb = (iso: string) => iso.split('-').reverse().join('.');

let h: Harness;
let base: string;
let browser: WebAppStack['browser'];
let stack: WebAppStack;
let stayId: string;

beforeAll(async () => {
  stack = await startWebAppStack({ app: { devLogin: true } });
  ({ h, base, browser } = stack);
  ({ id: stayId } = await registerStay(h, {
    residentRef: `R-MOVE-${run}`,
    institutionId: INST,
    bydelId: FROM,
    admittedAt: addOffset(today, { months: -5 }),
  }));
  const offered = await h.app.inject({
    method: 'POST',
    url: `/api/stays/${stayId}/events/housing-offered`,
    headers: h.auth('bydel', FROM),
    payload: {
      date: today,
      hasBooppfolgingDecision: true,
      housingConditionalOnFollowUp: false,
      expectedMoveInDate: addOffset(today, { days: 14 }),
      receivingBydelId: TO,
    },
  });
  expect(offered.statusCode).toBe(200);
});

afterAll(async () => {
  await stack?.close();
});

describe('the bydel a resident is moving to', () => {
  it('finds the stay in its worklist, reads it, and is offered nothing to record before the hand-over', async () => {
    const page = await browser.context.newPage();
    await stack.devLogin(page, 'Koordinator i bydel', TO);
    // the coordinator's daily page says who is moving here, so the booppfølger is involved early
    await page.goto(`${base}/innboks`);
    const incoming = page.getByTestId('moving-here-list').locator(`[data-moving-here="${stayId}"]`);
    await incoming.waitFor();
    expect(await incoming.innerText()).toBe(
      `R-MOVE-${run} · fra Bydel Sagene · bolig tilbudt ${nb(today)} · forventet innflytting ${nb(addOffset(today, { days: 14 }))}`,
    );
    await stack.checkAxe(page, '13-innboks-flytter-hit');
    await page.goto(`${base}/opphold`);
    const row = page.locator('tr').filter({ hasText: `R-MOVE-${run}` });
    await row.waitFor();
    // by its name from the register, never its id
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
    await stack.checkAxe(page, '12-opphold-flytter-hit');
    await page.close();
  });
});
