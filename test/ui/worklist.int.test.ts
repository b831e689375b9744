import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOffset, osloDate } from '../../rules/oslo-calendar';
import type { Harness } from '../support/api-harness';
import { registerStay } from '../support/stays';
import { startWebAppStack, tabTo, type WebAppStack } from './web-app-stack';

/**
 * "Mine opphold" with more stays than a page holds (55, 50 a page unless one chooses 25, 100 or 200): the API orders,
 * filters, counts and pages; the page shows one page with the whole list's count, pages with Punkt's pagination by
 * keyboard, and keeps order, filters, page size and page in its address through the back button and a reload.
 */
const run = Math.random().toString(36).slice(2, 8);
const INST = `inst-wl-${run}`;
const OTHER = `inst-wl-other-${run}`;
const BYDEL = 'bydel-gamle-oslo';
const STAYS = 55;
const today = osloDate(Date.now());
const ref = (i: number) => `R-WL-${run}-${String(i).padStart(2, '0')}`;

let h: Harness;
let browser: WebAppStack['browser'];
let stack: WebAppStack;

async function register(headers: Record<string, string>, institutionId: string, residentRef: string, days: number) {
  await registerStay(
    h,
    { residentRef, institutionId, bydelId: BYDEL, admittedAt: addOffset(today, { days: -days }) },
    headers,
  );
}

beforeAll(async () => {
  stack = await startWebAppStack({ app: { devLogin: true } });
  ({ h, browser } = stack);
  // stay i was admitted i days ago: its first deadline (14 days) has passed for i > 14 (40 stays), is due soon for the
  // other 15, and the one admitted longest ago is the first to be late
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < STAYS) {
        const i = next++;
        await register(h.auth('institution', INST), INST, ref(i), i);
      }
    }),
  );
  // another institution's stay that the search below would find if it leaked into this list
  await register(h.auth('institution', OTHER), OTHER, `${ref(10)}-other`, 30);
});

afterAll(async () => {
  await stack?.close();
});

const rows = (page: Page) => page.locator('[data-testid="worklist"] tbody tr');
const residents = (page: Page) => rows(page).locator('th[scope="row"] a').allInnerTexts();
const summary = (page: Page) => page.getByTestId('worklist-summary');
/** The table once the page it shows has arrived (the previous page stays while the next one loads). */
const settled = (page: Page, pageNo: number) =>
  page.locator(`[data-testid="worklist"][aria-busy="false"][data-page="${pageNo}"]`).waitFor();
const param = (page: Page, name: string) => new URL(page.url()).searchParams.get(name);

