import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/api-harness';
import { raiseEscalations } from '../support/escalation-fixtures';
import { roomBetween, startWebAppStack, type WebAppStack } from './web-app-stack';

/**
 * The organisation register in the web app, in Debian's Chromium against the real API and PostgreSQL: an admin
 * adds an institution and a bydel, renames one, deactivates the bydel, and the registration form stops offering it.
 * The organisations are this run's own (the database is shared with other test files running at the same time).
 */
const run = Math.random().toString(36).slice(2, 8);
const INST = `inst-org-${run}`;
const BYDEL = `bydel-org-${run}`;
const INST_NAME = `Institusjon Test ${run}`;
const INST_RENAMED = `Institusjon Nord ${run}`;
const BYDEL_NAME = `Bydel Test ${run}`;

let h: Harness;
let base: string;
let browser: WebAppStack['browser'];
let stack: WebAppStack;

const checkAxe = (page: Page, name: string) => stack.checkAxe(page, name);

/** What a choice field offers, value → text: a select (more than four choices) or radio buttons (otherwise). */
const choices = (page: Page, id: string) =>
  page.evaluate<Record<string, string>>(`(() => {
    const out = {};
    for (const o of document.querySelectorAll('select[name="${id}"] option')) if (o.value) out[o.value] = o.textContent.trim();
    for (const i of document.querySelectorAll('input[type=radio][name="${id}"]')) out[i.value] = (document.querySelector('label[for="' + i.id + '"]')?.textContent ?? '').trim();
    return out;
  })()`);

beforeAll(async () => {
  stack = await startWebAppStack({ withWorker: false, app: { devLogin: true } });
  ({ h, base, browser } = stack);
});

afterAll(async () => {
  await stack?.close();
});

