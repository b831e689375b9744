import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOffset, osloDate } from '../../rules/oslo-calendar';
import { milestoneTitle } from '../../ui/src/texts';
import type { Harness } from '../support/api-harness';
import { seedMissedDeadlines } from '../support/inbox-fixtures';
import { registerOrganisations } from '../support/organisations';
import { WRONG_TERMS } from '../support/terms';
import { roomBetween, startWebAppStack, tabTo, type WebAppStack } from './web-app-stack';

/**
 * The pages of the day's work in Chromium against the real API, worker, Temporal and PostgreSQL: the stay page puts
 * what is due, the planned meetings and the contacts first (and prints without the app around it), and the inbox reads
 * as one line per missed deadline, grouped by resident, filtered and paged.
 */
const run = Math.random().toString(36).slice(2, 8);
const INST = `inst-day-${run}`;
const BYDEL = 'bydel-frogner';
const INBOX_BYDEL = `bydel-day-${run}`;
const REF = `R-DAY-${run}`;
const today = osloDate(Date.now());
const nb = (iso: string) => iso.split('-').reverse().join('.');

let h: Harness;
let base: string;
let stack: WebAppStack;
let stayId: string;

const api = async (method: 'POST' | 'PUT', url: string, payload: Record<string, unknown>) => {
  const res = await h.app.inject({ method, url, headers: h.auth('institution', INST), payload });
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.json();
};
const headings = (page: Page) => page.locator('main h2').allInnerTexts();

beforeAll(async () => {
  stack = await startWebAppStack({ withWorker: true, app: { devLogin: true } });
  ({ h, base } = stack);
  await registerOrganisations(h, INBOX_BYDEL);
  stayId = (
    await api('POST', '/api/stays', {
      residentRef: REF,
      institutionId: INST,
      bydelId: BYDEL,
      admittedAt: addOffset(today, { days: -45 }),
    })
  ).id;
  await api('PUT', `/api/stays/${stayId}/contacts`, {
    contacts: [
      { role: 'primary-contact', name: 'Kari Primær', organisationId: INST, phone: '+47 22 33 44 55' },
      { role: 'bydel-contact', name: 'Per Bydel', organisationId: BYDEL, email: 'per@bydel.test' },
    ],
  });
  await api('POST', `/api/stays/${stayId}/meetings`, {
    milestone: 'cooperation-meeting',
    plannedAt: `${addOffset(today, { days: 5 })}T10:00`,
    place: 'Møterom 2',
  });
});

afterAll(async () => {
  await stack?.close();
});

