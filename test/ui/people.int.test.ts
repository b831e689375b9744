import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOffset, osloDate } from '../../rules/oslo-calendar';
import type { Harness } from '../support/api-harness';
import { eventually } from '../support/eventually';
import { putContacts, registerStay } from '../support/stays';
import { roomBetween, startWebAppStack, type WebAppStack } from './web-app-stack';

/**
 * People and meetings in the web app: who to call on the stay page, planning a meeting into the calendar,
 * recording who came (a missing bydel is flagged), "Ta saken" and the inbox's "Mine", the worklist's "Mine beboere".
 */
const run = Math.random().toString(36).slice(2, 8);
const INST = `inst-people-${run}`;
const BYDEL = 'bydel-frogner';
const REF = `R-PEOPLE-${run.toUpperCase()}`;
const OTHER_REF = `R-PEOPLE-OTHER-${run.toUpperCase()}`;
const SUB = `kari-${run}`;
const today = osloDate(Date.now());
// day 45: the first meeting (due day 28) is overdue, so the inbox has something to take
const admittedAt = addOffset(today, { days: -45 });
const nb = (iso: string) => iso.split('-').reverse().join('.');

let h: Harness;
let base: string;
let browser: WebAppStack['browser'];
let stack: WebAppStack;
let stayId: string;

/** The development login with a user id, a name and an e-mail address, as the municipality's login gives them. */
async function login(page: Page, email = 'kari@inst.test') {
  await page.goto(`${base}/logg-inn`);
  await page.getByRole('heading', { name: 'Logg inn (utvikling)' }).waitFor();
  await page.getByLabel('Ansatt ved institusjon').check();
  await page.getByLabel('Eller skriv organisasjons-ID').fill(INST);
  await page.getByLabel('Brukernavn').fill(SUB);
  await page.locator('#login-name').fill('Kari Koordinator');
  await page.locator('#login-email').fill(email);
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await page.getByRole('heading', { name: 'Mine opphold' }).waitFor();
}

async function openStay(page: Page) {
  await page.goto(`${base}/opphold/${stayId}`);
  await page.getByRole('heading', { name: `Opphold ${REF}` }).waitFor();
  await page.getByTestId('contacts').getByRole('heading', { name: 'Kontaktpersoner' }).waitFor();
}

beforeAll(async () => {
  stack = await startWebAppStack({ withWorker: true, app: { devLogin: true } });
  ({ h, base, browser } = stack);
  for (const residentRef of [REF, OTHER_REF]) {
    const stay = await registerStay(h, { residentRef, institutionId: INST, bydelId: BYDEL, admittedAt });
    if (residentRef === REF) stayId = stay.id;
  }
  await putContacts(h, stayId, h.auth('bydel', BYDEL), [
    {
      role: 'bydel-contact',
      name: 'Per Bydel',
      organisationId: BYDEL,
      phone: '23 45 67 89',
      email: 'per@kontakt.test',
    },
  ]);
});

afterAll(async () => {
  await stack?.close();
});

