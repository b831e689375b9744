import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRetentionActivities } from '../../../activities/read-model/anonymise-stay';
import { startApiHarness, type Harness } from '../../support/api-harness';
import { registerOrganisations } from '../../support/organisations';
import { postAccepted, registerStay, type StayRegistration } from '../../support/stays';

/**
 * The outcome report against stays registered and moved through their §3 events by the real API; every expected
 * figure is computed by hand in the comments. Institution D admits four residents in 2025; E takes two of them in.
 */
const D = 'inst-out-d';
const E = 'inst-out-e';
const Z = 'bydel-out-z';
const W = 'bydel-out-w';
const YEAR = 'from=2025-01-01&to=2025-12-31';

let h: Harness;
const stays: Record<string, string> = {};

const register = async (headers: Record<string, string>, body: StayRegistration) =>
  (await registerStay(h, body, headers)).id;
const event = (id: string, type: string, body: object) =>
  postAccepted(h, `/api/stays/${id}/events/${type}`, h.auth('admin'), body);
const offer = (id: string, date: string) =>
  event(id, 'housing-offered', { date, hasBooppfolgingDecision: false, housingConditionalOnFollowUp: false });

beforeAll(async () => {
  h = await startApiHarness();
  await registerOrganisations(h, Z, W);
  const inD = (bydelId: string, admittedAt: string, residentRef: string) =>
    register(h.auth('institution', D), { institutionId: D, bydelId, admittedAt, residentRef });

  // O1 (D, Z) admitted 2025-01-10: offered 04-10 (90 days), discharged and moved in 05-10 (120 days; 30 after the
  // offer). The same resident is admitted at E on 2025-11-01, within 12 months: a readmission.
  stays.o1 = await inD(Z, '2025-01-10', 'R-OUT-1');
  await offer(stays.o1, '2025-04-10');
  await event(stays.o1, 'discharged', { date: '2025-05-10' });
  await event(stays.o1, 'moved-in', { date: '2025-05-10' });
  stays.o5 = await register(h.auth('institution', E), {
    institutionId: E,
    bydelId: W,
    admittedAt: '2025-11-01',
    residentRef: 'R-OUT-1',
  });

  // O2 (D, Z) admitted 2025-02-01: offered 03-03 (30 days), never moved in; moved to institution E on 06-01 (120
  // days), which registers the new stay O6 with previousStayId = O2: a readmission by the link.
  stays.o2 = await inD(Z, '2025-02-01', 'R-OUT-2');
  await offer(stays.o2, '2025-03-03');
  await event(stays.o2, 'ended-early', { date: '2025-06-01', reason: 'moved-institution' });
  stays.o6 = await register(h.auth('bydel', Z), {
    institutionId: E,
    bydelId: Z,
    admittedAt: '2025-06-01',
    residentRef: 'R-OUT-6',
    previousStayId: stays.o2,
  });

  // O3 (D, Z) admitted 2025-03-01: still in the institution.
  stays.o3 = await inD(Z, '2025-03-01', 'R-OUT-3');

  // O4 (D, W) admitted 2025-04-01: offered 04-21 (20 days), discharged 04-30 (29 days), moved in 05-01 (10 days after
  // the offer). Back at D on 2026-06-01: more than 12 months after 2025-04-30, so no readmission (and outside 2025).
  stays.o4 = await inD(W, '2025-04-01', 'R-OUT-4');
  await offer(stays.o4, '2025-04-21');
  await event(stays.o4, 'discharged', { date: '2025-04-30' });
  await event(stays.o4, 'moved-in', { date: '2025-05-01' });
  stays.o7 = await inD(W, '2026-06-01', 'R-OUT-4');
});
afterAll(() => h?.close());

