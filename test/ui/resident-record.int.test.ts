import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseConsentReminders } from '../../activities/notifications/consent-expiry';
import { addOffset, osloDate } from '../../rules/oslo-calendar';
import type { Harness } from '../support/api-harness';
import { WRONG_TERMS } from '../support/terms';
import { startWebAppStack, type WebAppStack } from './web-app-stack';

/**
 * The resident's record on the stay page, in Chromium against the real API, worker, Temporal and PostgreSQL: consent
 * and relatives, applications over time, the exit plan with tasks, contacts and kriseplan, and its print preview.
 * Preconditions are set up through the API; the tests run in order and share one stay.
 */
const run = Math.random().toString(36).slice(2, 8);
const INST = `inst-record-${run}`;
const BYDEL = 'bydel-alna';
const REF = `R-RECORD-${run}`;
const today = osloDate(Date.now());
const nb = (iso: string) => iso.split('-').reverse().join('.');

let h: Harness;
let base: string;
let stack: WebAppStack;
let stayId: string;

const api = async (
  method: 'POST' | 'PUT',
  url: string,
  payload: Record<string, unknown>,
  headers = h.auth('institution', INST),
) => {
  const res = await h.app.inject({ method, url, headers, payload });
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.json();
};

async function openStay(page: Page, role: 'Ansatt ved institusjon' | 'Koordinator i bydel', org: string) {
  await stack.devLogin(page, role, org);
  await page
    .getByRole('heading', { name: role === 'Ansatt ved institusjon' ? 'Mine opphold' : /opphold|Innboks/ })
    .first()
    .waitFor();
  await page.goto(`${base}/opphold/${stayId}`);
  await page.getByRole('heading', { name: `Opphold ${REF}` }).waitFor();
}

const noWrongTerms = async (page: Page) => expect(await page.locator('body').innerText()).not.toMatch(WRONG_TERMS);

beforeAll(async () => {
  stack = await startWebAppStack({ withWorker: true, app: { devLogin: true } });
  ({ h, base } = stack);
  const stay = await api('POST', '/api/stays', {
    residentRef: REF,
    institutionId: INST,
    bydelId: BYDEL,
    admittedAt: addOffset(today, { months: -6 }),
  });
  stayId = stay.id;
  await api('PUT', `/api/stays/${stayId}/contacts`, {
    contacts: [
      {
        role: 'primary-contact',
        name: 'Kari Primær',
        organisationId: INST,
        phone: '+47 22 33 44 55',
        email: 'kari.primaer@institusjonen.oslo.kommune.no',
      },
      { role: 'housing-follow-up-worker', name: 'Bo Oppfølger', organisationId: BYDEL, phone: '900 11 223' },
    ],
  });
  await api(
    'POST',
    `/api/stays/${stayId}/events/housing-offered`,
    {
      date: today,
      hasBooppfolgingDecision: true,
      housingConditionalOnFollowUp: false,
      expectedMoveInDate: addOffset(today, { days: 21 }),
    },
    h.auth('bydel', BYDEL),
  );
});

afterAll(async () => {
  await stack?.close();
});