describe('people and meetings in the web app', () => {
  it('shows who to call and lets the institution add itself as primary contact; a bad phone number is refused next to the field', async () => {
    const page = await browser.context.newPage();
    await login(page);
    await openStay(page);
    const card = page.getByTestId('contacts');
    const per = card.locator('[data-contact="bydel-contact"]');
    expect(await per.innerText()).toContain('Per Bydel');
    expect(await per.innerText()).toContain('Kontaktperson i bydelen · Bydel Frogner');
    expect(await per.getByRole('link', { name: 'Ring 23 45 67 89' }).getAttribute('href')).toBe('tel:23456789');
    expect(await per.getByRole('link', { name: 'per@kontakt.test' }).getAttribute('href')).toBe(
      'mailto:per@kontakt.test',
    );
    await stack.checkAxe(page, 'people-01-kontaktpersoner');

    await card.getByRole('button', { name: 'Endre kontaktpersoner' }).click();
    const form = card.getByRole('form', { name: 'Endre kontaktpersoner' });
    await form.getByRole('button', { name: 'Legg til kontaktperson' }).click();
    const row = form.getByRole('group', { name: 'Kontaktperson 2' });
    await row.getByLabel('Navn').fill('Kari Koordinator');
    await row.getByLabel('Telefon').fill('12ab');
    await row.getByLabel('E-post').fill('kari@kontakt.test');
    await row.getByLabel(/Dette er meg/).check();
    await form.getByRole('button', { name: 'Lagre kontaktpersoner' }).click();
    await form.getByText('Skriv et telefonnummer med 8–15 siffer, for eksempel +47 22 33 44 55.').first().waitFor();
    await stack.checkAxe(page, 'people-02-kontaktpersoner-avvist');
    await row.getByLabel('Telefon').fill('+47 22 33 44 55');
    await form.getByRole('button', { name: 'Lagre kontaktpersoner' }).click();
    await card.getByText('Kontaktpersonene er lagret.').waitFor();
    const kari = card.locator('[data-contact="primary-contact"]');
    expect(await kari.innerText()).toContain(`Primærkontakt (institusjonen) · ${INST}`);
    const saved = (await h.app.inject({ url: `/api/stays/${stayId}/contacts`, headers: h.auth('admin') })).json();
    expect(saved.contacts.find((c: { name: string }) => c.name === 'Kari Koordinator')).toMatchObject({
      role: 'primary-contact',
      organisationId: INST,
      phone: '+47 22 33 44 55',
      userId: SUB,
    });
    await page.close();
  });

  it('refuses to overwrite contacts someone else changed while the form was open, and says so in Norwegian', async () => {
    const page = await browser.context.newPage();
    await login(page);
    await openStay(page);
    const card = page.getByTestId('contacts');
    await card.getByRole('button', { name: 'Endre kontaktpersoner' }).click();
    const form = card.getByRole('form', { name: 'Endre kontaktpersoner' });
    // meanwhile the bydel adds a contact
    const current = (
      await h.app.inject({ url: `/api/stays/${stayId}/contacts`, headers: h.auth('bydel', BYDEL) })
    ).json();
    const theirs = await h.app.inject({
      method: 'PUT',
      url: `/api/stays/${stayId}/contacts`,
      headers: { ...h.auth('bydel', BYDEL), 'if-match': `"${current.version}"` },
      payload: {
        contacts: [
          ...current.contacts.map(({ id: _id, ...c }: Record<string, unknown>) => c),
          { role: 'other', name: 'Lege Legesen', organisationId: 'DPS Nord' },
        ],
      },
    });
    expect(theirs.statusCode).toBe(200);
    await form.getByRole('group', { name: 'Kontaktperson 1' }).getByLabel('Telefon').fill('23 45 67 00');
    await form.getByRole('button', { name: 'Lagre kontaktpersoner' }).click();
    await form.getByText('Noen andre har endret kontaktene. Last siden på nytt.').first().waitFor();
    await stack.checkAxe(page, 'people-02b-kontaktpersoner-endret-av-andre');
    // nothing of theirs was lost
    const after = (await h.app.inject({ url: `/api/stays/${stayId}/contacts`, headers: h.auth('admin') })).json();
    expect(after).toEqual(theirs.json());
    await page.close();
  });

  it('plans a meeting: the milestone shows it as planned, and the .ics download has it in Oslo time', async () => {
    const page = await browser.context.newPage();
    await login(page);
    await openStay(page);
    const card = page.getByTestId('meetings');
    await card.getByRole('button', { name: 'Planlegg møte' }).click();
    const form = card.getByRole('form', { name: 'Planlegg møte' });
    await form.getByLabel('Møte', { exact: true }).selectOption('cooperation-meeting');
    const day = addOffset(today, { days: 3 });
    await form.getByLabel('Dato').fill(nb(day));
    await form.getByLabel('Klokkeslett').fill('10.30');
    await form.getByLabel('Sted').fill('Møterom Solsiden');
    await form.getByLabel(/Per Bydel/).check();
    await form.getByRole('button', { name: 'Planlegg møtet' }).click();
    await page.getByText(`Samarbeidsmøte (jevnlig) er planlagt ${nb(day)} kl. 10:30.`).waitFor();
    const meeting = card.locator('[data-meeting][data-status="planned"]').first();
    expect(await meeting.innerText()).toContain('Møterom Solsiden');
    expect(await meeting.innerText()).toContain('Per Bydel');
    const planned = page.locator('[data-planned-meeting="cooperation-meeting"]');
    expect(await planned.innerText()).toContain(`planlagt ${day.slice(8, 10)}.${day.slice(5, 7)}. kl. 10:30`);
    // and at the top of the page, without a reload: "Planlagte møter" once said "Ingen møter er planlagt" here
    const overview = page.getByTestId('planned-meetings');
    await overview.locator('[data-meeting="cooperation-meeting"]').waitFor();
    expect(await overview.innerText()).toContain(`${nb(day)} kl. 10:30 · Møterom Solsiden`);
    expect(await overview.innerText()).toContain('Invitert: Per Bydel');
    await stack.checkAxe(page, 'people-03-mote-planlagt');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      card.getByRole('button', { name: /Last ned møter og frister/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`opphold-${stayId}.ics`);
    const ics = readFileSync((await download.path())!, 'utf8');
    const events = new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    const event = events.find((e) => e.summary.startsWith('Samarbeidsmøte'))!;
    expect(event.component.getFirstProperty('dtstart')?.getParameter('tzid')).toBe('Europe/Oslo');
    expect(event.startDate.toString()).toBe(`${day}T10:30:00`);
    expect(event.location).toBe('Møterom Solsiden');
    expect(ics).not.toContain(REF);
    await page.close();
  });

  it('records who attended the first meeting: the bydel missing is flagged (§2.1)', async () => {
    const page = await browser.context.newPage();
    await login(page);
    await openStay(page);
    const card = page.getByTestId('meetings');
    await card.getByRole('button', { name: 'Planlegg møte' }).click();
    const form = card.getByRole('form', { name: 'Planlegg møte' });
    await form.getByLabel('Møte', { exact: true }).selectOption('first-meeting');
    const yesterday = addOffset(today, { days: -1 });
    await form.getByLabel('Dato').fill(nb(yesterday));
    await form.getByLabel('Klokkeslett').fill('09:00');
    await form.getByRole('button', { name: 'Planlegg møtet' }).click();
    // planned after its deadline (day 28): flagged at once
    await page.getByText(/Første samarbeidsmøte er planlagt .* Merk: Møtet er etter fristen/).waitFor();
    const meeting = card.locator('[data-meeting]').filter({ hasText: 'Første samarbeidsmøte' });
    await meeting.locator('[data-flag="planned-after-deadline"]').waitFor();

    await meeting.getByRole('button', { name: 'Registrer oppmøte' }).click();
    const attendance = meeting.getByRole('form', { name: 'Oppmøte på første samarbeidsmøte' });
    await attendance.getByLabel('Beboeren').check();
    await attendance.getByLabel('Institusjonen').check();
    expect(await attendance.getByLabel('Bydelen (plikter å delta, Fellesskriv §2.1)').isChecked()).toBe(false);
    await attendance
      .getByRole('group', { name: /Var bolig på dagsordenen/ })
      .getByLabel('Ja')
      .check();
    await attendance.getByRole('button', { name: 'Lagre oppmøte' }).click();
    const held = card.locator('[data-meeting][data-status="held"]').filter({ hasText: 'Første samarbeidsmøte' });
    await held.locator('[data-flag="obligatory-party-missing"]').waitFor();
    expect(await held.locator('[data-flag="obligatory-party-missing"]').innerText()).toBe(
      'Bydelen plikter å delta (Fellesskriv §2.1), men var ikke til stede.',
    );
    expect(await held.innerText()).toContain('Til stede');
    await stack.checkAxe(page, 'people-04-oppmote-bydel-mangler');
    await page.close();
  });

  it('says next to the field when the e-mail given at login is no address, and does not log in', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/logg-inn`);
    await page.getByLabel('Ansatt ved institusjon').check();
    await page.getByLabel('Eller skriv organisasjons-ID').fill(INST);
    await page.locator('#login-email').fill('kari');
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.getByText('Skriv en e-postadresse, for eksempel').waitFor();
    expect(page.url()).toMatch(/\/logg-inn$/);
    await page.close();
  });

  it('takes an escalation ("Ta saken") and finds it under "Mine", by name', async () => {
    const page = await browser.context.newPage();
    await login(page);
    await page.goto(`${base}/innboks`);
    // the inbox is grouped by resident: the stay's group (a tbody headed by a link to the stay), one row per deadline
    const item = page.locator(`tbody:has(a[href="/opphold/${stayId}"]) tr.inbox-row`).first();
    await eventually(async () => {
      await page.reload();
      await item.waitFor({ timeout: 2_000 });
    }, 30_000);
    const alarm = await item.getAttribute('data-alarm');
    await item.getByRole('button', { name: /^Ta saken/ }).click();
    await item.getByTestId('assignee').waitFor();
    expect(await item.getByTestId('assignee').innerText()).toBe('Følges opp av deg.');
    expect(await item.getByTestId('assignee-mail').innerText()).toBe(
      'Påminnelser og varsler om fristen sendes til kari@inst.test.',
    );

    await page.goto(`${base}/innboks?hvem=tatt`);
    const mine = page.locator(`[data-alarm="${alarm}"]`);
    await mine.waitFor();
    expect(await page.locator('tr.inbox-row').count()).toBe(1);
    await stack.checkAxe(page, 'people-05-innboks-mine');
    // the view "Mine" is the same list: only what I took
    await page.goto(`${base}/innboks`);
    await page.getByRole('navigation', { name: 'Vis varsler' }).getByRole('link', { name: /^Mine/ }).click();
    await page.waitForURL(/vis=mine/);
    await page.locator(`[data-alarm="${alarm}"]`).waitFor();
    await eventually(async () => expect(await page.locator('tr.inbox-row').count()).toBe(1), 10_000);

    // her login's e-mail is kept: the alarm's next level reaches her (activities/notifications/enqueue.ts)
    expect((await h.pool.query('SELECT email FROM user_directory WHERE sub = $1', [SUB])).rows[0]?.email).toBe(
      'kari@inst.test',
    );
    // a colleague sees who took it, by name
    const colleague = await h.app.inject({ url: `/api/inbox?stayId=${stayId}`, headers: h.auth('institution', INST) });
    expect(colleague.json().items.find((i: { id: string }) => i.id === alarm)).toMatchObject({
      assignedTo: SUB,
      assignedToName: 'Kari Koordinator',
    });
    await page.close();
  });

  it('takes a milestone on the stay page ("Ta saken"): shown by name, and its deadline is under "Saker jeg har tatt"', async () => {
    // a deadline of the stay that nobody took in the inbox: its milestone is the one to take here
    const open = (
      await h.app.inject({ url: `/api/inbox?stayId=${stayId}`, headers: h.auth('institution', INST) })
    ).json().items as Array<{ id: string; milestone: string; assignedTo: string | null }>;
    const alarm = open.find((i) => !i.assignedTo)!;
    const page = await browser.context.newPage();
    await login(page);
    await openStay(page);
    const milestone = page.locator(`[data-milestone="${alarm.milestone}"]`);
    expect(await milestone.getByTestId('milestone-assignee').innerText()).toBe('Ingen har tatt saken ennå.');
    await milestone.getByRole('button', { name: /^Ta saken/ }).click();
    await milestone.getByRole('button', { name: /^Gi fra meg saken/ }).waitFor();
    expect(await milestone.getByTestId('milestone-assignee').innerText()).toBe('Følges opp av deg.');
    // her login gave an address: the deadline's alarms reach her (activities/notifications/enqueue.ts)
    expect(await milestone.getByTestId('milestone-assignee-mail').innerText()).toBe(
      'Påminnelser og varsler om fristen sendes til kari@inst.test.',
    );
    await stack.checkAxe(page, 'people-06-milepael-tatt');

    // a colleague sees her name
    const colleague = (
      await h.app.inject({ url: `/api/stays/${stayId}/assignees`, headers: h.auth('institution', INST) })
    ).json();
    expect(colleague.assignees).toMatchObject([{ milestone: alarm.milestone, userId: SUB, name: 'Kari Koordinator' }]);

    await page.goto(`${base}/innboks?hvem=tatt`);
    const row = page.locator(`[data-alarm="${alarm.id}"]`);
    await row.waitFor();
    expect(await row.getByTestId('milestone-assignee').innerText()).toBe('Milepælen følges opp av deg.');
    await stack.checkAxe(page, 'people-06b-innboks-milepael');

    // the stay's history says who took it, by name
    await page.goto(`${base}/opphold/${stayId}/historikk`);
    const entry = page.locator('li.action-milestone-taken');
    await entry.waitFor();
    expect(await entry.innerText()).toContain('tok oppfølgingen av');
    expect(await entry.innerText()).toContain('Til: Kari Koordinator');
    await page.close();
  });

  it('filters the worklist to "Mine beboere": the stays where I am a contact', async () => {
    const page = await browser.context.newPage();
    await login(page);
    const table = page.getByTestId('worklist');
    await table.getByRole('link', { name: OTHER_REF }).waitFor();
    await page.getByLabel('Mine beboere (der jeg er kontaktperson)').check();
    await eventually(async () => expect(await table.getByRole('link', { name: OTHER_REF }).count()).toBe(0));
    await table.getByRole('link', { name: REF }).waitFor();
    expect(page.url()).toContain('mine=true');
    await stack.checkAxe(page, 'people-06c-mine-beboere');
    await page.close();
  });

  it('subscribes to a calendar of "mine beboere" at a secret address, and revokes it', async () => {
    const page = await browser.context.newPage();
    await login(page);
    const panel = page.getByTestId('calendar-feeds');
    // a section of its own, not a caption of the button above it
    expect(
      await roomBetween(
        page.getByRole('link', { name: 'Registrer nytt opphold' }),
        panel.getByRole('heading', { name: 'Møter og frister i kalenderen din' }),
      ),
    ).toBeGreaterThanOrEqual(16);
    await panel.getByRole('button', { name: 'Lag kalender for mine beboere' }).click();
    const url = await panel.locator('.feed-url').innerText();
    expect(url).toMatch(new RegExp(`^${base}/api/calendar/feeds/[A-Za-z0-9_-]{43}\\.ics$`));
    await stack.checkAxe(page, 'people-07-kalenderabonnement');
    // what a calendar client does: fetch the address, no token
    const feed = await fetch(url);
    expect(feed.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const events = new ICAL.Component(ICAL.parse(await feed.text())).getAllSubcomponents('vevent');
    expect(events.map((v) => new ICAL.Event(v).summary)).toContain(
      `Samarbeidsmøte (jevnlig) (${INST} / Bydel Frogner)`,
    );
    await panel
      .getByRole('listitem')
      .filter({ hasText: 'Mine beboere' })
      .getByRole('button', { name: 'Trekk tilbake' })
      .click();
    await eventually(async () => expect((await fetch(url)).status).toBe(404));
    await page.close();
  });
});