describe('organisation register in the web app', () => {
  it('an admin adds an institution and a bydel, renames one, deactivates the bydel, and registration no longer offers it', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/logg-inn`);
    await page.getByRole('heading', { name: 'Logg inn (utvikling)' }).waitFor();
    await page.getByLabel('Administrator').check();
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.getByRole('link', { name: 'Organisasjoner og varsling' }).click();
    await page.getByRole('heading', { name: 'Organisasjoner', exact: true }).waitFor();
    const bydeler = page.getByRole('table', { name: 'Bydeler' });
    await bydeler.getByRole('rowheader', { name: 'Bydel Sagene' }).waitFor();
    await checkAxe(page, 'org-01-register');
    // Punkt zeroes headings' margins: the section's heading has room under it, and the form beside it one height
    const notifying = page.getByRole('region', { name: 'Varsling' });
    expect(
      await roomBetween(
        notifying.getByRole('heading', { name: 'Varsling' }),
        notifying.getByText('Organisasjon', { exact: true }),
      ),
      'room under the heading "Varsling"',
    ).toBeGreaterThanOrEqual(16);
    const [typedId, show] = [
      await notifying.getByLabel('Eller skriv organisasjons-ID').boundingBox(),
      await notifying.getByRole('button', { name: 'Vis' }).boundingBox(),
    ];
    expect(show!.height, '"Vis" as high as the field beside it').toBeCloseTo(typedId!.height, 0);
    expect(show!.y + show!.height).toBeCloseTo(typedId!.y + typedId!.height, 0);

    // an empty form: each refusal next to its field, nothing lost
    const form = page.getByRole('form', { name: 'Legg til organisasjon' });
    await form.getByLabel('Navn', { exact: true }).fill(INST_NAME);
    await form.getByRole('button', { name: 'Legg til' }).click();
    await form.locator('#ny-org-kind-error').getByText('Velg om det er en institusjon eller en bydel.').waitFor();
    await form.locator('#ny-org-id-error').getByText('Skriv en ID, for eksempel bydel-alna.').waitFor();
    expect(await form.getByLabel('Navn', { exact: true }).inputValue()).toBe(INST_NAME);
    await checkAxe(page, 'org-02-ny-feil');

    // an id that breaks the pattern: the API's 400 shown next to the ID field
    await form.getByLabel('Institusjon', { exact: true }).check();
    await form.getByLabel('ID', { exact: true }).fill('inst med mellomrom');
    await form.getByRole('button', { name: 'Legg til' }).click();
    await form
      .locator('#ny-org-id-error')
      .getByText(/Bruk 1–64 tegn/)
      .waitFor();
    await form.getByLabel('ID', { exact: true }).fill(INST);
    await form.getByRole('button', { name: 'Legg til' }).click();
    await page.getByText(`${INST_NAME} (institusjon) er lagt til.`).waitFor();
    const institutions = page.getByRole('table', { name: 'Institusjoner' });
    await institutions.getByRole('rowheader', { name: INST_NAME }).waitFor();

    await form.getByLabel('Bydel', { exact: true }).check();
    await form.getByLabel('Navn', { exact: true }).fill(BYDEL_NAME);
    await form.getByLabel('ID', { exact: true }).fill(BYDEL);
    await form.getByRole('button', { name: 'Legg til' }).click();
    await page.getByText(`${BYDEL_NAME} (bydel) er lagt til.`).waitFor();
    await bydeler.getByRole('rowheader', { name: BYDEL_NAME }).waitFor();

    // the same id again: 409, said next to the ID field
    await form.getByLabel('Bydel', { exact: true }).check();
    await form.getByLabel('Navn', { exact: true }).fill(`${BYDEL_NAME} igjen`);
    await form.getByLabel('ID', { exact: true }).fill(BYDEL);
    await form.getByRole('button', { name: 'Legg til' }).click();
    await form.locator('#ny-org-id-error').getByText('Det finnes allerede en organisasjon med denne ID-en.').waitFor();
    await checkAxe(page, 'org-03-id-finnes');

    // rename the institution
    await page.getByRole('button', { name: `Endre navn på ${INST_NAME}` }).click();
    await page.getByLabel(`Nytt navn på ${INST_NAME}`).fill(INST_RENAMED);
    await page.getByRole('button', { name: 'Lagre navn' }).click();
    await page.getByText(`Navnet er endret til ${INST_RENAMED}.`).waitFor();
    await institutions.getByRole('rowheader', { name: INST_RENAMED }).waitFor();

    // the registration form offers the new bydel, and the institution by its new name
    await page.getByRole('link', { name: 'Registrer opphold' }).click();
    await page.getByRole('heading', { name: 'Registrer opphold' }).waitFor();
    expect((await choices(page, 'registrer-bydelId'))[BYDEL]).toBe(BYDEL_NAME);
    expect((await choices(page, 'registrer-institutionId'))[INST]).toBe(INST_RENAMED);

    // deactivate the bydel
    await page.getByRole('link', { name: 'Organisasjoner og varsling' }).click();
    await page.getByRole('button', { name: `Deaktiver ${BYDEL_NAME}` }).click();
    await page.getByText(`${BYDEL_NAME} er deaktivert.`).waitFor();
    await bydeler
      .getByRole('row', { name: new RegExp(BYDEL_NAME) })
      .getByText('Deaktivert')
      .waitFor();
    await page.getByRole('button', { name: `Aktiver ${BYDEL_NAME}` }).waitFor();
    await checkAxe(page, 'org-04-deaktivert');

    // the register's own audit trail, readable on the page: who added, renamed and deactivated, oldest first
    await page.getByRole('button', { name: `Endringslogg for ${INST_RENAMED}` }).click();
    const instLog = page.getByRole('list', { name: `Endringer av ${INST_RENAMED}, eldste først` });
    await instLog.locator('li').nth(1).waitFor();
    expect(await instLog.locator('.history__what').allInnerTexts()).toEqual([
      `Administrator dev-admin: lagt til som institusjon med navnet «${INST_NAME}»`,
      `Administrator dev-admin: navnet endret fra «${INST_NAME}» til «${INST_RENAMED}»`,
    ]);
    await page.getByRole('button', { name: `Endringslogg for ${BYDEL_NAME}` }).click();
    const bydelLog = page.getByRole('list', { name: `Endringer av ${BYDEL_NAME}, eldste først` });
    await bydelLog.locator('li').nth(1).waitFor();
    expect(await bydelLog.locator('.history__what').last().innerText()).toBe('Administrator dev-admin: deaktivert');
    await checkAxe(page, 'org-04b-endringslogg');

    await page.getByRole('link', { name: 'Registrer opphold' }).click();
    await page.getByRole('heading', { name: 'Registrer opphold' }).waitFor();
    const offered = await choices(page, 'registrer-bydelId');
    expect(offered[BYDEL]).toBeUndefined();
    expect(offered['bydel-sagene']).toBe('Bydel Sagene');
    await checkAxe(page, 'org-05-registrering');
    // the API agrees: nothing is registered for the deactivated bydel
    const refused = await h.app.inject({
      method: 'POST',
      url: '/api/stays',
      headers: h.auth('institution', INST),
      payload: {
        residentRef: `R-ORG-${run}`,
        institutionId: INST,
        bydelId: BYDEL,
        admittedAt: new Date().toISOString().slice(0, 10),
      },
    });
    expect(refused.statusCode).toBe(422);
    await page.close();

    // the development login offers the register's organisations: the renamed institution, not the deactivated bydel
    const login = await browser.context.newPage();
    await login.goto(`${base}/logg-inn`);
    await login.getByLabel('Ansatt ved institusjon').check();
    await login.getByText(INST_RENAMED).first().waitFor({ state: 'attached' });
    expect((await choices(login, 'login-org'))[INST]).toBe(INST_RENAMED);
    await login.getByLabel('Koordinator i bydel').check();
    await login.locator('select[name="login-org"] option[value="bydel-alna"]').waitFor({ state: 'attached' });
    const loginBydeler = await choices(login, 'login-org');
    expect(loginBydeler['bydel-alna']).toBe('Bydel Alna');
    expect(loginBydeler[BYDEL]).toBeUndefined();
    await checkAxe(login, 'org-06-innlogging');
    await login.close();
  });

  it('an admin opts an organisation in to the resident reference in calendar titles, and out again; the change log says so', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/logg-inn`);
    await page.getByRole('heading', { name: 'Logg inn (utvikling)' }).waitFor();
    await page.getByLabel('Administrator').check();
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.getByRole('link', { name: 'Organisasjoner og varsling' }).waitFor();
    await page.goto(`${base}/admin/organisasjoner?org=${INST}`);
    const form = page.getByRole('form', { name: `Kalender for ${INST_RENAMED}` });
    const box = form.getByLabel('Vis beboerens referanse i titlene i kalenderne');
    await box.waitFor();
    expect(await box.isChecked()).toBe(false);
    await box.check();
    await form.getByRole('button', { name: 'Lagre kalenderinnstilling' }).click();
    await form.getByText('Lagret: kalendertitlene viser beboerens referanse.').waitFor();
    await checkAxe(page, 'org-07-kalender');
    expect(
      await roomBetween(form, page.getByRole('heading', { name: 'Varsler som ikke kom fram' })),
      'the failed deliveries are a section of their own, not the end of the calendar form',
    ).toBeGreaterThanOrEqual(16);
    const settings = async () =>
      (await h.app.inject({ url: `/api/calendar/settings/${INST}`, headers: h.auth('admin') })).json();
    expect(await settings()).toMatchObject({ residentRefInTitles: true, updatedBy: 'dev-admin' });

    await page.getByRole('button', { name: `Endringslogg for ${INST_RENAMED}` }).click();
    const log = page.getByRole('list', { name: `Endringer av ${INST_RENAMED}, eldste først` });
    await log.locator('li').nth(2).waitFor();
    expect(await log.locator('.history__what').last().innerText()).toBe(
      'Administrator dev-admin: kalendertitlene viser nå beboerens referanse',
    );

    await box.uncheck();
    await form.getByRole('button', { name: 'Lagre kalenderinnstilling' }).click();
    await form.getByText('Lagret: kalendertitlene viser ikke beboerens referanse.').waitFor();
    expect(await settings()).toMatchObject({ residentRefInTitles: false });
    await page.close();
  });

  it('shows an admin the organisations whose open alarms reached nobody, and leads to their notification settings', async () => {
    const silent = `inst-silent-${run}`;
    await raiseEscalations(h.pool, { institutionId: silent, bydelId: BYDEL }, [
      { milestone: 'plan-started', kind: 'overdue', dueDate: '2026-02-01', recipient: 'institution' },
    ]);
    const page = await browser.context.newPage();
    await page.goto(`${base}/logg-inn`);
    await page.getByLabel('Administrator').check();
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.getByRole('link', { name: 'Organisasjoner og varsling' }).click();
    const list = page.getByRole('list', { name: 'Organisasjoner med varsler som ikke har nådd noen' });
    const item = list.locator(`li[data-org="${silent}"]`);
    await item.waitFor();
    expect(await item.innerText()).toContain(`${silent}: 1 åpent varsel har ikke nådd noen på e-post`);
    await checkAxe(page, 'org-08-ikke-naadd');
    await item.getByRole('link', { name: `Legg til mottakere for ${silent}` }).click();
    await page.waitForURL(new RegExp(`org=${silent}$`));
    await page.getByRole('heading', { name: silent, level: 2 }).waitFor();
    await page.close();
  });
});
