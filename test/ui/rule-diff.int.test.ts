import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INTERPRETATIONS } from '../../rules/interpretations';
import { type Harness, startApiHarness } from '../support/api-harness';
import { createIsolatedDatabase } from '../support/isolated-database';
import { registerStay } from '../support/stays';
import { startWebAppStack, type WebAppStack } from './web-app-stack';

/**
 * The rule-version view in the browser, as an administrator: a stay registered when the exit meeting was read as 7
 * days after the offer (§3.1), in an app that now reads it as 3; and the effect of a proposed change on the active
 * stays. Its own database: the summary counts every stay. axe on each state, also after a refusal.
 */
let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let before: Harness;
let stack: WebAppStack;
let stayId: string;

beforeAll(async () => {
  db = await createIsolatedDatabase();
  before = await startApiHarness({ databaseUrl: db.url });
  ({ id: stayId } = await registerStay(before, {
    residentRef: 'R-RD-UI-1',
    institutionId: 'inst-rd-ui',
    bydelId: 'bydel-alna',
    admittedAt: '2026-09-01',
  }));
  const offered = await before.app.inject({
    method: 'POST',
    url: `/api/stays/${stayId}/events/housing-offered`,
    headers: before.auth('bydel', 'bydel-alna'),
    payload: { date: '2026-11-02', hasBooppfolgingDecision: false, housingConditionalOnFollowUp: false },
  });
  expect(offered.statusCode, offered.body).toBe(200);
  stack = await startWebAppStack({
    databaseUrl: db.url,
    app: { devLogin: true, interpretations: { ...DEFAULT_INTERPRETATIONS, exitMeetingDays: 3 } },
  });
}, 180_000);

afterAll(async () => {
  await stack?.close();
  await before?.close();
  await db?.drop();
});

describe('rule-version view (administrator)', () => {
  it('shows on the history page which deadline the current rules would move, and judges a proposed change', async () => {
    const page = await stack.browser.context.newPage();
    await stack.devLogin(page, 'Administrator');
    await page.getByRole('heading', { name: 'Finn opphold' }).waitFor();

    await page.goto(`${stack.base}/opphold/${stayId}/historikk`);
    await page.getByRole('heading', { name: 'Regelverket oppholdet følger' }).waitFor();
    await page.getByRole('button', { name: 'Sammenlign med gjeldende regler' }).click();
    const table = page.getByTestId('rule-diff');
    await table.waitFor();
    // offer 02.11.2026 + 7 days = 09.11.2026 under the stay's rules, + 3 = 05.11.2026 now
    const row = (await table.locator('tbody tr').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    expect(row).toHaveLength(1);
    expect(row[0]).toContain('§3.1');
    expect(row[0]).toContain('09.11.2026');
    expect(row[0]).toContain('05.11.2026');
    expect(row[0]).toContain('Åpen');
    expect(await page.getByTestId('rule-diff-summary').innerText()).toContain('Én fortolkning er endret');
    expect(await page.locator('#regelverk').locator('..').innerText()).toContain('7 dager for oppholdet, 3 dager nå');
    await stack.checkAxe(page, 'rule-diff-01-history');

    await page.goto(`${stack.base}/admin`);
    await page.getByRole('heading', { name: 'Vurder en regelendring' }).waitFor();
    const exitField = page.getByLabel(/Utflyttingsmøte etter boligtilbud/);
    expect(await exitField.inputValue()).toBe('3');
    await exitField.fill('0');
    await page.getByRole('button', { name: 'Vis hvilke frister som ville endret seg' }).click();
    await page.getByRole('link', { name: /Skriv et helt tall fra 1 til 365/ }).waitFor();
    await stack.checkAxe(page, 'rule-diff-02-refused');

    await exitField.fill('10');
    await page.getByRole('button', { name: 'Vis hvilke frister som ville endret seg' }).click();
    const impact = page.getByTestId('rule-impact');
    await impact.waitFor();
    expect((await page.getByTestId('rule-impact-summary').innerText()).replace(/\s+/g, ' ')).toContain(
      '1 aktive opphold. 1 følger andre regler enn disse, og 1 av dem ville fått minst én åpen frist flyttet.',
    );
    // 7 → 10 days: the one open exit meeting moves later
    const cells = await impact.locator('tbody tr').first().locator('th, td').allInnerTexts();
    expect(cells.slice(1)).toEqual(['§3.1', '1', '0', '1', '0', '0']);
    await stack.checkAxe(page, 'rule-diff-03-impact');
    await page.close();
  });
});
