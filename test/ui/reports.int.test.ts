import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComplianceHeatmap, ComplianceReport, OutcomeReport } from '../../schemas/reports';
import { MILESTONE_RULES } from '../../rules/milestones';
import { addOffset, osloDate } from '../../rules/oslo-calendar';
import type { Harness } from '../support/api-harness';
import { registerOrganisations } from '../support/organisations';
import { registerStay, type StayRegistration } from '../support/stays';
import { reportPeriods } from '../../ui/src/reports/periods';
import { startWebAppStack, tabTo, type WebAppStack } from './web-app-stack';

/**
 * The report page in Debian's Chromium against the real API: it shows the numbers the API computes (and the few
 * computed by hand below), every chart has its table, the numbers lead to the stays behind them (logged), the CSV
 * is the API's, and axe finds nothing serious or critical.
 */
const run = Math.random().toString(36).slice(2, 8);
const INST = `inst-ui-rep-${run}`;
const BYDEL = `bydel-ui-rep-${run}`;
const PERIOD = 'from=2025-01-01&to=2025-12-31';

let h: Harness;
let base: string;
let browser: WebAppStack['browser'];
let stack: WebAppStack;
let likelyLateStay: string;

/** A stay of the institution admitted on the day, with the milestones it had done by then; its id. */
async function register(admittedAt: string, completed: StayRegistration['completed']) {
  const residentRef = `R-UIREP-${admittedAt}`;
  return (await registerStay(h, { residentRef, institutionId: INST, bydelId: BYDEL, admittedAt, completed })).id;
}

beforeAll(async () => {
  stack = await startWebAppStack({ app: { devLogin: true } });
  ({ h, base, browser } = stack);
  await registerOrganisations(h, { id: BYDEL, name: `Bydel Rapport ${run}` });
  // U1: plan-started on time, first meeting 7 days late; U2: plan-started 3 days late, first meeting on time
  for (const [admittedAt, completed] of [
    ['2025-01-06', { 'plan-started': '2025-01-15', 'housing-mapping': '2025-02-03', 'first-meeting': '2025-02-10' }],
    ['2025-03-03', { 'plan-started': '2025-03-20', 'housing-mapping': '2025-03-25', 'first-meeting': '2025-03-28' }],
  ] as const) {
    await register(admittedAt, completed);
  }
  // the forecast: 2 of the last 3 first meetings were late; a stay admitted 20 days ago has its first meeting in 8
  const day = (days: number) => addOffset(osloDate(Date.now()), { days });
  for (const [admittedAt, completed] of [
    ...[-70, -70, -73].map(
      (held) =>
        [day(-100), { 'plan-started': day(-90), 'housing-mapping': day(-75), 'first-meeting': day(held) }] as const,
    ),
    [day(-20), {}] as const,
  ]) {
    const stayId = await register(admittedAt, completed);
    if (admittedAt === day(-20)) likelyLateStay = stayId;
  }
});

afterAll(async () => {
  await stack?.close();
});

/**
 * The month-by-month chart as its box opens: whether it scrolls, and whether the first and the last month's label and
 * the plot's right end (the latest month) are in view.
 */
const trendInView = (page: Page) =>
  page.evaluate<{ scrolls: boolean; firstMonth: boolean; lastMonth: boolean; plotEnd: boolean }>(`(() => {
    const svg = document.querySelector('svg[data-chart="trend"]');
    const box = svg.closest('[role="region"]').getBoundingClientRect();
    const inside = (r) => r.width > 0 && r.left >= box.left - 0.5 && r.right <= box.right + 0.5;
    const labels = [...svg.querySelectorAll('g[data-month] text')];
    const grid = svg.querySelector('.report-chart__grid').getBoundingClientRect();
    return {
      scrolls: svg.closest('[role="region"]').scrollWidth > svg.closest('[role="region"]').clientWidth,
      firstMonth: inside(labels[0].getBoundingClientRect()),
      lastMonth: inside(labels.at(-1).getBoundingClientRect()),
      plotEnd: grid.right <= box.right + 0.5,
    };
  })()`);

const asInstitution = () => ({ authorization: `Bearer ${h.token('institution', INST, 'dev-institution')}` });
const fromApi = async <T>(url: string) => (await h.app.inject({ url, headers: asInstitution() })).json() as T;
const percent = (share: number | null) =>
  share === null ? '–' : new Intl.NumberFormat('nb-NO', { style: 'percent', maximumFractionDigits: 0 }).format(share);

