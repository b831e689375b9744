import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOffset, osloDate } from '../../rules/oslo-calendar';
import { milestoneTitle } from '../../ui/src/texts';
import type { Harness } from '../support/api-harness';
import { focusVisible, startWebAppStack, tabTo, type WebAppStack } from './web-app-stack';

/**
 * The stay page without the API: corrections (withdraw, another date; a refusal next to its field), an agreed
 * extra status report, the exit plan with a kept day place, and the worklist naming the next milestone.
 * Preconditions are set up through the API with tokens; the tests run in order and share one stay.
 */
const run = Math.random().toString(36).slice(2, 8);
const INST = `inst-stay-${run}`;
const BYDEL = 'bydel-frogner';
const REF = `R-STAY-${run}`;
const today = osloDate(Date.now());
const admittedAt = addOffset(today, { days: -20 });
const nb = (iso: string) => iso.split('-').reverse().join('.');

let h: Harness;
let base: string;
let browser: WebAppStack['browser'];
let stack: WebAppStack;
let stayId: string;

const checkAxe = (page: Page, name: string) => stack.checkAxe(page, name);

const login = (page: Page, role: 'Ansatt ved institusjon' | 'Koordinator i bydel', org: string) =>
  stack.devLogin(page, role, org);

async function openStay(page: Page, role: 'Ansatt ved institusjon' | 'Koordinator i bydel', org: string) {
  await login(page, role, org);
  await page
    .getByRole('heading', { name: role === 'Ansatt ved institusjon' ? 'Mine opphold' : /opphold|Innboks/ })
    .first()
    .waitFor();
  await page.goto(`${base}/opphold/${stayId}`);
  await page.getByRole('heading', { name: `Opphold ${REF}` }).waitFor();
}

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

/** Walks the correction form of a timeline item: action, optional date, reason, then the confirmation. */
async function correct(item: Locator, opts: { action: 'Endre dato' | 'Trekk tilbake'; date?: string; reason: string }) {
  await item.getByRole('button', { name: /^Korriger/ }).click();
  const form = item.getByRole('form', { name: /^Korriger/ });
  await form.getByRole('group', { name: 'Hva vil du gjøre?' }).getByLabel(opts.action).check();
  if (opts.date) await form.getByLabel('Riktig dato').fill(opts.date);
  await form.getByLabel('Begrunnelse').fill(opts.reason);
  await form.getByRole('button', { name: 'Gå videre' }).click();
  await form.getByText(`Begrunnelse: `).waitFor();
  return form;
}

beforeAll(async () => {
  stack = await startWebAppStack({ withWorker: true, app: { devLogin: true } });
  ({ h, base, browser } = stack);
  const stay = await api('POST', '/api/stays', { residentRef: REF, institutionId: INST, bydelId: BYDEL, admittedAt });
  stayId = stay.id;
});

afterAll(async () => {
  await stack?.close();
});

