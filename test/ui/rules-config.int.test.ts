import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INTERPRETATIONS } from '../../rules/interpretations';
import { addOffset, osloDate } from '../../rules/oslo-calendar';
import { startWebAppStack, type WebAppStack } from './web-app-stack';

/**
 * The web app counts with the running configuration (GET /api/config/rules), never with the defaults compiled into
 * it: an API configured with other interpretations shows them in the registration preview and on the stay page.
 */
const run = Math.random().toString(36).slice(2, 8);
const INST = `inst-config-${run}`;
const BYDEL = 'bydel-sagene';
const today = osloDate(Date.now());
const admittedAt = addOffset(today, { days: -3 });
const nb = (iso: string) => iso.split('-').reverse().join('.');
// other readings than the defaults: a meeting every 3 months, the status report 45 days before the housing meeting
const configured = { ...DEFAULT_INTERPRETATIONS, cooperationMeetingIntervalMonths: 3, statusReportGoodTimeDays: 45 };

let stack: WebAppStack;

beforeAll(async () => {
  stack = await startWebAppStack({ app: { devLogin: true, interpretations: configured } });
});

afterAll(async () => {
  await stack?.close();
});

describe('configured interpretations in the web app', () => {
  it('previews the deadlines with the configured interpretations, and the registered stay gets exactly them', async () => {
    const page = await stack.browser.context.newPage();
    await stack.devLogin(page, 'Ansatt ved institusjon', INST);
    await page.getByRole('heading', { name: 'Mine opphold' }).waitFor();
    await page.getByRole('link', { name: 'Registrer opphold' }).click();
    await page.getByRole('heading', { name: 'Registrer opphold' }).waitFor();
    await page.getByLabel('Bydel').selectOption(BYDEL);
    await page.getByLabel('Innskrevet dato').fill(nb(admittedAt));
    const preview = page.getByTestId('deadline-preview');
    await preview.waitFor();
    const dueIn = async (key: string) => preview.locator(`[data-milestone="${key}"] td`).first().innerText();

    // 45 days before the housing meeting (5 months) comes before 4 months: the status report is due then
    const statusReport = addOffset(addOffset(admittedAt, { months: 5 }), { days: -45 });
    expect(await dueIn('status-report')).toContain(nb(statusReport));
    // no meeting yet: three months after the first meeting's deadline, reminded every third month
    const cooperation = addOffset(addOffset(admittedAt, { days: 28 }), { months: 3 });
    expect(await dueIn('cooperation-meeting')).toContain(nb(cooperation));
    expect(await preview.locator('[data-milestone="cooperation-meeting"]').innerText()).toContain('hver 3. måned');
    await stack.checkAxe(page, 'config-01-forhandsvisning');
    // on a phone the form and the preview below it fit the screen: the page scrolls only downwards
    const desktop = page.viewportSize()!;
    await page.setViewportSize({ width: 390, height: 844 });
    const width = await page.evaluate<{ scrollWidth: number; innerWidth: number }>(
      '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })',
    );
    expect(width.scrollWidth, 'the page scrolls only downwards on a phone').toBeLessThanOrEqual(width.innerWidth);
    await stack.checkAxe(page, 'config-01b-forhandsvisning-telefon');
    await page.setViewportSize(desktop);

    await page.getByLabel('Beboerreferanse').fill(`R-CONFIG-${run}`);
    await page.getByRole('button', { name: 'Registrer opphold' }).click();
    await page.waitForURL(/\/opphold\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: `Opphold R-CONFIG-${run}` }).waitFor();
    const report = page.locator('[data-milestone="status-report"]');
    expect(await report.innerText()).toContain(nb(statusReport));
    const meeting = page.locator('[data-milestone="cooperation-meeting"]');
    expect(await meeting.innerText()).toContain(nb(cooperation));
    expect(await meeting.innerText()).toContain('Omtrent hver 3. måned etter siste møte');
    await stack.checkAxe(page, 'config-02-opphold');
    await page.close();
  });
});
