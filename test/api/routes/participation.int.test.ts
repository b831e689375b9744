import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseConsentReminders } from '../../../activities/notifications/consent-expiry';
import { CONSENT_REMINDER_DAYS_BEFORE } from '../../../rules/consent';
import { addOffset, osloDate } from '../../../rules/oslo-calendar';
import { startApiHarness, type Harness } from '../../support/api-harness';
import { registerOrganisations } from '../../support/organisations';
import { registerStay } from '../../support/stays';

const run = Math.random().toString(36).slice(2, 8);
const INST = `inst-particip-${run}`;
const BYDEL = 'bydel-particip-a';
const today = osloDate(Date.now());

let h: Harness;
let stayId: string;

const asInst = (org = INST) => h.auth('institution', org);
const asBydel = (org = BYDEL) => h.auth('bydel', org);
const putConsent = (payload: unknown, headers = asInst()) =>
  h.app.inject({ method: 'PUT', url: `/api/stays/${stayId}/consent`, headers, payload: payload as object });
const getConsent = (headers: Record<string, string> = asInst()) =>
  h.app.inject({ url: `/api/stays/${stayId}/consent`, headers });
const putRelatives = (payload: unknown, headers = asInst()) =>
  h.app.inject({ method: 'PUT', url: `/api/stays/${stayId}/relatives`, headers, payload: payload as object });
const audits = async (prefix: string) =>
  (await h.app.inject({ url: `/api/stays/${stayId}/history?action=${prefix}`, headers: h.auth('admin') })).json()
    .items as Array<{ action: string; actor: { sub: string; org: string }; details: Record<string, unknown> }>;
const reminders = async (headers: Record<string, string>, state = 'open,acknowledged,resolved') =>
  (await h.app.inject({ url: `/api/consent-reminders?stayId=${stayId}&state=${state}`, headers })).json();
const reminderRows = async () =>
  (
    await h.pool.query<{ consent_id: string; valid_until: string }>(
      'SELECT consent_id, valid_until FROM consent_reminders WHERE stay_id = $1 ORDER BY raised_at',
      [stayId],
    )
  ).rows;

beforeAll(async () => {
  h = await startApiHarness();
  await registerOrganisations(h, BYDEL);
  ({ id: stayId } = await registerStay(h, {
    residentRef: `R-PARTICIP-${run.toUpperCase()}`,
    institutionId: INST,
    bydelId: BYDEL,
    admittedAt: addOffset(today, { months: -3 }),
  }));
});
afterAll(() => h?.close());

