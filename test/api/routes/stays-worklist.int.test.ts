import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOffset, osloDate } from '../../../rules/oslo-calendar';
import { startApiHarness, type Harness } from '../../support/api-harness';

/** What the worklist and the stay page read besides the milestones: the next milestone, who recorded what. */
let h: Harness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(() => h?.close());

const run = Math.random().toString(36).slice(2, 8);
const INST = `inst-next-${run}`;
const BYDEL = 'bydel-alna';
const today = () => osloDate(Date.now());
const inst = () => h.auth('institution', INST);
const byd = () => h.auth('bydel', BYDEL);

const post = (url: string, headers: Record<string, string>, payload: Record<string, unknown>) =>
  h.app.inject({ method: 'POST', url, headers, payload });

async function register(admittedAt: string, residentRef = `R-NEXT-${run}`) {
  const res = await post('/api/stays', inst(), { residentRef, institutionId: INST, bydelId: BYDEL, admittedAt });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string };
}

async function listed(id: string) {
  const res = await h.app.inject({ url: `/api/stays?institutionId=${INST}&limit=200`, headers: inst() });
  expect(res.statusCode).toBe(200);
  return res.json().items.find((s: { id: string }) => s.id === id) as {
    nextDueDate: string | null;
    nextMilestone: string | null;
  };
}

describe('GET /api/stays: nextMilestone', () => {
  it('names the milestone of the earliest open due date, following completions, deviations and extra reports', async () => {
    const admittedAt = addOffset(today(), { days: -5 });
    const stay = await register(admittedAt);
    expect(await listed(stay.id)).toMatchObject({
      nextMilestone: 'plan-started',
      nextDueDate: addOffset(admittedAt, { days: 14 }),
    });

    expect((await post(`/api/stays/${stay.id}/milestones/plan-started`, inst(), { doneAt: today() })).statusCode).toBe(
      200,
    );
    // housing-mapping and first-meeting are both due 4 weeks after admission: the rule book's order decides
    expect(await listed(stay.id)).toMatchObject({
      nextMilestone: 'housing-mapping',
      nextDueDate: addOffset(admittedAt, { days: 28 }),
    });

    const deviation = await post(`/api/stays/${stay.id}/deviations`, inst(), {
      milestone: 'housing-mapping',
      dueDate: addOffset(admittedAt, { days: 40 }),
      reason: 'Beboeren var på permisjon',
      agreedBy: 'both',
      onBehalfOfBoth: true,
    });
    expect(deviation.statusCode).toBe(200);
    expect(await listed(stay.id)).toMatchObject({
      nextMilestone: 'first-meeting',
      nextDueDate: addOffset(admittedAt, { days: 28 }),
    });

    const extra = await post(`/api/stays/${stay.id}/extra-status-reports`, byd(), {
      dueDate: addOffset(today(), { days: 3 }),
    });
    expect(extra.statusCode).toBe(200);
    expect(await listed(stay.id)).toMatchObject({
      nextMilestone: 'extra-status-report',
      nextDueDate: addOffset(today(), { days: 3 }),
    });
  });

  it('gives nextMilestone exactly when there is a nextDueDate, for every stay in the list', async () => {
    await register(addOffset(today(), { months: -3 }), `R-NEXT-B-${run}`);
    const res = await h.app.inject({ url: '/api/stays?limit=200', headers: h.auth('admin') });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { nextDueDate: string | null; nextMilestone: string | null }[];
    expect(items.length).toBeGreaterThan(0);
    for (const s of items) expect(s.nextMilestone === null).toBe(s.nextDueDate === null);
  });
});

describe('GET /api/stays/:id: recordedBy', () => {
  it('says who recorded each completion and event in effect, following withdrawals', async () => {
    const admittedAt = addOffset(today(), { days: -10 });
    const stay = await register(admittedAt, `R-REC-${run}`);
    const mapping = {
      needsHelpObtainingHousing: true,
      followUpNeed: 'booppfolging',
      financesMapped: true,
      otherFactorsMapped: true,
      individualPlan: 'offered',
    };
    expect(
      (await post(`/api/stays/${stay.id}/milestones/housing-mapping`, inst(), { doneAt: today(), ...mapping }))
        .statusCode,
    ).toBe(200);
    expect(
      (await post(`/api/stays/${stay.id}/milestones/first-meeting`, byd(), { doneAt: today(), bydelAttended: true }))
        .statusCode,
    ).toBe(200);
    const offer = await post(`/api/stays/${stay.id}/events/housing-offered`, byd(), {
      date: today(),
      hasBooppfolgingDecision: false,
      housingConditionalOnFollowUp: false,
    });
    expect(offer.statusCode).toBe(200);
    expect(offer.json().recordedBy).toEqual({
      milestones: {
        'housing-mapping': { role: 'institution', org: INST },
        'first-meeting': { role: 'bydel', org: BYDEL },
      },
      events: { 'housing-offered': { role: 'bydel', org: BYDEL } },
    });

    const withdrawn = await post(`/api/stays/${stay.id}/corrections`, byd(), {
      target: { milestone: 'first-meeting' },
      action: 'withdraw',
      reason: 'Registrert på feil opphold',
    });
    expect(withdrawn.statusCode).toBe(200);
    expect(withdrawn.json().recordedBy.milestones).toEqual({ 'housing-mapping': { role: 'institution', org: INST } });

    // completed again by the institution: the institution may now correct it
    const again = await post(`/api/stays/${stay.id}/milestones/first-meeting`, inst(), {
      doneAt: today(),
      bydelAttended: true,
    });
    expect(again.statusCode).toBe(200);
    const read = (await h.app.inject({ url: `/api/stays/${stay.id}`, headers: byd() })).json();
    expect(read.recordedBy.milestones['first-meeting']).toEqual({ role: 'institution', org: INST });
  });
});