describe('the worklist, one page at a time', () => {
  it('shows the first 50 by next deadline with the count of all, and pages by keyboard with Punkt pagination', async () => {
    const page = await browser.context.newPage();
    await stack.devLogin(page, 'Ansatt ved institusjon', INST);
    await page.getByRole('heading', { name: 'Mine opphold' }).waitFor();
    await settled(page, 1);
    await summary(page)
      .getByText(/^Viser 1–50 av 55 opphold · 40 med forfalte frister · 15 med frist snart$/)
      .waitFor();
    expect(await rows(page).count()).toBe(50);
    const firstPage = await residents(page);
    expect(firstPage.slice(0, 3)).toEqual([ref(54), ref(53), ref(52)]);
    expect(firstPage.at(-1)).toBe(ref(5));

    const nav = page.getByRole('navigation', { name: 'Sider med opphold' });
    expect(await nav.locator('[aria-current="page"]').innerText()).toBe('1');
    expect(await nav.getByRole('link', { name: 'Side 2' }).count()).toBe(1);
    // the first page has nothing before it to follow
    expect(await nav.getByRole('link', { name: 'Forrige side' }).count()).toBe(0);
    await stack.checkAxe(page, 'worklist-01-side-1');

    // keyboard only: Tab to "Neste side", Enter
    await tabTo(page, 'a[rel="next"]', 120);
    await page.keyboard.press('Enter');
    await settled(page, 2);
    await summary(page)
      .getByText(/^Viser 51–55 av 55 opphold/)
      .waitFor();
    expect(param(page, 'side')).toBe('2');
    expect(await residents(page)).toEqual([ref(4), ref(3), ref(2), ref(1), ref(0)]);
    expect(await nav.locator('[aria-current="page"]').innerText()).toBe('2');
    // the new page is read from its top: focus moved to the line that says which stays it shows
    expect(await page.evaluate<string | undefined>('document.activeElement?.dataset.testid')).toBe('worklist-summary');
    expect(await nav.getByRole('link', { name: 'Neste side' }).count()).toBe(0);
    await stack.checkAxe(page, 'worklist-02-side-2');

    await page.goBack();
    await settled(page, 1);
    await summary(page)
      .getByText(/^Viser 1–50 av 55 opphold/)
      .waitFor();
    expect(await residents(page)).toEqual(firstPage);
    await page.close();
  });

  it('sorts by resident reference and keeps order and page through a reload and the back button', async () => {
    const page = await browser.context.newPage();
    await stack.devLogin(page, 'Ansatt ved institusjon', INST);
    await page.getByRole('heading', { name: 'Mine opphold' }).waitFor();
    await settled(page, 1);
    await page.getByLabel('Sorter etter').selectOption('resident');
    await page.waitForURL(/sortering=resident/);
    await settled(page, 1);
    await page.getByText('Sortert etter beboerreferanse.').waitFor();
    expect((await residents(page)).slice(0, 2)).toEqual([ref(0), ref(1)]);
    expect(await page.locator('th[aria-sort="ascending"]').innerText()).toBe('Beboer');

    await page.getByRole('navigation', { name: 'Sider med opphold' }).getByRole('link', { name: 'Side 2' }).click();
    await settled(page, 2);
    expect(await residents(page)).toEqual([ref(50), ref(51), ref(52), ref(53), ref(54)]);

    await page.reload();
    await page.getByRole('heading', { name: 'Mine opphold' }).waitFor();
    await settled(page, 2);
    expect(await residents(page)).toEqual([ref(50), ref(51), ref(52), ref(53), ref(54)]);
    expect(await page.getByLabel('Sorter etter').inputValue()).toBe('resident');

    // to a stay and back: the same page of the same order
    await page.getByRole('link', { name: ref(52) }).click();
    await page.getByRole('heading', { name: `Opphold ${ref(52)}` }).waitFor();
    await page.goBack();
    await settled(page, 2);
    expect(await residents(page)).toEqual([ref(50), ref(51), ref(52), ref(53), ref(54)]);
    await page.close();
  });

  it('shows as many stays a page as chosen ("Vis per side"), back at page 1, and keeps the choice in the address', async () => {
    const page = await browser.context.newPage();
    await stack.devLogin(page, 'Ansatt ved institusjon', INST);
    await page.getByRole('heading', { name: 'Mine opphold' }).waitFor();
    await settled(page, 1);
    const pageSize = page.getByLabel('Vis per side');
    expect(await pageSize.inputValue()).toBe('50');
    const nav = page.getByRole('navigation', { name: 'Sider med opphold' });
    await nav.getByRole('link', { name: 'Side 2' }).click();
    await settled(page, 2);

    // from page 2, fewer a page: the first 25, three pages
    await pageSize.selectOption('25');
    await page.waitForURL(/per-side=25/);
    expect(param(page, 'side')).toBeNull();
    await settled(page, 1);
    await summary(page)
      .getByText(/^Viser 1–25 av 55 opphold/)
      .waitFor();
    expect(await rows(page).count()).toBe(25);
    expect((await residents(page)).slice(0, 2)).toEqual([ref(54), ref(53)]);
    expect(await nav.getByRole('link', { name: 'Side 3' }).count()).toBe(1);
    expect(await nav.getByRole('link', { name: 'Side 4' }).count()).toBe(0);
    await nav.getByRole('link', { name: 'Side 3' }).click();
    await settled(page, 3);
    await summary(page)
      .getByText(/^Viser 51–55 av 55 opphold/)
      .waitFor();
    expect(await residents(page)).toEqual([ref(4), ref(3), ref(2), ref(1), ref(0)]);

    // a reload (or a bookmark) keeps the page size and the page
    await page.reload();
    await page.getByRole('heading', { name: 'Mine opphold' }).waitFor();
    await settled(page, 3);
    expect(await pageSize.inputValue()).toBe('25');
    expect(await rows(page).count()).toBe(5);
    await stack.checkAxe(page, 'worklist-05-per-side');

    // more a page than there are stays: all 55 on one page, no pagination
    await pageSize.selectOption('200');
    await page.waitForURL(/per-side=200/);
    await settled(page, 1);
    await summary(page)
      .getByText(/^Viser 1–55 av 55 opphold/)
      .waitFor();
    expect(await rows(page).count()).toBe(55);
    expect(await nav.count()).toBe(0);

    // the default is not written to the address; a size the page does not offer reads as the default
    await pageSize.selectOption('50');
    await page.waitForURL((url) => !url.searchParams.has('per-side'));
    await page.goto(`${stack.base}/opphold?per-side=5000`);
    await settled(page, 1);
    expect(await pageSize.inputValue()).toBe('50');
    expect(await rows(page).count()).toBe(50);
    await page.close();
  });

  it('searches by part of the reference as one types, with the filters, and keeps the search in the address', async () => {
    const page = await browser.context.newPage();
    await stack.devLogin(page, 'Ansatt ved institusjon', INST);
    await page.getByRole('heading', { name: 'Mine opphold' }).waitFor();
    await settled(page, 1);
    // from page 2, a new search starts at its first page
    await page.getByRole('navigation', { name: 'Sider med opphold' }).getByRole('link', { name: 'Side 2' }).click();
    await settled(page, 2);

    const field = page.getByLabel('Søk på beboerreferanse');
    await field.pressSequentially(`${run}-1`);
    await page.waitForURL(/sok=/);
    await settled(page, 1);
    // 10–19; the other institution's "…-10-other" is not listed
    await summary(page)
      .getByText(/^Viser 1–10 av 10 opphold · 5 med forfalte frister · 5 med frist snart$/)
      .waitFor();
    expect(await residents(page)).toEqual([19, 18, 17, 16, 15, 14, 13, 12, 11, 10].map(ref));
    expect(await page.getByRole('navigation', { name: 'Sider med opphold' }).count()).toBe(0);
    // typing did not lose the field's focus
    expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe('filter-search');

    await page.getByLabel('Bare opphold med forfalte frister').check();
    await page.waitForURL(/overdue=true/);
    await summary(page)
      .getByText(/^Viser 1–5 av 5 opphold · 5 med forfalte frister$/)
      .waitFor();
    expect(await residents(page)).toEqual([19, 18, 17, 16, 15].map(ref));

    await page.reload();
    await page.getByRole('heading', { name: 'Mine opphold' }).waitFor();
    await summary(page)
      .getByText(/^Viser 1–5 av 5 opphold/)
      .waitFor();
    expect(await field.inputValue()).toBe(`${run}-1`);
    expect(await page.getByLabel('Bare opphold med forfalte frister').isChecked()).toBe(true);

    // a search no reference can match is explained next to the field, in Norwegian, and not sent
    await field.fill('R 4');
    await page.getByText('Søk med bokstaver (a–z), tall og . _ : - som i beboerreferansen, høyst 64 tegn.').waitFor();
    expect(param(page, 'sok')).toBe(`${run}-1`);
    await stack.checkAxe(page, 'worklist-03-sok-feil');
    await page.close();
  });
});

