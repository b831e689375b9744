import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOffset, osloDate } from '../../rules/oslo-calendar';
import { focusVisible, startWebAppStack, tabTo, type WebAppStack } from './web-app-stack';

/**
 * The web app in Debian's Chromium against the real API, worker, Temporal and PostgreSQL: each user group's
 * main flow, scoping by URL, and axe-core on every page. The tests run in order and share one stay.
 */
const run = Math.random().toString(36).slice(2, 8);
const INST = `inst-ui-${run}`;
const OTHER_INST = `inst-ui-other-${run}`;
const BYDEL = 'bydel-sagene';
const today = osloDate(Date.now());
const admittedAt = addOffset(today, { days: -40 });
const nb = (iso: string) => iso.split('-').reverse().join('.');

let base: string;
let browser: WebAppStack['browser'];
let stack: WebAppStack;
let stayId: string;

const checkAxe = (page: Page, name: string) => stack.checkAxe(page, name);

const login = (page: Page, role: 'Ansatt ved institusjon' | 'Koordinator i bydel' | 'Administrator', org?: string) =>
  stack.devLogin(page, role, org);

beforeAll(async () => {
  stack = await startWebAppStack({ app: { devLogin: true, temporalUiUrl: 'http://127.0.0.1:8233' } });
  ({ base, browser } = stack);
});

afterAll(async () => {
  await stack?.close();
});