describe('the report page', () => {
  it('shows the API’s figures as charts with tables, a heat map and outcomes, and passes axe', async () => {
    const page = await browser.context.newPage();
    await stack.devLogin(page, 'Ansatt ved institusjon', INST);
    await page.getByRole('link', { name: 'Rapporter' }).click();
    await page.getByRole('heading', { name: 'Rapporter', level: 1 }).waitFor();
    await page.goto(`${base}/rapporter?${PERIOD}`);
    await page.getByRole('heading', { name: 'Frister holdt i tide' }).waitFor();

    const byMilestone = await fromApi<ComplianceReport>(`/api/reports/compliance?${PERIOD}&groupBy=milestone`);
    // by hand: plan-started and first meeting each 1 of 2 on time
    for (const key of ['plan-started', 'first-meeting']) {
      expect(byMilestone.rows.find((r) => r.key === key)).toMatchObject({ onTime: 1, late: 1, onTimeShare: 0.5 });
    }
    const bars = page.locator('svg[data-chart="share-by-milestone"] g[data-milestone]');
    expect(await bars.count()).toBe(byMilestone.rows.length);
    // at desktop width the labels stand left of their bars
    expect(await page.locator('svg[data-chart="share-by-milestone"]').getAttribute('data-layout')).toBe('wide');
    // drawn in the report's colours on screen (an unclosed block in styles.css once left them to the printer: black)
    const fills = (await page.evaluate(
      `[...new Set([...document.querySelectorAll('svg[data-chart="share-by-milestone"] .report-chart__bar')].map((el) => getComputedStyle(el).fill))]`,
    )) as string[];
    expect(fills.length).toBeGreaterThan(0);
    expect(fills).not.toContain('rgb(0, 0, 0)');
    for (const row of byMilestone.rows) {
      const bar = page.locator(`svg[data-chart="share-by-milestone"] g[data-milestone="${row.key}"]`);
      expect(await bar.getAttribute('data-share'), row.key).toBe(
        row.onTimeShare === null ? '' : String(row.onTimeShare),
      );
      // at desktop width the whole year is in view as it opens, nothing scrolled away
      expect(await trendInView(page)).toMatchObject({ scrolls: false, firstMonth: true, lastMonth: true });
      const rule = MILESTONE_RULES.find((r) => r.key === row.key)!;
      expect(await bar.textContent()).toContain(rule.section);
      if (row.onTimeShare !== null)
        expect(await bar.textContent()).toContain(
          `${percent(row.onTimeShare)} (${row.onTime} av ${row.onTime + row.late})`,
        );
    }
    const total = byMilestone.total;
    expect(await page.getByTestId('total-share').textContent()).toContain(
      `Totalt ${total.onTime} av ${total.onTime + total.late} avgjorte frister i tide`,
    );

    // the table alternative: every count as the API has it
    await page.getByText('Vis tallene som tabell').first().click();
    const table = page.getByRole('table', { name: 'Frister per milepæl' });
    for (const row of byMilestone.rows) {
      const cells = await table.locator(`tr[data-key="${row.key}"] td`).allTextContents();
      expect(cells.slice(0, 6).map(Number), row.key).toEqual([
        row.due,
        row.onTime,
        row.late,
        row.open,
        row.notApplicable,
        row.deviated,
      ]);
      expect(cells[6]!.replace(/\s/g, ' ')).toBe(percent(row.onTimeShare).replace(/\s/g, ' '));
    }

    const byMonth = await fromApi<ComplianceReport>(`/api/reports/compliance?${PERIOD}&groupBy=month`);
    const points = page.locator('svg[data-chart="trend"] g[data-month]');
    expect(await points.count()).toBe(12);
    for (const row of byMonth.rows)
      expect(await page.locator(`svg[data-chart="trend"] g[data-month="${row.key}"]`).getAttribute('data-share')).toBe(
        row.onTimeShare === null ? '' : String(row.onTimeShare),
      );

    // an institution compares bydeler: one row, its bydel
    const heatmap = await fromApi<ComplianceHeatmap>(`/api/reports/compliance/heatmap?${PERIOD}&rows=bydel`);
    const map = page.getByTestId('heatmap');
    for (const row of heatmap.rows) {
      await map.locator(`tr[data-org="${row.key}"] th`).getByText(`Bydel Rapport ${run}`).waitFor();
      for (const cell of row.milestones.filter((c) => c.due > 0)) {
        const text = await map.locator(`tr[data-org="${row.key}"] td[data-milestone="${cell.key}"]`).textContent();
        expect(text?.replace(/\s/g, ' ')).toContain(percent(cell.onTimeShare).replace(/\s/g, ' '));
      }
    }

    const outcomes = await fromApi<OutcomeReport>(`/api/reports/outcomes?${PERIOD}&groupBy=bydel`);
    expect(outcomes.total.stays).toBe(2);
    const outcomeRow = await page.getByTestId('outcomes').locator(`tr[data-key="${BYDEL}"] td`).allTextContents();
    expect(Number(outcomeRow[0])).toBe(2);
    await stack.checkAxe(page, 'reports-01-page');

    // keyboard: the second chart's table opens from the keyboard
    await page.locator('#utvikling').focus();
    await tabTo(page, 'summary');
    await page.keyboard.press('Enter');
    await page.getByRole('table', { name: 'Frister per måned (etter fristdato)' }).waitFor();
    await stack.checkAxe(page, 'reports-02-tables-open');

    // at desktop width (1280 px) each table of figures shows all its columns (the names of the columns wrap, not the
    // page sideways), and "Totalt" stands where the names of the rows stand
    const tables =
      (await page.evaluate(`[...document.querySelectorAll('table.report-table')].filter((t) => t.tFoot).map((t) => {
      const box = t.closest('[role="region"]');
      const left = (el) => Math.round(el.getBoundingClientRect().left);
      const align = (el) => getComputedStyle(el).textAlign;
      return {
        name: t.querySelector('caption').textContent,
        overflow: box.scrollWidth - box.clientWidth,
        total: [left(t.querySelector('tfoot th')), align(t.querySelector('tfoot th'))],
        row: [left(t.querySelector('tbody th')), align(t.querySelector('tbody th'))],
      };
    })`)) as { name: string; overflow: number; total: [number, string]; row: [number, string] }[];
    expect(tables.map((t) => t.name)).toEqual([
      'Frister per milepæl',
      'Frister per måned (etter fristdato)',
      expect.stringMatching(/^Liggetid, ventetid/),
    ]);
    for (const t of tables) {
      expect(t.overflow, `${t.name}: columns out of sight`).toBeLessThanOrEqual(0);
      expect(t.total, `${t.name}: "Totalt"`).toEqual(t.row);
    }
  });

  it('leads from a number to the stays behind it, each read in the access log', async () => {
    const page = await browser.context.newPage();
    await stack.devLogin(page, 'Ansatt ved institusjon', INST);
    await page.goto(`${base}/rapporter?${PERIOD}`);
    await page.getByText('Vis tallene som tabell').first().click();
    const table = page.getByRole('table', { name: 'Frister per milepæl' });
    await table.locator('tr[data-key="first-meeting"] a[data-count="late"]').click();
    await page.getByRole('heading', { name: /For sent: Første samarbeidsmøte \(§2\.1\)/ }).waitFor();
    const rows = page.getByTestId('report-deadlines').locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('R-UIREP-2025-01-06');
    expect(await rows.first().textContent()).toContain('03.02.2025');
    const stayId = await rows.first().getAttribute('data-stay');
    const logged = await h.pool.query(
      "SELECT actor_org FROM access_log WHERE stay_id = $1 AND view = 'report' AND actor_role = 'institution'",
      [stayId],
    );
    expect(logged.rows).toContainEqual({ actor_org: INST });
    await stack.checkAxe(page, 'reports-03-drill-down');
    // at desktop width all nine columns are in view, and the resident reference is on one line
    const fit = (await page.evaluate(`(() => {
      const t = document.querySelector('[data-testid="report-deadlines"]');
      const box = t.closest('[role="region"]');
      const ref = t.querySelector('tbody th a');
      return { overflow: box.scrollWidth - box.clientWidth, refLines: ref.getClientRects().length };
    })()`)) as { overflow: number; refLines: number };
    expect(fit).toEqual({ overflow: expect.any(Number), refLines: 1 });
    expect(fit.overflow, 'columns out of sight').toBeLessThanOrEqual(0);
    await page.getByRole('link', { name: 'Tilbake til rapporten' }).click();
    await page.getByRole('heading', { name: 'Frister holdt i tide' }).waitFor();
  });

  it('lists the deadlines of the last 12 months when the link has no period, and says what is wrong with a bad one', async () => {
    const page = await browser.context.newPage();
    await stack.devLogin(page, 'Ansatt ved institusjon', INST);
    await page.getByRole('heading', { name: 'Mine opphold' }).waitFor();
    const nb = (iso: string) => iso.split('-').reverse().join('.');
    const [lastYear, quarter] = reportPeriods(osloDate(Date.now()));
    const rows = page.getByTestId('report-deadlines').locator('tbody tr');

    // a bookmark without the period: the same 12 months as /rapporter without one, and said so
    await page.goto(`${base}/rapporter/frister?groupBy=milestone&key=first-meeting&outcome=late`);
    await page.getByTestId('period-defaulted').waitFor();
    await page.getByText(`for ${nb(lastYear!.from)}–${nb(lastYear!.to)}`).waitFor();
    const expected = await fromApi<{ total: number }>(
      `/api/reports/compliance/stays?groupBy=milestone&key=first-meeting&outcome=late&from=${lastYear!.from}&to=${lastYear!.to}`,
    );
    expect(expected.total).toBeGreaterThan(0);
    await rows.first().waitFor();
    expect(await rows.count()).toBe(expected.total);
    expect(await page.getByText('Kunne ikke hente fristene').count()).toBe(0);
    await stack.checkAxe(page, 'reports-03b-drill-down-no-period');
    await page.getByRole('link', { name: 'Tilbake til rapporten' }).click();
    await page.waitForURL(new RegExp(`from=${lastYear!.from}&to=${lastYear!.to}`));

    const refused = async (query: string, text: string) => {
      await page.goto(`${base}/rapporter/frister?outcome=due&${query}`);
      await page.getByText(text).waitFor();
      expect(await page.getByText('Kunne ikke hente fristene').count()).toBe(0);
    };
    await refused(
      'from=2025-12-01&to=2025-01-01',
      'Perioden i lenken slutter (01.01.2025) før den begynner (01.12.2025).',
    );
    await refused('from=2025-13-01&to=2025-12-31', 'Perioden i lenken har en ugyldig dato («2025-13-01»).');
    await refused('from=2000-01-01&to=2025-12-31', 'Perioden i lenken er for lang: en rapport dekker høyst ti år.');
    // and a way out: a ready-made period, keeping what the list counts
    await page.getByTestId('period-choices').getByRole('link', { name: quarter!.label }).click();
    await page.waitForURL(new RegExp(`outcome=due&from=${quarter!.from}&to=${quarter!.to}`));
    await page.getByText(`for ${nb(quarter!.from)}–${nb(quarter!.to)}`).waitFor();
    expect(await page.getByText(/Perioden i lenken/).count()).toBe(0);
  });

  it('on a phone (390 px): the milestone chart opens with labels and bars in view, readable; the page scrolls only downwards', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await stack.devLogin(page, 'Ansatt ved institusjon', INST);
    await page.getByRole('heading', { name: 'Mine opphold' }).waitFor();
    await page.goto(`${base}/rapporter?${PERIOD}`);
    await page.getByTestId('outcomes').waitFor();
    const layout = (await page.evaluate(`(() => {
      const chart = (name) => {
        const svg = document.querySelector('svg[data-chart="' + name + '"]');
        const box = svg.closest('[role="region"]');
        // the labels are 13 units of the drawing's viewBox
        return {
          labelPx: (13 * svg.getBoundingClientRect().width) / svg.viewBox.baseVal.width,
          scrolls: box.scrollWidth > box.clientWidth,
          box: box.getBoundingClientRect().toJSON(),
        };
      };
      const inside = (el, box) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.left >= box.left - 0.5 && r.right <= box.right + 0.5;
      };
      const share = chart('share-by-milestone');
      // every milestone's label, and every bar with its figure, is in the box as it opens (nothing to scroll to)
      const rows = [...document.querySelectorAll('svg[data-chart="share-by-milestone"] g[data-milestone]')].map((g) => ({
        label: inside(g.querySelector('.report-chart__label'), share.box),
        bar: [...g.querySelectorAll('rect, .report-chart__value, .report-chart__none')].every((el) => inside(el, share.box)),
      }));
      return {
        page: document.documentElement.scrollWidth - window.innerWidth,
        share,
        rows,
        trend: chart('trend'),
        captionRight: document.querySelector('[data-testid="outcomes"] caption').getBoundingClientRect().right,
      };
    })()`)) as {
      page: number;
      share: { labelPx: number; scrolls: boolean };
      rows: { label: boolean; bar: boolean }[];
      trend: { labelPx: number; scrolls: boolean };
      captionRight: number;
    };
    expect(layout.page).toBe(0);
    expect(layout.share.scrolls).toBe(false);
    expect(layout.share.labelPx).toBeGreaterThanOrEqual(11);
    expect(layout.rows.length).toBeGreaterThan(5);
    expect(layout.rows).toEqual(layout.rows.map(() => ({ label: true, bar: true })));
    expect(await page.locator('svg[data-chart="share-by-milestone"]').getAttribute('data-layout')).toBe('stacked');
    // the trend keeps its readable size and scrolls in its own box, opening at the latest months (what a leader reads
    // first), the oldest a scroll to the left away
    expect(layout.trend.labelPx).toBeGreaterThanOrEqual(11);
    expect(await trendInView(page)).toEqual({ scrolls: true, firstMonth: false, lastMonth: true, plotEnd: true });
    expect(layout.captionRight).toBeLessThanOrEqual(390);
    await stack.checkAxe(page, 'reports-07-phone');
  });

  it('downloads the API’s CSV and refuses a period that ends before it begins', async () => {
    const page = await browser.context.newPage();
    await stack.devLogin(page, 'Ansatt ved institusjon', INST);
    await page.goto(`${base}/rapporter?${PERIOD}`);
    await page.getByRole('heading', { name: 'Last ned' }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Frister per milepæl (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('compliance-milestone-2025-01-01-2025-12-31.csv');
    const csv = (
      await h.app.inject({ url: `/api/reports/compliance.csv?${PERIOD}&groupBy=milestone`, headers: asInstitution() })
    ).body;
    expect(readFileSync((await download.path())!, 'utf8')).toBe(csv);

    await page.getByLabel('Fra', { exact: true }).fill('01.12.2025');
    await page.getByLabel('Til', { exact: true }).fill('01.01.2025');
    await page.getByRole('button', { name: 'Vis rapport' }).click();
    await page.locator('#rapport-til-error').getByText('Til-datoen kan ikke være før fra-datoen.').waitFor();
    await stack.checkAxe(page, 'reports-04-period-refused');
    await page.getByLabel('Til', { exact: true }).fill('31.12.2025');
    await page.getByRole('button', { name: 'Vis rapport' }).click();
    await page.waitForURL(/from=2025-12-01&to=2025-12-31/);
    await page.getByText('perioden 01.12.2025–31.12.2025').waitFor();

    // the quarterly report: the last whole quarter is one click, named
    const quarter = reportPeriods(osloDate(Date.now()))[1]!;
    expect(quarter.label).toMatch(/^Forrige kvartal \([1-4]\. kvartal \d{4}\)$/);
    await page.getByRole('link', { name: quarter.label }).click();
    await page.waitForURL(new RegExp(`from=${quarter.from}&to=${quarter.to}`));
    const nb = (iso: string) => iso.split('-').reverse().join('.');
    await page.getByText(`perioden ${nb(quarter.from)}–${nb(quarter.to)}`).waitFor();
    expect(await page.getByLabel('Fra', { exact: true }).inputValue()).toBe(nb(quarter.from));
  });

  it('marks the deadlines that may be missed next, on the worklist and in the report', async () => {
    const page = await browser.context.newPage();
    await stack.devLogin(page, 'Ansatt ved institusjon', INST);
    await page.getByRole('heading', { name: 'Mine opphold' }).waitFor();
    const mark = page.locator(`[data-likely-late="${likelyLateStay}"]`);
    await mark.waitFor();
    expect(await mark.textContent()).toContain('Kan bli forsinket');
    expect(await mark.textContent()).toContain('Første samarbeidsmøte');
    expect(await page.locator('[data-likely-late]').count()).toBe(1);
    await stack.checkAxe(page, 'reports-05-worklist-forecast');

    await page.goto(`${base}/rapporter?${PERIOD}`);
    const first = page.getByTestId('forecast').locator('tbody tr').first();
    await first.waitFor();
    expect(await first.getAttribute('data-risk')).toBe('likely-late');
    expect(await first.getAttribute('data-stay')).toBe(likelyLateStay);
    expect(await first.textContent()).toContain('Første samarbeidsmøte');
    expect((await page.getByTestId('forecast-summary').textContent())?.replace(/\s/g, ' ')).toContain(
      '1 kan bli forsinket',
    );
    await stack.checkAxe(page, 'reports-06-forecast');
  });
});
