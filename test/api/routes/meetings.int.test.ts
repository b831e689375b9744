import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOffset, osloDate } from '../../../rules/oslo-calendar';
import { startApiHarness, type Harness } from '../../support/api-harness';
import { registerOrganisations } from '../../support/organisations';
import { putContacts, registerStay } from '../../support/stays';

const run = Math.random().toString(36).slice(2, 8);
const INST = `inst-meetings-${run}`;
const BYDEL = 'bydel-meetings-a';
const today = osloDate(Date.now());
const admittedAt = addOffset(today, { days: -20 });
const firstMeetingDue = addOffset(admittedAt, { days: 28 });

let h: Harness;
let stayId: string;
let bydelContactId: string;

const asInst = () => h.auth('institution', INST);
const plan = (payload: Record<string, unknown>, headers: Record<string, string> = asInst(), id = stayId) =>
  h.app.inject({ method: 'POST', url: `/api/stays/${id}/meetings`, headers, payload });
const patch = (meetingId: string, payload: Record<string, unknown>, headers = asInst()) =>
  h.app.inject({ method: 'PATCH', url: `/api/stays/${stayId}/meetings/${meetingId}`, headers, payload });
const attendance = (meetingId: string, payload: Record<string, unknown>, headers = asInst()) =>
  h.app.inject({ method: 'PUT', url: `/api/stays/${stayId}/meetings/${meetingId}/attendance`, headers, payload });
const list = (headers: Record<string, string> = asInst(), id = stayId) =>
  h.app.inject({ url: `/api/stays/${id}/meetings`, headers });
const meetingAudits = async () =>
  (await h.app.inject({ url: `/api/stays/${stayId}/history?action=meeting`, headers: h.auth('admin') })).json()
    .items as Array<{ action: string; milestone: string; details: Record<string, unknown> }>;

const everyone = {
  resident: true,
  institution: true,
  bydel: true,
  housingFollowUpWorker: false,
  relatives: false,
  others: false,
};

beforeAll(async () => {
  h = await startApiHarness();
  await registerOrganisations(h, BYDEL);
  ({ id: stayId } = await registerStay(h, {
    residentRef: `R-MEETINGS-${run.toUpperCase()}`,
    institutionId: INST,
    bydelId: BYDEL,
    admittedAt,
  }));
  const contacts = await putContacts(h, stayId, asInst(), [
    { role: 'primary-contact', name: 'Kari Primær', organisationId: INST, email: 'kari@kontakt.test' },
    { role: 'bydel-contact', name: 'Per Bydel', organisationId: BYDEL, email: 'per@kontakt.test' },
  ]);
  bydelContactId = contacts[1].id;
});
afterAll(() => h?.close());