describe('GET/PUT /api/stays/:id/consent', () => {
  const given = { given: true, date: addOffset(today, { days: -10 }), validUntil: addOffset(today, { months: 6 }) };

  it('starts empty, records a given consent with its end date, and shows both parties where it stands', async () => {
    expect((await getConsent()).json()).toEqual({ consent: null });
    const res = await putConsent(given);
    expect(res.statusCode).toBe(200);
    const { consent } = res.json();
    expect(consent).toMatchObject({
      ...given,
      withdrawnOn: null,
      state: 'valid',
      reminderOn: addOffset(given.validUntil, { days: -CONSENT_REMINDER_DAYS_BEFORE }),
    });
    expect(consent.daysLeft).toBeGreaterThan(150);
    expect((await getConsent(asBydel())).json()).toEqual({ consent });
    const [recorded] = await audits('consent');
    expect(recorded).toMatchObject({
      action: 'consent.recorded',
      actor: { sub: 'user-institution', org: INST },
      details: { before: null, after: { ...given, withdrawnOn: null } },
    });
  });

  it('is idempotent: the same answer again writes no second audit entry', async () => {
    const before = (await audits('consent')).length;
    expect((await putConsent(given)).statusCode).toBe(200);
    expect(await audits('consent')).toHaveLength(before);
  });

  it('keeps the consent id for a new end date and a withdrawal, and gives a new answer a new id; each audited before → after', async () => {
    const first = (await getConsent()).json().consent;
    const extended = { ...given, validUntil: addOffset(today, { months: 9 }) };
    const longer = (await putConsent(extended, asBydel())).json().consent;
    expect(longer.id).toBe(first.id);
    const withdrawn = (await putConsent({ ...extended, withdrawnOn: today })).json().consent;
    expect(withdrawn).toMatchObject({ id: first.id, state: 'withdrawn', daysLeft: null, reminderOn: null });
    const again = (await putConsent({ ...given, date: today })).json().consent;
    expect(again.id).not.toBe(first.id);
    expect(again.state).toBe('valid');
    expect((await audits('consent')).map((a) => a.action)).toEqual([
      'consent.recorded',
      'consent.updated',
      'consent.withdrawn',
      'consent.renewed',
    ]);
    const withdrawal = (await audits('consent'))[2]!;
    expect(withdrawal.details).toMatchObject({
      before: { withdrawnOn: null },
      after: { withdrawnOn: today },
    });
  });

  it('records a refusal without an end date', async () => {
    const res = await putConsent({ given: false, date: today });
    expect(res.json().consent).toMatchObject({ given: false, validUntil: null, state: 'refused' });
    await putConsent({ ...given, date: today });
  });

  it('refuses what does not fit with problem+json naming the field, and changes nothing', async () => {
    const before = (await getConsent()).json();
    const auditsBefore = (await audits('consent')).length;
    // the first three contradict themselves (the schema's refinements: 422, code invalid-record); the next ones
    // contradict the calendar or the stay (the route's rules: 422, code consent-dates); the last are malformed (400)
    const cases: Array<[unknown, number, string]> = [
      [{ given: true, date: today }, 422, 'body.validUntil'],
      [{ given: false, date: today, validUntil: addOffset(today, { days: 30 }) }, 422, 'body.validUntil'],
      [{ given: false, date: today, withdrawnOn: today }, 422, 'body.withdrawnOn'],
      [{ ...given, date: addOffset(today, { days: 1 }), validUntil: addOffset(today, { days: 90 }) }, 422, 'body.date'],
      [{ ...given, validUntil: addOffset(given.date, { days: -1 }) }, 422, 'body.validUntil'],
      [{ ...given, withdrawnOn: addOffset(today, { days: 2 }) }, 422, 'body.withdrawnOn'],
      [
        { ...given, validUntil: addOffset(today, { days: -5 }), withdrawnOn: addOffset(today, { days: -1 }) },
        422,
        'body.withdrawnOn',
      ],
      [{ ...given, date: '2026-02-30' }, 400, 'body.date'],
      [{ ...given, note: 'fri tekst' }, 400, 'body'],
    ];
    for (const c of cases) {
      const [body, status, path] = c;
      const res = await putConsent(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().detail.length).toBeGreaterThan(10);
      if (path !== 'body') expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
      if (status === 422) expect(res.json().code).toBe(cases.indexOf(c) < 3 ? 'invalid-record' : 'consent-dates');
    }
    expect((await getConsent()).json()).toEqual(before);
    expect(await audits('consent')).toHaveLength(auditsBefore);
  });

  it('answers 404 outside the scope, for reading and for writing', async () => {
    expect((await getConsent(asInst('inst-elsewhere'))).statusCode).toBe(404);
    expect((await getConsent(asBydel('bydel-elsewhere'))).statusCode).toBe(404);
    expect((await putConsent(given, asInst('inst-elsewhere'))).statusCode).toBe(404);
    expect((await putConsent(given, asBydel('bydel-elsewhere'))).statusCode).toBe(404);
  });
});

describe('GET/PUT /api/stays/:id/relatives', () => {
  it("records relatives' involvement, audited; refuses a future date and an unknown answer", async () => {
    expect((await h.app.inject({ url: `/api/stays/${stayId}/relatives`, headers: asBydel() })).json()).toEqual({
      relatives: null,
    });
    const res = await putRelatives({ involvement: 'not-wanted-by-resident', date: today });
    expect(res.statusCode).toBe(200);
    expect(res.json().relatives).toMatchObject({ involvement: 'not-wanted-by-resident', date: today });
    expect((await putRelatives({ involvement: 'involved', date: today }, asBydel())).statusCode).toBe(200);
    expect((await audits('relatives')).map((a) => a.details)).toEqual([
      expect.objectContaining({ before: null, after: { involvement: 'not-wanted-by-resident', date: today } }),
      expect.objectContaining({
        before: { involvement: 'not-wanted-by-resident', date: today },
        after: { involvement: 'involved', date: today },
      }),
    ]);
    const future = await putRelatives({ involvement: 'involved', date: addOffset(today, { days: 3 }) });
    expect(future.statusCode).toBe(422);
    expect(future.json().errors).toEqual([{ path: 'body.date', message: 'in the future' }]);
    const unknown = await putRelatives({ involvement: 'maybe', date: today });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].path).toBe('body.involvement');
    expect((await putRelatives({ involvement: 'involved', date: today }, asInst('inst-elsewhere'))).statusCode).toBe(
      404,
    );
  });
});