describe("the pages of the day's work", () => {
  it('stay page: what is due (days over), the planned meetings and the contacts come first; the rest below; prints', async () => {
    const page = await stack.browser.context.newPage();
    await stack.devLogin(page, 'Ansatt ved institusjon', INST);
    await page.getByRole('heading', { name: 'Mine opphold' }).waitFor();
    await page.goto(`${base}/opphold/${stayId}`);
    await page.getByRole('heading', { name: `Opphold ${REF}` }).waitFor();
    const due = page.getByTestId('due-now');
    await due.locator('[data-due="plan-started"]').waitFor();
    // admitted 45 days ago: the plan was due on day 14
    expect(await due.locator('[data-due="plan-started"]').innerText()).toContain('31 dager over fristen');
    expect(await due.innerText()).toContain(milestoneTitle('housing-mapping'));
    expect(await due.innerText()).toContain('Neste frister');
    const meetings = page.getByTestId('planned-meetings');
    await meetings.getByText('Møterom 2').waitFor();
    expect(await meetings.innerText()).toContain(`${nb(addOffset(today, { days: 5 }))} kl. 10:00`);
    const contacts = page.getByTestId('contacts');
    await contacts.getByText('Kari Primær').waitFor();
    expect(await contacts.getByRole('link', { name: '+47 22 33 44 55' }).getAttribute('href')).toBe('tel:+4722334455');
    const timeline = await page.getByTestId('stay-timeline').innerText();
    expect(timeline.indexOf('Innskrevet')).toBeLessThan(timeline.indexOf('I dag'));

    await page.getByTestId('participation').waitFor();
    const order = await headings(page);
    const at = (title: string) => {
      const i = order.findIndex((h2) => h2.startsWith(title));
      expect(i, `${title} in ${order.join(' | ')}`).toBeGreaterThanOrEqual(0);
      return i;
    };
    expect(at('Frister nå')).toBe(0);
    expect(at('Planlagte møter')).toBe(1);
    expect(at('Kontaktpersoner')).toBe(2);
    expect(at('Møter')).toBe(3);
    expect(at('Hele oppholdet')).toBeLessThan(at('Milepæler og frister'));
    for (const below of ['Samtykke', 'Registrer hendelse', 'Utflyttingsplan', 'Ekstra statusrapport'])
      expect(at(below)).toBeGreaterThan(at('Milepæler og frister'));
    expect(await page.locator('body').innerText()).not.toMatch(WRONG_TERMS);
    await stack.checkAxe(page, 'day-01-opphold');
    // "Ta saken" stands under "Ingen har tatt saken ennå.", its label at the text's left edge (not beside it, lower)
    const assignee = (await page.evaluate(`(() => {
      const line = document.querySelector('[data-milestone="plan-started"] [data-testid="milestone-assignee"]');
      const button = line.closest('dd').querySelector('button');
      const label = document.createRange();
      label.selectNodeContents(button);
      const [text, b] = [line.getBoundingClientRect(), label.getBoundingClientRect()];
      return { below: b.top - text.bottom, left: b.left - text.left, button: button.textContent.trim() };
    })()`)) as { below: number; left: number; button: string };
    expect(assignee.button).toBe('Ta saken');
    expect(assignee.below).toBeGreaterThanOrEqual(0);
    expect(Math.abs(assignee.left)).toBeLessThanOrEqual(1);

    // the link from "Frister nå" goes to the milestone in the full list
    await due.locator('[data-due="plan-started"]').getByRole('link').click();
    expect(page.url()).toContain('#milepael-plan-started');

    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.app-header').isVisible()).toBe(false);
    expect(
      await page
        .getByRole('button', { name: /Registrer fullført/ })
        .first()
        .isVisible(),
    ).toBe(false);
    expect(await due.isVisible()).toBe(true);
    expect(await page.locator('[data-milestone="plan-started"]').isVisible()).toBe(true);
    await stack.checkAxe(page, 'day-02-opphold-utskrift');
    expect((await page.pdf({ format: 'A4' })).byteLength).toBeGreaterThan(10_000);
    await page.close();
  });

  it('inbox: one line per missed deadline grouped by resident, filtered by level, milestone and mine, paged beyond 100', async () => {
    // 40 residents × 3 missed deadlines = 120 lines; every other resident's plan at the second level
    const ids = await seedMissedDeadlines(h.pool, {
      institutionId: INST,
      bydelId: INBOX_BYDEL,
      count: 40,
      prefix: `R-INBOX-${run}`,
      today,
    });
    const sub = `dev-bydel-${INBOX_BYDEL}`;
    await h.pool.query(
      `INSERT INTO stay_contacts (stay_id, position, role, name, organisation_id, user_id) VALUES ($1, 0, 'bydel-contact', 'Per Bydel', $2, $3)`,
      [ids[7], INBOX_BYDEL, sub],
    );

    const page = await stack.browser.context.newPage();
    await stack.devLogin(page, 'Koordinator i bydel', INBOX_BYDEL);
    await page.getByRole('heading', { name: 'Innboks' }).waitFor();
    const summary = page.getByTestId('inbox-summary');
    await summary.getByText('Viser frist 1–100 av 120').waitFor();
    // the view shown is marked as such, not one underlined link among the others
    const views = page.getByRole('navigation', { name: 'Vis varsler' });
    const looks = await page.evaluate<{ current: boolean; look: string }[]>(
      `[...document.querySelectorAll('nav[aria-label="Vis varsler"] a')].map((a) => {
        const s = getComputedStyle(a);
        return { current: a.getAttribute('aria-current') === 'page', look: [s.fontWeight, s.textDecorationLine, s.borderBottomWidth].join(' ') };
      })`,
    );
    expect(await views.locator('[aria-current="page"]').innerText()).toMatch(/^Åpne og bekreftede/);
    const shown = looks.find((l) => l.current)!.look;
    expect(looks.filter((l) => !l.current).map((l) => l.look)).not.toContain(shown);
    // in one row with the others: the current view's text neither higher nor lower than theirs (it sat 2 px higher)
    const textTops = await page.evaluate<number[]>(
      `[...document.querySelectorAll('nav[aria-label="Vis varsler"] a')].map((a) => {
        const text = document.createRange();
        text.selectNodeContents(a);
        return text.getBoundingClientRect().top;
      })`,
    );
    expect(textTops).toHaveLength(4);
    expect(Math.max(...textTops) - Math.min(...textTops), `tops of the views' text: ${textTops}`).toBeLessThanOrEqual(
      0.5,
    );
    // the views and the filters under them are apart: the current view's underline does not touch the label "Hvem"
    expect(await roomBetween(views, page.locator('fieldset.inbox-filters'))).toBeGreaterThanOrEqual(16);
    const groups = page.locator('[data-resident-group]');
    // residents with a second-level deadline first; each resident's lines together
    const first = groups.first();
    expect(await first.locator('[data-kind="second-level"]').count()).toBe(1);
    expect(await first.locator('[data-escalation]').count()).toBe(3);
    const onPage1 = await groups.evaluateAll((els) => els.map((el) => el.getAttribute('data-resident-group')));
    expect(new Set(onPage1).size).toBe(onPage1.length);
    expect(await page.locator('[data-escalation]').count()).toBe(100);
    await stack.checkAxe(page, 'day-03-innboks-gruppert');

    // paged as the worklist is: Punkt's pagination, numbered pages, the current one marked, by keyboard
    const pager = page.getByRole('navigation', { name: 'Sider med varsler' });
    expect(await pager.locator('.pagination__list').count()).toBe(1);
    expect(await pager.locator('[aria-current="page"]').innerText()).toBe('1');
    expect(await pager.getByRole('link', { name: 'Side 2' }).count()).toBe(1);
    expect(await pager.getByRole('link', { name: 'Forrige side' }).count()).toBe(0);
    // on paper the alarms, not the pager
    await page.emulateMedia({ media: 'print' });
    expect(await pager.isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });
    await pager.locator('[aria-current="page"]').focus();
    await tabTo(page, 'nav[aria-label="Sider med varsler"] a[rel="next"]', 3);
    await page.keyboard.press('Enter');
    await summary.getByText('Viser frist 101–120 av 120').waitFor();
    expect(new URL(page.url()).searchParams.get('side')).toBe('2');
    expect(await page.locator('[data-escalation]').count()).toBe(20);
    expect(await pager.locator('[aria-current="page"]').innerText()).toBe('2');
    expect(await pager.getByRole('link', { name: 'Neste side' }).count()).toBe(0);
    // the new page is read from its top: focus on the line that says which alarms it shows
    expect(await page.evaluate<string | undefined>('document.activeElement?.dataset.testid')).toBe('inbox-summary');
    await stack.checkAxe(page, 'day-03b-innboks-side-2');
    await pager.getByRole('link', { name: 'Side 1' }).click();
    await summary.getByText('Viser frist 1–100 av 120').waitFor();
    expect(new URL(page.url()).searchParams.get('side')).toBeNull();
    await page.goBack();
    await summary.getByText('Viser frist 101–120 av 120').waitFor();
    // a link to a page past the end (alarms resolved since it was made): the last page, not "no alarms"
    await page.goto(`${base}/innboks?side=9`);
    await summary.getByText('Viser frist 101–120 av 120').waitFor();
    expect(new URL(page.url()).searchParams.get('side')).toBe('2');
    expect(await page.getByTestId('inbox-empty').count()).toBe(0);

    await page.getByLabel('Nivå').selectOption('second-level');
    await summary.getByText('20 frister hos 20 beboere').waitFor();
    expect(page.url()).not.toContain('side=');
    await page.getByLabel('Nivå').selectOption('');
    await page.getByLabel('Milepæl').selectOption('housing-mapping');
    await summary.getByText('40 frister hos 40 beboere').waitFor();
    await page.getByLabel('Milepæl').selectOption('');
    await page.getByLabel('Hvem').selectOption('mine');
    await summary.getByText('3 frister hos 1 beboer').waitFor();
    expect(await groups.first().innerText()).toContain(`R-INBOX-${run}-007`);
    await stack.checkAxe(page, 'day-04-innboks-mine');

    // an empty view says what it means, and an empty filtered view how to get out of it
    const empty = page.getByTestId('inbox-empty');
    await views.getByRole('link', { name: /^Løste/ }).click();
    await empty.waitFor();
    expect(await empty.innerText()).toMatch(/^Ingen løste varsler for .+ ennå\. Et varsel løses når milepælen/);
    await page.getByLabel('Nivå').selectOption('reminder');
    await empty.getByText('Ingen varsler i «Løste» passer med filtrene.').waitFor();
    await empty.getByRole('link', { name: 'Fjern filtrene' }).click();
    await empty.getByText(/^Ingen løste varsler/).waitFor();
    expect(page.url()).not.toContain('niva=');
    await views.getByRole('link', { name: /^Mine/ }).click();
    await empty.getByText(/^Du følger ikke opp noen åpne eller bekreftede varsler\. Trykk «Ta saken»/).waitFor();
    // the counts of the view are the caller's own cases: the other views' links do not borrow them
    expect(await views.innerText()).not.toMatch(/Bare åpne \(0\)/);
    await stack.checkAxe(page, 'day-04b-innboks-tom');
    await page.close();
  });

  it('tells an administrator, who has no «Ta saken», why «Mine» is empty', async () => {
    const page = await stack.browser.context.newPage();
    await stack.devLogin(page, 'Administrator');
    await page.getByRole('heading', { name: 'Finn opphold' }).waitFor();
    await page.goto(`${base}/innboks?vis=mine`);
    const empty = page.getByTestId('inbox-empty');
    await empty.waitFor();
    expect(await empty.innerText()).toMatch(/^Som administrator tar du ikke saker/);
    expect(await empty.innerText()).not.toContain('Ta saken');
    // nor is an administrator asked "Hvem": they take no cases and are nobody's contact
    await page.getByLabel('Nivå').waitFor();
    expect(await page.getByLabel('Hvem').count()).toBe(0);
    await page.close();
  });

  it('on a phone (390 px): the worklist, the stay page and the inbox scroll only downwards', async () => {
    const page = await stack.browser.context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    /** Wider than the screen: the page itself scrolls sideways (a table may scroll inside its own box instead). */
    const overflow = () =>
      page.evaluate<{ scrollWidth: number; innerWidth: number }>(
        '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })',
      );
    /** Punkt's buttons have a fixed height: a label that wraps into two lines runs over the border. */
    const overrunButtons = () =>
      page.evaluate<string[]>(`[...document.querySelectorAll('.pkt-btn')]
        .filter((b) => {
          if (b.offsetParent === null) return false;
          const label = document.createRange();
          label.selectNodeContents(b);
          return label.getBoundingClientRect().height > b.clientHeight;
        })
        .map((b) => b.textContent.trim())`);
    const fits = async (name: string) => {
      const { scrollWidth, innerWidth } = await overflow();
      expect
        .soft(scrollWidth, `${name}: page ${scrollWidth} px wide on a ${innerWidth} px screen`)
        .toBeLessThanOrEqual(innerWidth);
      expect.soft(await overrunButtons(), `${name}: buttons whose label runs over their border`).toEqual([]);
      await stack.checkAxe(page, name);
    };

    // the 40 residents of the test above: a full inbox and a full worklist
    await stack.devLogin(page, 'Koordinator i bydel', INBOX_BYDEL);
    await page.getByRole('heading', { name: 'Innboks' }).waitFor();
    await page.getByTestId('inbox-summary').waitFor();
    await fits('day-05-telefon-innboks');
    // the main navigation wraps into rows that follow each other, not rows a link's height apart
    const links = await page
      .getByRole('navigation', { name: 'Hovedmeny' })
      .getByRole('link')
      .evaluateAll((els) => els.map((el) => el.getBoundingClientRect()).map((r) => ({ top: r.top, bottom: r.bottom })));
    const firstRow = links.filter((l) => l.top === links[0]!.top);
    expect(firstRow.length, 'the navigation wraps on a phone').toBeLessThan(links.length);
    const nextRowTop = Math.min(...links.filter((l) => l.top > links[0]!.top).map((l) => l.top));
    expect(nextRowTop - Math.max(...firstRow.map((l) => l.bottom)), 'room between the rows').toBeLessThanOrEqual(4);
    expect(
      links.every((l) => l.bottom - l.top >= 40),
      'each link still a finger wide',
    ).toBe(true);
    await page.goto(`${base}/opphold`);
    await page.getByTestId('worklist').waitFor();
    await fits('day-06-telefon-bydelens-opphold');

    await stack.devLogin(page, 'Ansatt ved institusjon', INST);
    await page.getByRole('heading', { name: 'Mine opphold' }).waitFor();
    await page.getByTestId('worklist').waitFor();
    await fits('day-07-telefon-mine-opphold');
    await page.goto(`${base}/opphold/${stayId}`);
    await page.getByTestId('participation').waitFor();
    await page.getByTestId('contacts').getByText('Kari Primær').waitFor();
    await fits('day-08-telefon-opphold');
    // a milestone's buttons, wrapped under each other, start at the same left edge
    const plan = page.locator('[data-milestone="plan-started"]');
    const done = await plan.getByRole('button', { name: /^Registrer fullført/ }).boundingBox();
    const other = await plan.getByRole('button', { name: 'Avtal annen frist' }).boundingBox();
    expect(other!.y, 'the buttons wrap on a phone').toBeGreaterThanOrEqual(done!.y + done!.height);
    expect(other!.x).toBeCloseTo(done!.x, 0);
    await page.close();
  });
});