describe("the resident's record on the stay page", () => {
  it("institution user: records the consent (a refusal next to its field) and relatives' involvement", async () => {
    const page = await stack.browser.context.newPage();
    await openStay(page, 'Ansatt ved institusjon', INST);
    const section = page.getByTestId('participation');
    await section.getByTestId('consent').getByText('Ikke registrert.').waitFor();
    await section.getByRole('button', { name: 'Registrer samtykke' }).click();
    const form = section.getByRole('form', { name: 'Samtykke' });
    await form.getByRole('group', { name: 'Har beboeren gitt samtykke?' }).getByLabel('Ja').check();
    expect(await form.getByLabel('Dato for svaret').inputValue()).toBe(nb(today));
    await form.getByRole('button', { name: 'Lagre samtykket' }).click();
    const untilError = form.locator('#samtykke-validUntil-error');
    await untilError.waitFor();
    expect(await untilError.innerText()).toContain('gyldig til og med');
    await stack.checkAxe(page, 'record-01-samtykke-feil');

    await form.getByLabel('Gyldig til og med').fill(nb(addOffset(today, { days: 20 })));
    await form.getByRole('button', { name: 'Lagre samtykket' }).click();
    await section.getByText('Samtykket er lagret.').waitFor();
    const consent = await section.getByTestId('consent').innerText();
    expect(consent).toContain('Utløper snart');
    expect(consent).toContain('utløper om 20 dager');

    await section.getByRole('button', { name: 'Registrer om pårørende er involvert' }).click();
    const relatives = section.getByRole('form', { name: 'Pårørende' });
    await relatives
      .getByRole('group', { name: 'Er pårørende involvert?' })
      .getByLabel('Beboeren ønsker ikke at pårørende involveres')
      .check();
    await relatives.getByRole('button', { name: 'Lagre' }).click();
    await section.getByText('Pårørende er lagret.').waitFor();
    expect(await section.getByTestId('relatives').innerText()).toContain('Beboeren ønsker ikke');
    await stack.checkAxe(page, 'record-02-samtykke-parorende');

    const saved = (await h.app.inject({ url: `/api/stays/${stayId}/participation`, headers: h.auth('admin') })).json();
    expect(saved.consent).toMatchObject({ given: true, date: today, validUntil: addOffset(today, { days: 20 }) });
    expect(saved.relatives).toMatchObject({ involvement: 'not-wanted-by-resident' });
    await page.close();
  });

  it('institution user: the consent running out is in Varsler, once, and can be acknowledged', async () => {
    await raiseConsentReminders(h.pool, new Date().toISOString());
    await raiseConsentReminders(h.pool, new Date().toISOString());
    const page = await stack.browser.context.newPage();
    await stack.devLogin(page, 'Ansatt ved institusjon', INST);
    await page.getByRole('heading', { name: 'Mine opphold' }).waitFor();
    await page.goto(`${base}/innboks`);
    const reminders = page.getByTestId('consent-reminders');
    await reminders.waitFor();
    const item = reminders.locator(`[data-consent-reminder="${stayId}"]`);
    expect(await item.count()).toBe(1);
    expect(await item.innerText()).toContain(`Gyldig til og med ${nb(addOffset(today, { days: 20 }))}`);
    await stack.checkAxe(page, 'record-03-varsler-samtykke');
    await item.getByRole('button', { name: 'Bekreft mottatt' }).click();
    await reminders.locator(`[data-consent-reminder="${stayId}"][data-state="acknowledged"]`).waitFor();
    await page.close();
  });

  it('bydel user: adds an application after the first recording and records its outcome', async () => {
    const page = await stack.browser.context.newPage();
    await openStay(page, 'Koordinator i bydel', BYDEL);
    const section = page.getByTestId('applications');
    await section.getByText('Ingen søknader er registrert ennå.').waitFor();
    await section.getByRole('button', { name: 'Legg til søknad' }).click();
    const form = section.getByRole('form', { name: 'Ny søknad' });
    await form.getByLabel('Søknad eller henvisning').selectOption('other');
    await form.getByLabel('Hva slags søknad?').fill('Bostøtte');
    await form.getByRole('group', { name: 'Ansvarlig' }).getByLabel('Bydelen').check();
    await form.getByLabel(/egen rapport/).check();
    await form.getByRole('button', { name: 'Legg til' }).click();
    await section.getByText('«Bostøtte» er lagt til.').waitFor();
    const row = section.locator('tr[data-application="other"]');
    expect(await row.innerText()).toContain('Venter på svar');
    expect(await row.innerText()).toContain('Vedlagt');

    await row.getByRole('button', { name: /^Registrer svar: Bostøtte/ }).click();
    const answer = section.getByRole('form', { name: /^Svar: Bostøtte/ });
    await answer.getByRole('group', { name: 'Svar' }).getByLabel('Innvilget').check();
    await answer.getByLabel('Dato for svaret').fill(nb(addOffset(today, { days: 2 })));
    await answer.getByRole('button', { name: 'Lagre svaret' }).click();
    const dateError = answer.locator('#svar-outcomeOn-error');
    await dateError.waitFor();
    expect(await dateError.innerText()).toContain('fram i tid');
    await stack.checkAxe(page, 'record-04-soknad-svar-feil');
    await answer.getByLabel('Dato for svaret').fill(nb(today));
    await answer.getByRole('button', { name: 'Lagre svaret' }).click();
    await section.getByText('Svaret på «Bostøtte» er lagret.').waitFor();
    expect(await section.locator('tr[data-application="other"]').getAttribute('data-outcome')).toBe('granted');
    await stack.checkAxe(page, 'record-05-soknader');
    await page.close();
  });

  it('bydel user: makes the exit plan with tasks, contact persons, a kriseplan and "ingen betaling", and prints it', async () => {
    const page = await stack.browser.context.newPage();
    await openStay(page, 'Koordinator i bydel', BYDEL);
    const section = page.getByTestId('exit-plan');
    await section.getByRole('button', { name: 'Lag utflyttingsplan' }).click();
    const plan = section.getByRole('form', { name: 'Utflyttingsplan' });
    expect(await plan.innerText()).toContain('Ikke skriv helseopplysninger');
    for (const select of await plan.locator('select[aria-label$=": ansvarlig"]').all())
      await select.selectOption('bydel');
    for (const select of await plan.locator('select[aria-label$=": status"]').all())
      await select.selectOption('in-progress');
    await plan
      .locator('[data-part="contact-persons"]')
      .getByLabel(/Kari Primær/)
      .check();
    await plan
      .locator('[data-part="contact-persons"]')
      .getByLabel(/Bo Oppfølger/)
      .check();

    const finances = plan.locator('[data-part="finances"]');
    await finances.getByRole('button', { name: 'Legg til oppgave: Økonomi' }).click();
    await finances.getByLabel('Økonomi, oppgave 1: hva').fill('Søke bostøtte');
    await finances.getByLabel('Økonomi, oppgave 1: ansvarlig').selectOption('resident');
    await finances.getByLabel('Økonomi, oppgave 1: frist (dd.mm.åååå)').fill(nb(addOffset(today, { days: 14 })));
    await finances.getByRole('button', { name: 'Legg til oppgave: Økonomi' }).click();
    await finances.getByLabel('Økonomi, oppgave 2: hva').fill('x'.repeat(5));
    await finances.getByLabel('Økonomi, oppgave 2: ansvarlig').selectOption('bydel');
    await finances
      .getByLabel('Økonomi, oppgave 2: person fra kontaktlisten')
      .selectOption({ label: 'Bo Oppfølger (Booppfølger)' });
    await finances.getByLabel('Økonomi, oppgave 2: frist (dd.mm.åååå)').fill('31.02.2027');

    const crisis = plan.locator('[data-part="contingency-plan"]');
    await crisis.getByRole('group', { name: 'Er kriseplan vurdert?' }).getByLabel('Ja').check();
    await crisis.getByRole('group', { name: 'Kriseplanen' }).getByLabel('Laget').check();
    await crisis.getByRole('button', { name: 'Legg til tiltak: Kriseplan' }).click();
    await crisis.getByLabel('Kriseplan, tiltak 1: hva').fill('Ringe booppfølger');
    await crisis.getByLabel('Kriseplan, tiltak 1: ansvarlig').selectOption('resident');
    await crisis.getByLabel(/Bo Oppfølger/).check();

    const keep = plan.locator('[data-keep-place]');
    await keep
      .getByRole('group', { name: /beholder institusjonsplassen eller en dagplass/ })
      .getByLabel('Ja')
      .check();
    await keep.getByRole('group', { name: 'Hva beholder beboeren?' }).getByLabel('Dagplass').check();
    await keep.getByLabel('Antall dager per uke').fill('2');
    await keep.getByLabel('Avtalt til og med').fill(nb(addOffset(today, { months: 2 })));
    await keep.getByRole('group', { name: 'Hvem betaler?' }).getByLabel('Ingen betaling').check();

    // a date that does not exist is refused next to its task's field; nothing typed is lost
    await plan.getByRole('button', { name: 'Lagre utflyttingsplanen' }).click();
    const dueError = plan.locator('#utflyttingsplan-parts-finances-tasks-1-dueOn-error');
    await dueError.waitFor();
    expect(await dueError.innerText()).toContain('dd.mm.åååå');
    expect(await finances.getByLabel('Økonomi, oppgave 1: hva').inputValue()).toBe('Søke bostøtte');
    await stack.checkAxe(page, 'record-06-utflyttingsplan-feil');
    await finances.getByLabel('Økonomi, oppgave 2: hva').fill('Avtale om husleietrekk');
    await finances.getByLabel('Økonomi, oppgave 2: frist (dd.mm.åååå)').fill(nb(addOffset(today, { days: 7 })));
    await plan.getByRole('button', { name: 'Lagre utflyttingsplanen' }).click();
    await page.getByText('Utflyttingsplanen er lagret.').waitFor();
    expect(await section.innerText()).toContain('0 av 2 oppgaver er utført');
    await noWrongTerms(page);

    const saved = (await h.app.inject({ url: `/api/stays/${stayId}`, headers: h.auth('bydel', BYDEL) })).json()
      .transition.exitPlan;
    expect(saved.parts.finances.tasks).toEqual([
      { title: 'Søke bostøtte', owner: 'resident', dueOn: addOffset(today, { days: 14 }) },
      {
        title: 'Avtale om husleietrekk',
        owner: 'bydel',
        ownerContactId: expect.any(String),
        dueOn: addOffset(today, { days: 7 }),
      },
    ]);
    expect(saved.parts['contingency-plan']).toMatchObject({ status: 'made', steps: [{ title: 'Ringe booppfølger' }] });
    expect(saved.keepPlace.paidBy).toBe('none');

    // the printable plan: the app around it and the buttons are left out when printed
    await section.getByRole('link', { name: /Utflyttingsplanen for utskrift/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Utflyttingsplan' }).waitFor();
    const text = await page.locator('main').innerText();
    for (const expected of [
      'Kari Primær',
      '+47 22 33 44 55',
      'Bo Oppfølger',
      'Søke bostøtte',
      'Avtale om husleietrekk',
      'Bo Oppfølger (Booppfølger), bydelen',
      'Kriseplan',
      'Ringe booppfølger',
      'ingen betaling',
      nb(addOffset(today, { days: 21 })),
    ])
      expect(text).toContain(expected);
    await noWrongTerms(page);
    await stack.checkAxe(page, 'record-07-utflyttingsplan-skjerm');
    // on a phone the plan's tables are read one row at a time; an e-mail address does not widen the page
    await page.setViewportSize({ width: 390, height: 844 });
    const width = await page.evaluate<{ scrollWidth: number; innerWidth: number }>(
      '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })',
    );
    expect(width.scrollWidth, 'the page scrolls only downwards on a phone').toBeLessThanOrEqual(width.innerWidth);
    await stack.checkAxe(page, 'record-07b-utflyttingsplan-telefon');

    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('button', { name: 'Skriv ut' }).isVisible()).toBe(false);
    expect(await page.locator('.app-header').isVisible()).toBe(false);
    expect(await page.getByRole('link', { name: 'Tilbake til oppholdet' }).isVisible()).toBe(false);
    expect(await page.getByRole('heading', { level: 1, name: 'Utflyttingsplan' }).isVisible()).toBe(true);
    expect(await page.getByText('Søke bostøtte').isVisible()).toBe(true);
    await stack.checkAxe(page, 'record-08-utflyttingsplan-utskrift');
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.byteLength).toBeGreaterThan(10_000);
    await page.close();
  });

  it('the printed plan says that the contacts could not be read, instead of printing the plan without them', async () => {
    const page = await stack.browser.context.newPage();
    // the contacts' read fails (the API answers as it does when PostgreSQL is away); the stay and its plan are read
    await page.route(`**/api/stays/${stayId}/contacts`, (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503 }),
      }),
    );
    await openStay(page, 'Koordinator i bydel', BYDEL);
    await page.goto(`${base}/opphold/${stayId}/utflyttingsplan`);
    await page.getByRole('heading', { level: 1, name: 'Utflyttingsplan' }).waitFor();
    const contactsPart = page.locator('section[aria-labelledby="plan-kontakter"]');
    const unreadable = contactsPart.getByTestId('contacts-unreadable');
    await unreadable.waitFor();
    expect(await unreadable.innerText()).toContain(
      'Kontaktpersonene kunne ikke hentes, så navn og telefonnumre mangler i denne utskriften.',
    );
    // the rest of the plan is there; a task's owner from the contacts is not called removed from the list
    const text = await page.locator('main').innerText();
    expect(text).toContain('Søke bostøtte');
    expect(text).toContain('En kontaktperson (navnet kunne ikke hentes), bydelen');
    expect(text).not.toContain('Kontakt som er fjernet fra listen');
    expect(text).not.toContain('Kari Primær');
    await noWrongTerms(page);
    await stack.checkAxe(page, 'record-09-utflyttingsplan-uten-kontakter');
    // on paper too
    await page.emulateMedia({ media: 'print' });
    expect(await unreadable.isVisible()).toBe(true);
    await page.close();
  });
});