describe('GET /api/stays/:id/participation', () => {
  it("tells the resident's presence at held meetings from their attendance", async () => {
    const planned = await h.app.inject({
      method: 'POST',
      url: `/api/stays/${stayId}/meetings`,
      headers: asInst(),
      payload: { milestone: 'cooperation-meeting', plannedAt: `${today}T00:30` },
    });
    expect(planned.statusCode).toBe(201);
    const attended = await h.app.inject({
      method: 'PUT',
      url: `/api/stays/${stayId}/meetings/${planned.json().id}/attendance`,
      headers: asInst(),
      payload: {
        attended: {
          resident: true,
          institution: true,
          bydel: true,
          housingFollowUpWorker: false,
          relatives: false,
          others: false,
        },
        housingOnAgenda: true,
      },
    });
    expect(attended.statusCode).toBe(200);
    const res = await h.app.inject({ url: `/api/stays/${stayId}/participation`, headers: asBydel() });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      consent: { given: true, state: 'valid' },
      relatives: { involvement: 'involved' },
      presence: {
        held: 1,
        residentPresent: 1,
        relativesPresent: 0,
        meetings: [
          { meetingId: planned.json().id, milestone: 'cooperation-meeting', resident: true, relatives: false },
        ],
      },
    });
    expect(
      (await h.app.inject({ url: `/api/stays/${stayId}/participation`, headers: asBydel('bydel-elsewhere') }))
        .statusCode,
    ).toBe(404);
  });

  it('logs every read in the access log', async () => {
    const log = await h.app.inject({ url: `/api/stays/${stayId}/access-log`, headers: h.auth('admin') });
    const views = log.json().items.map((e: { view: string; actor: { org: string } }) => `${e.view}:${e.actor.org}`);
    expect(views).toEqual(
      expect.arrayContaining([`consent:${INST}`, `consent:${BYDEL}`, `relatives:${BYDEL}`, `participation:${BYDEL}`]),
    );
  });
});

describe('the consent-expiry reminder', () => {
  it('reminds the institution once per consent and end date, however often the sweep runs', async () => {
    const soon = addOffset(today, { days: 10 });
    const consent = (await putConsent({ given: true, date: today, validUntil: soon })).json().consent;
    expect(consent.state).toBe('expiring');
    const now = new Date().toISOString();
    await raiseConsentReminders(h.pool, now);
    await raiseConsentReminders(h.pool, now);
    await raiseConsentReminders(h.pool, new Date(Date.now() + 3_600_000).toISOString());
    expect(await reminderRows()).toEqual([{ consent_id: consent.id, valid_until: soon }]);

    const forInst = await reminders(asInst());
    expect(forInst.items).toEqual([
      expect.objectContaining({ stayId, consentId: consent.id, validUntil: soon, institutionId: INST, state: 'open' }),
    ]);
    // addressed to the institution: not the bydel's, nor another institution's
    expect((await reminders(asBydel())).items).toEqual([]);
    expect((await reminders(asInst('inst-elsewhere'))).items).toEqual([]);
    const id = forInst.items[0].id as string;
    expect(
      (await h.app.inject({ method: 'POST', url: `/api/consent-reminders/${id}/acknowledge`, headers: asBydel() }))
        .statusCode,
    ).toBe(404);
    const acked = await h.app.inject({
      method: 'POST',
      url: `/api/consent-reminders/${id}/acknowledge`,
      headers: asInst(),
    });
    expect(acked.json()).toMatchObject({ id, state: 'acknowledged' });

    // renewed far ahead: the reminder is resolved and nothing new is due yet
    await putConsent({ given: true, date: today, validUntil: addOffset(today, { months: 12 }) });
    await raiseConsentReminders(h.pool, new Date().toISOString());
    expect((await reminders(asInst())).items.map((r: { state: string }) => r.state)).toEqual(['resolved']);
    expect((await reminders(asInst(), 'open')).items).toEqual([]);

    // another end date that is near: one new reminder for it
    const nearAgain = addOffset(today, { days: 20 });
    await putConsent({ given: true, date: today, validUntil: nearAgain });
    await raiseConsentReminders(h.pool, new Date().toISOString());
    await raiseConsentReminders(h.pool, new Date().toISOString());
    expect((await reminderRows()).map((r) => r.valid_until)).toEqual([soon, nearAgain]);
  });

  it('raises nothing for a withdrawn consent', async () => {
    await putConsent({ given: true, date: today, validUntil: addOffset(today, { days: 5 }), withdrawnOn: today });
    const before = (await reminderRows()).length;
    await raiseConsentReminders(h.pool, new Date().toISOString());
    expect(await reminderRows()).toHaveLength(before);
  });
});