describe('an empty worklist', () => {
  it('says the organisation has no stays yet (and where to register one), apart from no stay matching the filters', async () => {
    const page = await browser.context.newPage();
    await stack.devLogin(page, 'Ansatt ved institusjon', `inst-wl-empty-${run}`);
    await page.getByRole('heading', { name: 'Mine opphold' }).waitFor();
    const empty = page.getByTestId('worklist-empty');
    await empty.getByText(/^Ingen opphold er registrert for .+ ennå\./).waitFor();
    expect(await empty.innerText()).toContain('registrerer du oppholdet med «Registrer nytt opphold» nedenfor');
    expect(await page.getByRole('link', { name: 'Registrer nytt opphold' }).count()).toBe(1);
    expect(await empty.innerText()).not.toContain('filtrene');
    await stack.checkAxe(page, 'worklist-04-tom');

    // the institution with 55 stays: a search none matches is the filters', and one link clears them
    await stack.devLogin(page, 'Ansatt ved institusjon', INST);
    await page.getByRole('heading', { name: 'Mine opphold' }).waitFor();
    await settled(page, 1);
    await page.getByLabel('Søk på beboerreferanse').fill('finnes-ikke');
    await empty.getByText('Ingen opphold passer med filtrene.').waitFor();
    expect(await empty.innerText()).not.toContain('registrert');
    await empty.getByRole('link', { name: 'Fjern filtrene' }).click();
    await settled(page, 1);
    await summary(page)
      .getByText(/^Viser 1–50 av 55 opphold/)
      .waitFor();
    expect(param(page, 'sok')).toBeNull();
    expect(await page.getByLabel('Søk på beboerreferanse').inputValue()).toBe('');
    await page.close();
  });
});
