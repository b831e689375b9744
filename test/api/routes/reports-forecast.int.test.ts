import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOffset, osloDate } from '../../../rules/oslo-calendar';
import { startApiHarness, type Harness } from '../../support/api-harness';
import { registerOrganisations } from '../../support/organisations';
import { registerStay, type StayRegistration } from '../../support/stays';

/**
 * The forecast: which open deadlines in the next 14 days may be missed, ranked by how late the organisation
 * responsible usually is with that milestone. Institution H held 2 of its last 3 first meetings late; K has no history.
 */
const H = 'inst-fc-h';
const K = 'inst-fc-k';
const Z = 'bydel-fc-z';

let h: Harness;
let today: string;
const stays: Record<string, string> = {};
const day = (days: number) => addOffset(today, { days });

async function register(inst: string, admittedAt: string, completed: StayRegistration['completed'] = {}) {
  const residentRef = `R-FC-${inst}`;
  return (await registerStay(h, { residentRef, institutionId: inst, bydelId: Z, admittedAt, completed })).id;
}

beforeAll(async () => {
  h = await startApiHarness();
  await registerOrganisations(h, Z);
  today = osloDate(Date.now());
  // three stays admitted 100 days ago: plan (due −86) and mapping (due −72) on time; first meeting (due −72) held
  // 2 days late twice, on time once. Their status reports fall due 4 months after admission: beyond the horizon.
  for (const firstMeeting of [-70, -70, -73])
    await register(H, day(-100), {
      'plan-started': day(-90),
      'housing-mapping': day(-75),
      'first-meeting': day(firstMeeting),
    });
  // admitted 20 days ago, nothing done: plan-started was due 6 days ago (late already: escalated, not forecast);
  // housing mapping and first meeting are due in 8 days
  stays.c1 = await register(H, day(-20));
  stays.k1 = await register(K, day(-20));
});
afterAll(() => h?.close());

async function forecast(headers: Record<string, string>, query = '') {
  const res = await h.app.inject({ url: `/api/reports/forecast${query}`, headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    asOf: string;
    until: string;
    items: {
      stayId: string;
      milestone: string;
      dueDate: string;
      lateShare: number | null;
      decided: number;
      risk: string;
    }[];
  };
}
const brief = (items: Awaited<ReturnType<typeof forecast>>['items']) =>
  items.map((i) => [i.stayId, i.milestone, i.dueDate, i.lateShare, i.decided, i.risk]);

describe('GET /api/reports/forecast', () => {
  it('ranks the deadlines of the next 14 days by how late the institution usually is with them', async () => {
    const f = await forecast(h.auth('institution', H));
    expect(f).toMatchObject({ asOf: today, until: day(14) });
    expect(brief(f.items)).toEqual([
      // 2 of 3 first meetings late: likely late
      [stays.c1, 'first-meeting', day(8), 0.6667, 3, 'likely-late'],
      [stays.c1, 'housing-mapping', day(8), 0, 3, 'usual'],
    ]);
  });

  it('shows each caller only its own stays; an organisation without history is ranked last', async () => {
    const ofZ = await forecast(h.auth('bydel', Z));
    expect(brief(ofZ.items)).toEqual([
      [stays.c1, 'first-meeting', day(8), 0.6667, 3, 'likely-late'],
      [stays.c1, 'housing-mapping', day(8), 0, 3, 'usual'],
      [stays.k1, 'housing-mapping', day(8), null, 0, 'no-history'],
      [stays.k1, 'first-meeting', day(8), null, 0, 'no-history'],
    ]);
    expect((await forecast(h.auth('institution', K))).items.map((i) => i.stayId)).toEqual([stays.k1, stays.k1]);
    expect((await forecast(h.auth('institution', 'inst-fc-none'))).items).toEqual([]);
  });

  it('looks as far ahead as asked, within reason', async () => {
    expect((await forecast(h.auth('institution', H), '?days=7')).items).toEqual([]);
    const bad = await h.app.inject({ url: '/api/reports/forecast?days=400', headers: h.auth('institution', H) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/days/);
  });

  it('leaves out a meeting planned by its due date, not one planned too late', async () => {
    const plan = async (stayId: string, inst: string, days: number) => {
      const res = await h.app.inject({
        method: 'POST',
        url: `/api/stays/${stayId}/meetings`,
        headers: h.auth('institution', inst),
        payload: { milestone: 'first-meeting', plannedAt: `${day(days)}T10:00` },
      });
      expect(res.statusCode, res.body).toBe(201);
    };
    await plan(stays.c1!, H, 5); // before the due date (day 8)
    await plan(stays.k1!, K, 10); // after it: still likely to be missed
    expect(brief((await forecast(h.auth('institution', H))).items)).toEqual([
      [stays.c1, 'housing-mapping', day(8), 0, 3, 'usual'],
    ]);
    expect((await forecast(h.auth('institution', K))).items.map((i) => i.milestone)).toEqual([
      'housing-mapping',
      'first-meeting',
    ]);
  });
});