describe('stay page', () => {
  it('institution user: completes a milestone, corrects its date with a reason, withdraws it and sees it open again', async () => {
    const page = await browser.context.newPage();
    await openStay(page, 'Ansatt ved institusjon', INST);
    const plan = page.locator('[data-milestone="plan-started"]');
    await plan.getByRole('button', { name: /Registrer fullført/ }).click();
    await plan.getByRole('group', { name: 'Har beboeren vært med i arbeidet?' }).getByLabel('Ja').check();
    await plan.getByRole('button', { name: 'Registrer som fullført' }).click();
    await page.locator('[data-milestone="plan-started"][data-status="done"]').waitFor();

    // another date, with a reason and a confirmation
    const earlier = addOffset(today, { days: -3 });
    const form = await correct(plan, {
      action: 'Endre dato',
      date: nb(earlier),
      reason: 'Planarbeidet startet før helgen',
    });
    expect(await form.innerText()).toContain(`til ${nb(earlier)}`);
    await checkAxe(page, 'stay-01-korriger-bekreft');
    await form.getByRole('button', { name: 'Bekreft korrigeringen' }).click();
    await page.getByText(`Datoen for «${milestoneTitle('plan-started')}» er endret til ${nb(earlier)}.`).waitFor();
    expect(await plan.innerText()).toMatch(new RegExp(`Fullført\\s+${nb(earlier).replace(/\./g, '\\.')}`));
    await checkAxe(page, 'stay-02-dato-korrigert');

    // withdrawn: the milestone is open again (overdue: it was due 14 days after admission) and can be completed
    const withdraw = await correct(plan, { action: 'Trekk tilbake', reason: 'Registrert på feil beboer' });
    expect(await withdraw.innerText()).toContain('Du trekker tilbake');
    await withdraw.getByRole('button', { name: 'Bekreft korrigeringen' }).click();
    await page.locator('[data-milestone="plan-started"][data-status="overdue"]').waitFor();
    await page.getByText(`«${milestoneTitle('plan-started')}» er trukket tilbake.`).waitFor();
    expect(await plan.getByRole('button', { name: /Registrer fullført/ }).isVisible()).toBe(true);
    expect(await plan.getByRole('button', { name: /^Korriger/ }).count()).toBe(0);
    await checkAxe(page, 'stay-03-trukket-tilbake');

    const history = (
      await h.app.inject({ url: `/api/stays/${stayId}/history?action=correction`, headers: h.auth('admin') })
    ).json();
    expect(
      history.items.map((a: { action: string; details: { reason: string } }) => `${a.action}:${a.details.reason}`),
    ).toEqual([
      'correction.change-date:Planarbeidet startet før helgen',
      'correction.withdraw:Registrert på feil beboer',
    ]);
    await page.close();
  });

  it('a refused correction says why in Norwegian next to the field and keeps the reason typed', async () => {
    // the first meeting builds on the housing mapping: withdrawing the mapping would break it
    const mapping = {
      needsHelpObtainingHousing: true,
      followUpNeed: 'booppfolging',
      financesMapped: true,
      otherFactorsMapped: true,
      individualPlan: 'offered',
    };
    await api('POST', `/api/stays/${stayId}/milestones/housing-mapping`, {
      doneAt: addOffset(today, { days: -2 }),
      ...mapping,
    });
    await api('POST', `/api/stays/${stayId}/milestones/first-meeting`, { doneAt: today, bydelAttended: true });
    const page = await browser.context.newPage();
    await openStay(page, 'Ansatt ved institusjon', INST);
    const item = page.locator('[data-milestone="housing-mapping"]');

    const form = await correct(item, { action: 'Trekk tilbake', reason: 'Kartleggingen var ikke ferdig' });
    await form.getByRole('button', { name: 'Bekreft korrigeringen' }).click();
    const error = form.locator('#korriger-m-housing-mapping-action-error');
    await error.waitFor();
    expect(await error.innerText()).toContain(
      `«${milestoneTitle('first-meeting')}» er registrert og bygger på «${milestoneTitle('housing-mapping')}»`,
    );
    expect(await form.getByLabel('Begrunnelse').inputValue()).toBe('Kartleggingen var ikke ferdig');
    expect(await form.getByRole('group', { name: 'Hva vil du gjøre?' }).getByLabel('Trekk tilbake').isChecked()).toBe(
      true,
    );
    // the error summary's link for a radio group lands on its checked radio button (WCAG 3.3.1, 2.4.3)
    await form.locator('[data-error-summary] a', { hasText: 'Hva vil du gjøre?' }).click();
    expect(
      await page.evaluate(
        'document.activeElement?.getAttribute("name") + "=" + document.activeElement?.getAttribute("value")',
      ),
    ).toBe('korriger-m-housing-mapping-action=withdraw');
    await page.locator('[data-milestone="housing-mapping"][data-status="done"]').waitFor();
    await checkAxe(page, 'stay-04-korrigering-avvist');

    // a later date than the meeting that builds on it: refused next to the date field
    await form.getByRole('group', { name: 'Hva vil du gjøre?' }).getByLabel('Endre dato').check();
    await form.getByLabel('Riktig dato').fill(nb(addOffset(today, { days: 1 })));
    await form.getByRole('button', { name: 'Gå videre' }).click();
    await form.getByRole('button', { name: 'Bekreft korrigeringen' }).click();
    const dateError = form.locator('#korriger-m-housing-mapping-date-error');
    await dateError.waitFor();
    expect(await dateError.innerText()).toMatch(/fram i tid|må komme etter/);
    expect(await form.getByLabel('Begrunnelse').inputValue()).toBe('Kartleggingen var ikke ferdig');
    await checkAxe(page, 'stay-05-korrigering-dato-avvist');
    await form.getByRole('button', { name: 'Avbryt' }).click();
    await page.close();
  });

  it('agrees an extra status report and sees it in the timeline with its §', async () => {
    const page = await browser.context.newPage();
    await openStay(page, 'Ansatt ved institusjon', INST);
    await page.getByRole('button', { name: 'Avtal ekstra statusrapport' }).click();
    const form = page.getByRole('form', { name: 'Avtal ekstra statusrapport' });
    await form.getByLabel('Frist for den ekstra statusrapporten').fill(nb(addOffset(today, { days: -1 })));
    await form.getByRole('button', { name: 'Lagre avtalt statusrapport' }).click();
    const error = form.locator('#ekstra-statusrapport-dueDate-error');
    await error.waitFor();
    expect(await error.innerText()).toContain('allerede passert');
    await checkAxe(page, 'stay-06-ekstra-statusrapport-feil');

    const due = addOffset(today, { days: 10 });
    await form.getByLabel('Frist for den ekstra statusrapporten').fill(nb(due));
    await form.getByRole('button', { name: 'Lagre avtalt statusrapport' }).click();
    await page.getByText(`Ekstra statusrapport med frist ${nb(due)} er avtalt.`).waitFor();
    const item = page.locator('[data-milestone="extra-status-report"]');
    const text = await item.innerText();
    expect(text).toContain(milestoneTitle('extra-status-report'));
    expect(text).toContain(nb(due));
    expect(text).toContain('Fellesskriv §2.2');
    await checkAxe(page, 'stay-07-ekstra-statusrapport');
    await page.close();
  });

  it('bydel user: records the exit plan with a day place kept after move-in (§3.2) and the end of participation', async () => {
    // the bydel recorded the housing offer: it (not the institution) may correct it
    const offer = { date: today, hasBooppfolgingDecision: false, housingConditionalOnFollowUp: false };
    await api('POST', `/api/stays/${stayId}/events/housing-offered`, offer, h.auth('bydel', BYDEL));
    const page = await browser.context.newPage();
    await openStay(page, 'Koordinator i bydel', BYDEL);
    await page
      .locator('[data-event="housing-offered"]')
      .getByRole('button', { name: 'Korriger «Bolig tilbudt»' })
      .waitFor();
    expect(
      await page
        .locator('[data-milestone="housing-mapping"]')
        .getByRole('button', { name: /^Korriger/ })
        .count(),
    ).toBe(0);
    await page.getByRole('button', { name: 'Lag utflyttingsplan' }).click();
    const plan = page.getByRole('form', { name: 'Utflyttingsplan' });
    for (const select of await plan.locator('select[aria-label$=": ansvarlig"]').all())
      await select.selectOption('bydel');
    for (const select of await plan.locator('select[aria-label$=": status"]').all())
      await select.selectOption('in-progress');
    await plan.getByRole('group', { name: 'Er kriseplan vurdert?' }).getByLabel('Ja').check();
    const keep = plan.locator('[data-keep-place]');
    expect(await keep.innerText()).toContain('§3.2');
    await keep
      .getByRole('group', { name: /beholder institusjonsplassen eller en dagplass/ })
      .getByLabel('Ja')
      .check();
    await keep.getByRole('group', { name: 'Hva beholder beboeren?' }).getByLabel('Dagplass').check();
    await keep.getByLabel('Antall dager per uke').fill('9');
    const until = addOffset(today, { months: 3 });
    await keep.getByLabel('Avtalt til og med').fill(nb(until));
    await keep.getByRole('group', { name: 'Hvem betaler?' }).getByLabel('Bydelen').check();
    const ends = addOffset(today, { months: 4 });
    await plan.getByLabel(/Institusjonens deltakelse slutter/).fill(nb(ends));
    await plan.getByRole('button', { name: 'Lagre utflyttingsplanen' }).click();
    const daysError = plan.locator('#utflyttingsplan-keepPlace-daysPerWeek-error');
    await daysError.waitFor();
    expect(await daysError.innerText()).toContain('Tallet kan ikke være større enn 7.');
    expect(await keep.getByLabel('Avtalt til og med').inputValue()).toBe(nb(until));
    await checkAxe(page, 'stay-08-utflyttingsplan-dagplass-feil');

    await keep.getByLabel('Antall dager per uke').fill('2');
    await plan.getByRole('button', { name: 'Lagre utflyttingsplanen' }).click();
    await page.getByText('Utflyttingsplanen er lagret.').waitFor();
    const facts = await page.locator('section[aria-labelledby="overgang"]').innerText();
    expect(facts).toContain('Beholder dagplass (§3.2)');
    expect(facts).toContain(`2 dager i uken til og med ${nb(until)}, betales av bydelen`);
    expect(facts).toContain(nb(ends));
    const saved = (await h.app.inject({ url: `/api/stays/${stayId}`, headers: h.auth('bydel', BYDEL) })).json()
      .transition;
    expect(saved.exitPlan.keepPlace).toEqual({ kind: 'day-place', daysPerWeek: 2, until, paidBy: 'bydel' });
    expect(saved.participationEndsOn).toBe(ends);
    await checkAxe(page, 'stay-09-utflyttingsplan-dagplass');

    // the saved plan opens with the kept place filled in
    await page.getByRole('button', { name: 'Oppdater utflyttingsplanen' }).click();
    expect(await page.locator('[data-keep-place]').getByLabel('Antall dager per uke').inputValue()).toBe('2');
    await page.close();
  });

  it("worklist: shows the next milestone's name beside its deadline", async () => {
    const list = (
      await h.app.inject({ url: `/api/stays?institutionId=${INST}`, headers: h.auth('institution', INST) })
    ).json();
    const summary = list.items.find((s: { id: string }) => s.id === stayId);
    // the withdrawn 14-day plan is again the earliest open deadline
    expect(summary).toMatchObject({ nextMilestone: 'plan-started', nextDueDate: addOffset(admittedAt, { days: 14 }) });
    const page = await browser.context.newPage();
    await login(page, 'Ansatt ved institusjon', INST);
    await page.getByRole('heading', { name: 'Mine opphold' }).waitFor();
    const row = page.getByRole('row', { name: new RegExp(REF) });
    await row.waitFor();
    const cell = row.locator('[data-next-milestone="plan-started"]');
    expect(await cell.innerText()).toContain(nb(addOffset(admittedAt, { days: 14 })));
    expect(await cell.innerText()).toContain(milestoneTitle('plan-started'));
    await checkAxe(page, 'stay-10-mine-opphold-neste-milepael');

    // on the stay page the institution may correct its own completions, not the bydel's housing offer
    await row.getByRole('link', { name: REF }).click();
    await page
      .locator('[data-milestone="housing-mapping"]')
      .getByRole('button', { name: /^Korriger/ })
      .waitFor();
    await page.locator('[data-event="housing-offered"]').waitFor();
    expect(await page.locator('[data-event="housing-offered"]').getByRole('button').count()).toBe(0);
    await page.close();
  });
  it('keyboard only: corrects the date of a completion, from the Korriger button to the confirmation, with visible focus', async () => {
    const other = await api('POST', '/api/stays', {
      residentRef: `${REF}-K`,
      institutionId: INST,
      bydelId: BYDEL,
      admittedAt,
    });
    await api('POST', `/api/stays/${other.id}/milestones/plan-started`, {
      doneAt: addOffset(today, { days: -3 }),
      residentInvolved: true,
    });
    const page = await browser.context.newPage();
    await login(page, 'Ansatt ved institusjon', INST);
    await page.getByRole('heading', { name: 'Mine opphold' }).waitFor();
    await page.goto(`${base}/opphold/${other.id}`);
    await page.getByRole('heading', { name: `Opphold ${REF}-K` }).waitFor();
    const title = milestoneTitle('plan-started');

    await tabTo(page, `button[aria-label="Korriger «${title}»"]`, 120);
    expect(await focusVisible(page)).toBe(true);
    await page.keyboard.press('Enter');
    // the button goes away with the form open: focus is on the form's heading, not lost to the top of the page
    const form = page.getByRole('form', { name: `Korriger «${title}»` });
    await form.waitFor();
    expect(await page.evaluate('document.activeElement?.tagName + ":" + document.activeElement?.textContent')).toMatch(
      new RegExp(`^H4:Korriger «${title}»`),
    );
    await tabTo(page, 'input[type=radio][value="change-date"]', 3);
    await page.keyboard.press('Space');
    await tabTo(page, 'input[id$="-date"]', 3);
    await page.keyboard.type(nb(addOffset(today, { days: -2 })));
    await tabTo(page, 'textarea', 5);
    await page.keyboard.type('Feil dato ved registrering');
    await tabTo(page, 'button[type=submit]', 5);
    expect(await focusVisible(page)).toBe(true);
    await page.keyboard.press('Enter');
    await form.getByText('Begrunnelse: ').waitFor();
    await tabTo(page, 'button', 3);
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Bekreft korrigeringen');
    await page.keyboard.press('Enter');
    await page.getByText(`Datoen for «${title}» er endret til ${nb(addOffset(today, { days: -2 }))}.`).waitFor();
    await page.close();
  });
});