describe('POST/GET /api/stays/:id/meetings', () => {
  it('plans a meeting in Oslo time with a place and invited contacts', async () => {
    const plannedAt = `${addOffset(today, { days: 3 })}T10:00`;
    const res = await plan({
      milestone: 'first-meeting',
      plannedAt,
      place: 'Møterom 2, institusjonen',
      invited: [bydelContactId],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      milestone: 'first-meeting',
      plannedAt,
      durationMinutes: 60,
      place: 'Møterom 2, institusjonen',
      videoLink: null,
      invited: [bydelContactId],
      status: 'planned',
      attendance: null,
      flags: [],
    });
    expect(res.headers.location).toBe(`/api/stays/${stayId}/meetings/${res.json().id}`);
    // the instant is Oslo's wall-clock time, whatever the season
    expect(new Date(res.json().start).toLocaleString('sv-SE', { timeZone: 'Europe/Oslo' })).toBe(
      `${plannedAt.replace('T', ' ')}:00`,
    );
  });

  it('flags a meeting planned after the deadline at once', async () => {
    const res = await plan({
      milestone: 'first-meeting',
      plannedAt: `${addOffset(firstMeetingDue, { days: 2 })}T13:30`,
      videoLink: 'https://teams.example.no/moete/123',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().flags).toEqual([
      expect.objectContaining({ code: 'planned-after-deadline', dueDate: firstMeetingDue, section: '§2.1' }),
    ]);
  });

  it('lists the meetings oldest first, with the next planned one per milestone', async () => {
    const res = await list(h.auth('bydel', BYDEL));
    expect(res.statusCode).toBe(200);
    const { meetings, nextPlanned } = res.json();
    expect(meetings.map((m: { plannedAt: string }) => m.plannedAt)).toEqual([
      `${addOffset(today, { days: 3 })}T10:00`,
      `${addOffset(firstMeetingDue, { days: 2 })}T13:30`,
    ]);
    expect(nextPlanned).toEqual({
      'first-meeting': { id: meetings[0].id, plannedAt: `${addOffset(today, { days: 3 })}T10:00` },
    });
  });

  it('answers a retry with the same Idempotency-Key with the same meeting, planned once', async () => {
    const headers = { ...asInst(), 'idempotency-key': `plan-${run}-once` };
    const body = { milestone: 'cooperation-meeting', plannedAt: `${addOffset(today, { days: 40 })}T09:00` };
    const first = await plan(body, headers);
    const retry = await plan(body, headers);
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(200);
    expect(retry.json().id).toBe(first.json().id);
    const planned = (await meetingAudits()).filter((a) => a.details.meetingId === first.json().id);
    expect(planned.map((a) => a.action)).toEqual(['meeting.planned']);
  });

  it('refuses times Oslo clocks never show, malformed bodies and strangers as invited, with problem+json', async () => {
    // the form is right (the document's pattern), the time is not on Oslo's clocks: refused for its content
    const gap = await plan({ milestone: 'cooperation-meeting', plannedAt: '2027-03-28T02:30' });
    expect(gap.statusCode).toBe(422);
    expect(gap.json().errors).toEqual([{ path: 'body.plannedAt', message: 'not a time on Oslo clocks' }]);
    const malformed = await plan({
      milestone: 'plan-started',
      plannedAt: '03.03.2026 10:00',
      videoLink: 'http://x.no',
    });
    expect(malformed.statusCode).toBe(400);
    expect(
      malformed
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['body.milestone', 'body.plannedAt', 'body.videoLink']);
    const stranger = await plan({
      milestone: 'cooperation-meeting',
      plannedAt: `${today}T12:00`,
      invited: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(stranger.statusCode).toBe(422);
    expect(stranger.json().errors).toEqual([{ path: 'body.invited.0', message: 'not a contact of this stay' }]);
    const beforeAdmission = await plan({
      milestone: 'cooperation-meeting',
      plannedAt: `${addOffset(admittedAt, { days: -1 })}T12:00`,
    });
    expect(beforeAdmission.statusCode).toBe(422);
  });

  it('answers 404 outside the scope', async () => {
    expect((await list(h.auth('institution', 'inst-elsewhere'))).statusCode).toBe(404);
    expect(
      (await plan({ milestone: 'cooperation-meeting', plannedAt: `${today}T12:00` }, h.auth('bydel', 'bydel-x')))
        .statusCode,
    ).toBe(404);
    const someMeeting = (await list()).json().meetings[0].id;
    expect((await patch(someMeeting, { status: 'cancelled' }, h.auth('bydel', 'bydel-x'))).statusCode).toBe(404);
  });

  it('logs every read of the meetings in the access log', async () => {
    const log = await h.app.inject({ url: `/api/stays/${stayId}/access-log`, headers: h.auth('admin') });
    expect(log.json().items.map((e: { view: string }) => e.view)).toContain('meetings');
  });
});

describe('PATCH /api/stays/:id/meetings/:meetingId', () => {
  it('moves a planned meeting (audited before → after), and a move to the same time writes nothing', async () => {
    const meeting = (
      await plan({ milestone: 'cooperation-meeting', plannedAt: `${addOffset(today, { days: 20 })}T09:00` })
    ).json();
    const to = `${addOffset(today, { days: 21 })}T14:15`;
    const moved = await patch(meeting.id, { plannedAt: to, place: 'Bydelskontoret' });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ plannedAt: to, place: 'Bydelskontoret', moves: 1, status: 'planned' });
    const again = await patch(meeting.id, { plannedAt: to });
    expect(again.json().moves).toBe(1);
    const audits = (await meetingAudits()).filter((a) => a.details.meetingId === meeting.id);
    expect(audits.map((a) => a.action)).toEqual(['meeting.planned', 'meeting.moved']);
    expect(audits[1]!.details).toMatchObject({
      section: '§2',
      before: { plannedAt: `${addOffset(today, { days: 20 })}T09:00`, place: null },
      after: { plannedAt: to, place: 'Bydelskontoret' },
    });
  });

  it('cancels a planned meeting; a cancelled one can no longer be moved (409)', async () => {
    const meeting = (
      await plan({ milestone: 'cooperation-meeting', plannedAt: `${addOffset(today, { days: 30 })}T09:00` })
    ).json();
    const cancelled = await patch(meeting.id, { status: 'cancelled' });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', flags: [] });
    const move = await patch(meeting.id, { plannedAt: `${addOffset(today, { days: 31 })}T09:00` });
    expect(move.statusCode).toBe(409);
    expect(move.json().code).toBe('meeting-cancelled');
    expect((await list()).json().nextPlanned['cooperation-meeting']?.id).not.toBe(meeting.id);
  });

  it('answers 404 for a meeting of another stay and 422 for an empty change', async () => {
    const meeting = (await list()).json().meetings[0].id;
    const empty = await patch(meeting, {});
    expect(empty.statusCode).toBe(422);
    expect(empty.json().detail).toMatch(/say what to change/);
    expect((await patch('00000000-0000-4000-8000-000000000000', { status: 'cancelled' })).statusCode).toBe(404);
  });
});

describe('PUT /api/stays/:id/meetings/:meetingId/attendance', () => {
  it('records who attended; a missing bydel at the first meeting and housing off the agenda are flagged', async () => {
    const meeting = (
      await plan({ milestone: 'first-meeting', plannedAt: `${addOffset(today, { days: -1 })}T10:00` })
    ).json();
    const res = await attendance(meeting.id, { attended: { ...everyone, bydel: false }, housingOnAgenda: false });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'held', housingOnAgenda: false, attendance: { bydel: false } });
    expect(res.json().flags.map((f: { code: string }) => f.code)).toEqual([
      'obligatory-party-missing',
      'housing-not-on-agenda',
    ]);
    expect(res.json().flags[0]).toMatchObject({ party: 'bydel', section: '§2.1' });
    // a correction clears the flags and is audited too
    const corrected = await attendance(meeting.id, { attended: everyone, housingOnAgenda: true });
    expect(corrected.json().flags).toEqual([]);
    const audits = (await meetingAudits()).filter((a) => a.details.meetingId === meeting.id);
    expect(audits.map((a) => a.action)).toEqual([
      'meeting.planned',
      'meeting.attendance-recorded',
      'meeting.attendance-recorded',
    ]);
    expect(audits[2]!.details).toMatchObject({
      before: { attendance: { bydel: false }, housingOnAgenda: false },
      after: { attendance: { bydel: true }, housingOnAgenda: true },
    });
    // a held meeting is settled
    expect((await patch(meeting.id, { status: 'cancelled' })).statusCode).toBe(409);
  });

  it('refuses attendance before the meeting day (422) and for a cancelled meeting (409)', async () => {
    const future = (
      await plan({ milestone: 'cooperation-meeting', plannedAt: `${addOffset(today, { days: 5 })}T10:00` })
    ).json();
    const early = await attendance(future.id, { attended: everyone, housingOnAgenda: true });
    expect(early.statusCode).toBe(422);
    expect(early.json().code).toBe('meeting-in-the-future');
    await patch(future.id, { status: 'cancelled' });
    expect((await attendance(future.id, { attended: everyone, housingOnAgenda: true })).statusCode).toBe(409);
    const incomplete = await attendance(future.id, { attended: { resident: true }, housingOnAgenda: true });
    expect(incomplete.statusCode).toBe(400);
  });
});

describe('planning for a milestone that is settled', () => {
  it('refuses a meeting for a milestone already done (409)', async () => {
    const done = await h.app.inject({
      method: 'POST',
      url: `/api/stays/${stayId}/milestones/housing-mapping`,
      headers: asInst(),
      payload: {
        doneAt: today,
        needsHelpObtainingHousing: true,
        followUpNeed: 'booppfolging',
        financesMapped: true,
        otherFactorsMapped: true,
        individualPlan: 'offered',
      },
    });
    expect(done.statusCode).toBe(200);
    const first = await h.app.inject({
      method: 'POST',
      url: `/api/stays/${stayId}/milestones/first-meeting`,
      headers: asInst(),
      payload: { doneAt: today, bydelAttended: true, housingOnAgenda: true },
    });
    expect(first.statusCode).toBe(200);
    const res = await plan({ milestone: 'first-meeting', plannedAt: `${addOffset(today, { days: 2 })}T10:00` });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('already-done');
  });
});