type Figures = {
  stays: number;
  ended: number;
  housingOffered: number;
  movedIn: number;
  lengthOfStayDaysMedian: number | null;
  lengthOfStayDaysP25: number | null;
  lengthOfStayDaysP75: number | null;
  daysToHousingOfferMedian: number | null;
  daysToHousingOfferP25: number | null;
  daysToHousingOfferP75: number | null;
  daysOfferToMoveInMedian: number | null;
  daysOfferToMoveInP25: number | null;
  daysOfferToMoveInP75: number | null;
  readmissionsWithin12Months: number;
};
type Quartiles = [p25: number, median: number, p75: number] | null;
const fig = (
  [stays, ended, housingOffered, movedIn]: [number, number, number, number],
  los: Quartiles,
  offer: Quartiles,
  moveIn: Quartiles,
  readmissionsWithin12Months: number,
): Figures => ({
  stays,
  ended,
  housingOffered,
  movedIn,
  lengthOfStayDaysMedian: los?.[1] ?? null,
  lengthOfStayDaysP25: los?.[0] ?? null,
  lengthOfStayDaysP75: los?.[2] ?? null,
  daysToHousingOfferMedian: offer?.[1] ?? null,
  daysToHousingOfferP25: offer?.[0] ?? null,
  daysToHousingOfferP75: offer?.[2] ?? null,
  daysOfferToMoveInMedian: moveIn?.[1] ?? null,
  daysOfferToMoveInP25: moveIn?.[0] ?? null,
  daysOfferToMoveInP75: moveIn?.[2] ?? null,
  readmissionsWithin12Months,
});
const NONE = fig([0, 0, 0, 0], null, null, null, 0);

async function outcomes(query: string, headers: Record<string, string>) {
  const res = await h.app.inject({ method: 'GET', url: `/api/reports/outcomes?${query}`, headers });
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json() as { groupBy: string; rows: ({ key: string } & Figures)[]; total: Figures };
  return { ...body, byKey: Object.fromEntries(body.rows.map(({ key, ...f }) => [key, f])) };
}

// D in 2025: O1–O4 admitted; ended O1 (120), O2 (120), O4 (29): median 120, p25 29 + 0.5 × 91 = 74.5, p75 120.
// Offered O1 (90), O2 (30), O4 (20): median 30, p25 25, p75 60. Moved in O1 (30), O4 (10): median 20, p25 15, p75 25.
// Readmitted: O1 (same reference at E within 12 months), O2 (O6's previousStayId); O4 not (back after 13 months).
const D_2025 = fig([4, 3, 3, 2], [74.5, 120, 120], [25, 30, 60], [15, 20, 25], 2);