describe('web app', () => {
  it('serves the app for its own routes and keeps API 404s as problem+json', async () => {
    const page = await fetch(`${base}/opphold/123`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const api = await fetch(`${base}/api/nope`);
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
  });

  it('institution user: logs in, registers a backdated stay with a live deadline preview, sees a refusal in Norwegian next to the field', async () => {
    const page = await browser.context.newPage();
    await page.goto(base);
    await page.waitForURL(/\/logg-inn$/);
    // The development login says what it is, and is switched on in this stack.
    await page.getByText('Kun for utvikling og test').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Logg inn (utvikling)');
    expect(await page.getByText('Utviklingsinnlogging er slått av').count()).toBe(0);
    await checkAxe(page, '01-logg-inn');

    await login(page, 'Ansatt ved institusjon', INST);
    await page.getByRole('heading', { name: 'Mine opphold' }).waitFor();
    await checkAxe(page, '02-mine-opphold-tom');

    await page.getByRole('link', { name: 'Registrer opphold' }).click();
    await page.getByRole('heading', { name: 'Registrer opphold' }).waitFor();
    await page.getByLabel('Beboerreferanse').fill('12345678901');
    await page.getByLabel('Bydel').selectOption(BYDEL);
    await page.getByLabel('Innskrevet dato').fill(nb(admittedAt));
    const preview = page.getByTestId('deadline-preview');
    expect(await preview.locator('[data-milestone="plan-started"] td').first().innerText()).toContain(
      nb(addOffset(admittedAt, { days: 14 })),
    );
    expect(await preview.locator('[data-milestone="status-report"] td').first().innerText()).toContain(
      nb(addOffset(admittedAt, { months: 4 })),
    );
    expect(await preview.locator('[data-milestone="plan-started"]').innerText()).toContain('Forfalt');

    await page.getByRole('button', { name: 'Registrer opphold' }).click();
    const refError = page.locator('#registrer-residentRef-error');
    await refError.waitFor();
    expect(await refError.innerText()).toContain('fødselsnummer');
    expect(await page.getByLabel('Innskrevet dato').inputValue()).toBe(nb(admittedAt));
    expect(await page.getByLabel('Bydel').inputValue()).toBe(BYDEL);
    await checkAxe(page, '03-registrer-opphold-feil');

    await page.getByLabel('Beboerreferanse').fill(`R-UI-${run}`);
    await page.getByRole('button', { name: 'Registrer opphold' }).click();
    await page.waitForURL(/\/opphold\/[0-9a-f-]{36}$/);
    stayId = page.url().split('/').pop()!;
    await page.getByRole('heading', { name: `Opphold R-UI-${run}` }).waitFor();
    await page.close();
  });

  it('bydel user: sees the escalated missed deadline in the inbox and acknowledges it', async () => {
    const page = await browser.context.newPage();
    await login(page, 'Koordinator i bydel', BYDEL);
    await page.getByRole('heading', { name: 'Innboks' }).waitFor();
    // plan-started was due 26 days ago: overdue to the institution, then (14 days later) escalated to both.
    // one group of rows per resident: the resident's reference heads the group
    const group = page.locator('[data-resident-group]').filter({ hasText: `R-UI-${run}` });
    const item = group.locator('[data-escalation="plan-started"][data-kind="second-level"]');
    await item.waitFor();
    expect(await item.innerText()).toContain('Eskalert videre');
    expect(await item.innerText()).toContain('Fellesskriv §2.2');
    // one row for the deadline, however many levels it climbed
    expect(await item.getByTestId('alarm-steps').innerText()).toMatch(/^Nivåer: Forfalt frist .+ → Eskalert videre /);
    expect(await group.locator('[data-escalation="plan-started"]').count()).toBe(1);
    const nav = page.getByRole('navigation', { name: 'Hovedmeny' });
    // the open count arrives with its own request: wait for it rather than read the menu too early
    const counted = nav.getByText(/Innboks \(\d+ åpne\)/);
    await counted.waitFor();
    const countBefore = Number(/\((\d+) åpne\)/.exec(await counted.innerText())![1]);
    await checkAxe(page, '07-innboks');

    await item.getByRole('button', { name: 'Bekreft mottatt' }).click();
    await group
      .locator('[data-escalation="plan-started"][data-kind="second-level"][data-state="acknowledged"]')
      .waitFor();
    // by name, never by user id: the one who acknowledged it is "deg"
    expect(await item.innerText()).toContain('Bekreftet av deg');
    await nav.getByText(`Innboks (${countBefore - 1} åpne)`).waitFor();
    await item.getByRole('button', { name: 'Ta saken' }).click();
    await item.getByText('Følges opp av deg.').waitFor();
    await page.close();
  });

  it('institution user: completes the 14-day plan and the housing mapping (a)–(e) on the stay page', async () => {
    const page = await browser.context.newPage();
    await login(page, 'Ansatt ved institusjon', INST);
    await page.getByRole('heading', { name: 'Mine opphold' }).waitFor();
    await page.getByRole('link', { name: `R-UI-${run}` }).click();
    const plan = page.locator('[data-milestone="plan-started"]');
    await page.locator('[data-milestone="plan-started"][data-status="overdue"]').waitFor();
    expect(await plan.innerText()).toContain('§2.2');

    await plan.getByRole('button', { name: /Registrer fullført/ }).click();
    await plan.getByRole('group', { name: 'Har beboeren vært med i arbeidet?' }).getByLabel('Ja').check();
    await plan.getByRole('button', { name: 'Registrer som fullført' }).click();
    await page.locator('[data-milestone="plan-started"][data-status="done"]').waitFor();
    expect(await plan.innerText()).toContain(nb(today));

    const mapping = page.locator('[data-milestone="housing-mapping"]');
    await mapping.getByRole('button', { name: /Registrer fullført/ }).click();
    await mapping
      .getByRole('group', { name: '(a) Trenger beboeren hjelp til å skaffe bolig?' })
      .getByLabel('Ja')
      .check();
    await mapping.getByLabel('Booppfølging').check();
    // (c) and (d) left unticked: the API refuses, the form says why next to the field and keeps the answers.
    await mapping.getByRole('button', { name: 'Registrer som fullført' }).click();
    const financesError = mapping.locator('#fullfor-housing-mapping-financesMapped-error');
    await financesError.waitFor();
    expect(await financesError.innerText()).toContain('Kryss av');
    expect(await mapping.getByLabel('Booppfølging').isChecked()).toBe(true);
    await checkAxe(page, '04-opphold-skjemafeil');

    await mapping.getByLabel(/\(c\) Økonomi er kartlagt/).check();
    await mapping.getByLabel(/\(d\) Andre forhold er kartlagt/).check();
    await mapping.getByLabel('Individuell plan (IP) er tilbudt').check();
    await mapping.getByRole('button', { name: 'Registrer som fullført' }).click();
    await page.locator('[data-milestone="housing-mapping"][data-status="done"]').waitFor();
    expect(await mapping.innerText()).toContain('Individuell plan (IP) er tilbudt');
    await checkAxe(page, '05-opphold');

    // §1: a time frame agreed by both: proposed here, it moves the deadline once the bydel confirms it; the timeline
    // then shows both dates, why, and who of each party confirmed.
    const meeting = page.locator('[data-milestone="first-meeting"]');
    await meeting.getByRole('button', { name: 'Avtal annen frist' }).click();
    const agreed = addOffset(today, { days: 10 });
    await meeting.getByLabel('Ny frist').fill(nb(agreed));
    await meeting.getByLabel(/Begrunnelse/).fill('Bydelen hadde ikke kapasitet før');
    await meeting.getByRole('group', { name: 'Avtalt av' }).getByLabel('Institusjonen og bydelen').check();
    await meeting.getByRole('button', { name: 'Lagre avtalt frist' }).click();
    const pending = meeting.getByTestId('pending-deviation');
    await pending.waitFor();
    expect(await pending.innerText()).toContain(`${nb(agreed)}, foreslått av institusjonen`);
    expect(await pending.innerText()).toContain('Venter på bekreftelse fra bydelen');
    expect(await meeting.getAttribute('data-status')).toBe('overdue');

    const bydelPage = await browser.context.newPage();
    await login(bydelPage, 'Koordinator i bydel', BYDEL);
    await bydelPage.getByRole('heading', { name: 'Innboks' }).waitFor();
    await bydelPage.goto(`${base}/opphold/${stayId}`);
    const confirm = bydelPage.locator('[data-milestone="first-meeting"]');
    await confirm.getByRole('button', { name: `Bekreft foreslått frist ${nb(agreed)}` }).click();
    await bydelPage.locator('[data-milestone="first-meeting"][data-status="due-soon"]').waitFor();
    expect(await confirm.innerText()).toContain(`opprinnelig frist ${nb(addOffset(admittedAt, { days: 28 }))}`);
    expect(await confirm.innerText()).toMatch(/bekreftet av institusjonen \d\d\.\d\d\.\d{4} og bydelen/);
    await checkAxe(bydelPage, '05b-frist-bekreftet');
    await bydelPage.close();

    // §3.2: the exit plan's eight parts; a missing answer is refused next to its field and nothing is lost.
    await page.getByRole('button', { name: 'Lag utflyttingsplan' }).click();
    const plan8 = page.getByRole('form', { name: 'Utflyttingsplan' });
    for (const select of await plan8.locator('select[aria-label$=": ansvarlig"]').all())
      await select.selectOption('institution');
    for (const select of await plan8.locator('select[aria-label$=": status"]').all())
      await select.selectOption('in-progress');
    await plan8.getByRole('button', { name: 'Lagre utflyttingsplanen' }).click();
    await plan8.locator('#utflyttingsplan-contingencyPlanConsidered-error').waitFor();
    expect(await plan8.locator('select[aria-label="Økonomi: status"]').inputValue()).toBe('in-progress');
    await checkAxe(page, '05b-utflyttingsplan-feil');
    await plan8.getByRole('group', { name: 'Er kriseplan vurdert?' }).getByLabel('Ja').check();
    await plan8.getByRole('button', { name: 'Lagre utflyttingsplanen' }).click();
    await page.getByText('0 av 8 deler er avklart.').waitFor();

    await page.getByRole('link', { name: 'Mine opphold' }).click();
    const row = page.getByRole('row', { name: new RegExp(`R-UI-${run}`) });
    await row.waitFor();
    // Nothing overdue any more: the agreed first meeting in 10 days is the next deadline.
    expect(await row.innerText()).toContain('Frist snart');
    expect(await row.innerText()).toContain(nb(agreed));
    await checkAxe(page, '06-mine-opphold');
    await page.close();
  });

  it("bydel user: finds the stay among the bydel's stays and records the housing offer (§3)", async () => {
    const page = await browser.context.newPage();
    await login(page, 'Koordinator i bydel', BYDEL);
    await page.getByRole('heading', { name: 'Innboks' }).waitFor();
    await page.getByRole('link', { name: 'Bydelens opphold' }).click();
    await page.getByRole('link', { name: `R-UI-${run}` }).click();
    // §3: the bydel records the housing offer; from then on the bydel convenes the meetings.
    await page.getByRole('button', { name: 'Bolig tilbudt' }).click();
    const offer = page.locator('[data-event-form="housing-offered"]');
    await offer.getByLabel('Dato boligen ble tilbudt').fill(nb(today));
    await offer.getByRole('group', { name: 'Har beboeren vedtak om booppfølging?' }).getByLabel('Ja').check();
    await offer
      .getByRole('group', { name: 'Er boligen tildelt med vilkår om nødvendig oppfølging?' })
      .getByLabel('Nei')
      .check();
    await offer.getByRole('button', { name: 'Registrer hendelsen' }).click();
    await page.getByText('Bolig tilbudt er registrert.').waitFor();
    const facts = await page.locator('main').innerText();
    expect(facts).toMatch(/Kaller inn til møter\s+Bydelen/);
    expect(facts).toMatch(new RegExp(`Bolig tilbudt\\s+${nb(today).replace(/\./g, '\\.')}`));
    await checkAxe(page, '07b-opphold-bydel');
    await page.close();
  });

  it('admin: finds the stay by id and reads its history as a timeline', async () => {
    const page = await browser.context.newPage();
    await login(page, 'Administrator');
    await page.getByRole('heading', { name: 'Finn opphold' }).waitFor();
    await checkAxe(page, '08-finn-opphold');
    await page.getByLabel('Opphold-ID').fill(`stay:${stayId}`);
    await page.getByRole('button', { name: 'Vis historikk' }).click();
    await page.getByRole('heading', { name: `Historikk for R-UI-${run}` }).waitFor();
    const history = page.getByRole('list', { name: 'Hendelser, eldste først' });
    await history.getByText(/registrerte oppholdet/).waitFor();
    const text = await history.innerText();
    expect(text).toContain('fullførte «Arbeid med plan for oppholdet startet»');
    expect(text).toContain('fullførte «Kartlegging av boligsituasjon»');
    expect(text).toContain('Fristen gikk ut for «Arbeid med plan for oppholdet startet»');
    expect(text).toContain(
      'foreslo annen frist (venter på bekreftelse fra den andre parten) for «Første samarbeidsmøte»',
    );
    expect(text).toContain('bekreftet avtalt frist for «Første samarbeidsmøte»');
    expect(text).toContain('registrerte at bolig er tilbudt');
    await checkAxe(page, '09-historikk');

    await page.getByRole('button', { name: /Vis Temporal-hendelser/ }).click();
    const events = page.getByRole('list', { name: 'Hendelser i workflowen' });
    await events.locator('li').first().waitFor();
    expect(await events.locator('li').count()).toBeGreaterThan(3);
    expect(await page.locator('main').innerText()).toContain(`stay:${stayId}`);
    const webUi = page.getByRole('link', { name: /Åpne workflowen i Temporal Web UI/ });
    expect(await webUi.getAttribute('href')).toBe(
      `http://127.0.0.1:8233/namespaces/default/workflows/stay%3A${stayId}`,
    );
    // the printable export for an access request: the file the API names, with the stay in it
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Last ned fullstendig eksport for utskrift (HTML)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`opphold-${stayId}.html`);
    const exported = readFileSync((await download.path())!, 'utf8');
    expect(exported).toContain(`R-UI-${run}`);
    expect(exported).toContain('<html');
    await checkAxe(page, '09b-historikk-admin');

    // Who the institution notifies: an invalid address is refused next to its field, then saved.
    await page.getByRole('link', { name: 'Organisasjoner og varsling' }).click();
    await page.getByLabel('Eller skriv organisasjons-ID').fill(INST);
    await page.getByRole('button', { name: 'Vis' }).click();
    const settings = page.getByRole('form', { name: `Varsling for ${INST}` });
    await settings.getByRole('button', { name: 'Legg til mottaker' }).click();
    await settings.getByLabel('E-postadresse').fill('ikke-en-adresse');
    await settings.getByRole('button', { name: 'Lagre varsling' }).click();
    await settings.locator('#varsling-recipients-0-email-error').getByText('Skriv en gyldig e-postadresse.').waitFor();
    await checkAxe(page, '11-varsling-feil');
    await settings.getByLabel('E-postadresse').fill(`koordinator@${INST}.example`);
    await settings.getByRole('button', { name: 'Lagre varsling' }).click();
    await settings.getByText('Varslingsinnstillingene er lagret.').waitFor();
    await page.close();
  });

  it('keyboard only: skip link, login and reaching the registration form, with visible focus', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/logg-inn`);
    await page.getByRole('heading', { name: 'Logg inn (utvikling)' }).waitFor();
    expect(await tabTo(page, '.skip-link', 1)).toContain('Hopp til hovedinnholdet');
    expect(await focusVisible(page)).toBe(true);
    await tabTo(page, 'input[type=radio][name=login-role]');
    expect(await focusVisible(page)).toBe(true);
    await page.keyboard.press('Space');
    await tabTo(page, '#login-other-org');
    await page.keyboard.type(INST);
    await tabTo(page, 'button[type=submit]');
    expect(await focusVisible(page)).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Mine opphold' }).waitFor();
    // focus moved to the page heading after login, so the next link to the form is the one under the list
    expect(await tabTo(page, 'a[href="/opphold/ny"]')).toMatch(/^Registrer .*opphold$/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Registrer opphold' }).waitFor();
    await tabTo(page, '#registrer-residentRef');
    expect(await focusVisible(page)).toBe(true);
    await page.close();
  });

  it('scoping: another institution opening the stay by URL is told it was not found', async () => {
    const page = await browser.context.newPage();
    await login(page, 'Ansatt ved institusjon', OTHER_INST);
    await page.getByRole('heading', { name: 'Mine opphold' }).waitFor();
    await page.goto(`${base}/opphold/${stayId}`);
    await page.getByRole('heading', { name: 'Fant ikke oppholdet' }).waitFor();
    expect(await page.locator('main').innerText()).not.toContain(`R-UI-${run}`);
    await checkAxe(page, '10-ikke-funnet');
    await page.close();
  });
});