describe('GET /api/reports/outcomes', () => {
  it('measures length of stay, waiting for housing and readmissions per institution', async () => {
    const r = await outcomes(`${YEAR}&groupBy=institution`, h.auth('institution', D));
    expect(r.groupBy).toBe('institution');
    expect(r.byKey).toEqual({ [D]: D_2025 });
    expect(r.total).toEqual(D_2025);
  });

  it('groups by bydel and by month of admission', async () => {
    const byBydel = await outcomes(`${YEAR}&groupBy=bydel`, h.auth('institution', D));
    // Z: O1, O2, O3 — ended O1, O2 (120, 120); offered O1 (90), O2 (30): median 60, p25 45, p75 75; moved in O1 (30)
    expect(byBydel.byKey[Z]).toEqual(fig([3, 2, 2, 1], [120, 120, 120], [45, 60, 75], [30, 30, 30], 2));
    // W: O4 (O7 is admitted in 2026)
    expect(byBydel.byKey[W]).toEqual(fig([1, 1, 1, 1], [29, 29, 29], [20, 20, 20], [10, 10, 10], 0));
    const byMonth = await outcomes(`${YEAR}&groupBy=month`, h.auth('institution', D));
    expect(byMonth.rows).toHaveLength(12);
    expect(byMonth.byKey['2025-01']).toEqual(fig([1, 1, 1, 1], [120, 120, 120], [90, 90, 90], [30, 30, 30], 1));
    expect(byMonth.byKey['2025-02']).toEqual(fig([1, 1, 1, 0], [120, 120, 120], [30, 30, 30], null, 1));
    expect(byMonth.byKey['2025-03']).toEqual(fig([1, 0, 0, 0], null, null, null, 0));
    expect(byMonth.byKey['2025-05']).toEqual(NONE);
    expect(byMonth.total).toEqual(D_2025);
  });

  it('shows each caller only the stays in its scope, while readmissions elsewhere still count', async () => {
    // E admitted O5 and O6 in 2025; neither has ended
    expect((await outcomes(YEAR, h.auth('institution', E))).total).toEqual(fig([2, 0, 0, 0], null, null, null, 0));
    const ofZ = await outcomes(`${YEAR}&groupBy=institution`, h.auth('bydel', Z));
    expect(Object.keys(ofZ.byKey)).toEqual([D, E]);
    expect(ofZ.byKey[E]).toEqual(fig([1, 0, 0, 0], null, null, null, 0));
    expect((await outcomes(`${YEAR}&institutionId=${E}`, h.auth('institution', D))).total).toEqual(NONE);
    expect((await outcomes(`${YEAR}&institutionId=${D}`, h.auth('admin'))).total).toEqual(D_2025);
    // O7, admitted 2026-06-01 at D: a period of its own
    expect((await outcomes('from=2026-06-01&to=2026-06-30', h.auth('institution', D))).total).toEqual(
      fig([1, 0, 0, 0], null, null, null, 0),
    );
  });

  it('refuses a bad query with a problem that says what to fix', async () => {
    for (const [query, detail, status] of [
      // a malformed query is a bad request (400); a well-formed one no report can answer is refused for its content (422)
      ['from=2025-12-31&to=2025-01-01', /to.*on or after from/, 422],
      [`${YEAR}&groupBy=milestone`, /groupBy/, 400],
      ['from=2025-13-01&to=2025-12-31', /from/, 400],
    ] as const) {
      const res = await h.app.inject({
        method: 'GET',
        url: `/api/reports/outcomes?${query}`,
        headers: h.auth('admin'),
      });
      expect(res.statusCode).toBe(status);
      expect(res.json().detail).toMatch(detail);
    }
  });

  it('finds a readmission behind a stay that ended the day it began and behind overlapping stays', async () => {
    const F = 'inst-out-f';
    const inF = (admittedAt: string, residentRef: string) =>
      register(h.auth('institution', F), { institutionId: F, bydelId: W, admittedAt, residentRef });
    // F1 ends the day it begins (0 days); F2, the same resident, is admitted that same day: a readmission of F1
    const f1 = await inF('2025-02-01', 'R-OUT-F');
    await event(f1, 'ended-early', { date: '2025-02-01', reason: 'left' });
    await inF('2025-02-01', 'R-OUT-F');
    // F3 runs 03-01 → 05-01 (61 days); F4 (same resident) begins inside it, on 04-01; F5 on 06-01 readmits F3
    const f3 = await inF('2025-03-01', 'R-OUT-G');
    await inF('2025-04-01', 'R-OUT-G');
    await event(f3, 'ended-early', { date: '2025-05-01', reason: 'left' });
    await inF('2025-06-01', 'R-OUT-G');
    // lengths 0 and 61: median 30.5, p25 15.25, p75 45.75 (one decimal)
    expect((await outcomes(YEAR, h.auth('institution', F))).total).toEqual(
      fig([5, 2, 0, 0], [15.3, 30.5, 45.8], null, null, 2),
    );
  });

  it('keeps counting an anonymised stay, but only its previousStayId links as readmissions', async () => {
    const compliance = async () =>
      (await h.app.inject({ url: `/api/reports/compliance?${YEAR}`, headers: h.auth('institution', D) })).json();
    const before = await compliance();
    expect(before.total.due).toBeGreaterThan(0);
    // after the retention period the resident reference is gone (activities/read-model/anonymise-stay.ts)
    await createRetentionActivities(h.pool).anonymiseStay({
      stayId: stays.o1!,
      auditSeq: 10_000,
      at: new Date().toISOString(),
      retentionDays: 365,
    });
    const r = await outcomes(YEAR, h.auth('institution', D));
    expect(r.total).toEqual({ ...D_2025, readmissionsWithin12Months: 1 });
    expect(await compliance()).toEqual(before);
  });
});
