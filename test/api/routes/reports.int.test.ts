import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOffset, osloDate } from '../../../rules/oslo-calendar';
import { startApiHarness, type Harness } from '../../support/api-harness';
import { registerOrganisations } from '../../support/organisations';
import { postAccepted, registerStay, type StayRegistration } from '../../support/stays';

/**
 * The compliance report against stays onboarded through the real API, with every expected figure computed by hand
 * in the comments. Institution A has three stays in 2025, institution B one (in A's bydel X): B's must never show
 * for A, and X sees both.
 */
const A = 'inst-rep-a';
const B = 'inst-rep-b';
const C = 'inst-rep-c';
const X = 'bydel-rep-x';
const Y = 'bydel-rep-y';
const V = 'bydel-rep-v';
const YEAR = 'from=2025-01-01&to=2025-12-31';

let h: Harness;
const stays: Record<string, string> = {};

const register = async (
  inst: string,
  bydelId: string,
  admittedAt: string,
  completed: StayRegistration['completed'] = {},
) => (await registerStay(h, { residentRef: `R-REP-${inst}`, institutionId: inst, bydelId, admittedAt, completed })).id;
const complete = (id: string, inst: string, key: string, body: object) =>
  postAccepted(h, `/api/stays/${id}/milestones/${key}`, h.auth('institution', inst), body);
const endEarly = (id: string, inst: string, date: string, reason = 'left') =>
  postAccepted(h, `/api/stays/${id}/events/ended-early`, h.auth('institution', inst), { date, reason });
const finalReport = (id: string, inst: string, doneAt: string) =>
  complete(id, inst, 'final-report', { doneAt, sentToBydel: true });

beforeAll(async () => {
  h = await startApiHarness();
  await registerOrganisations(h, X, Y, V);
  const today = osloDate(Date.now());

  // S1 (A, X), admitted 2025-01-06. plan-started due 01-20, done 01-15: on time (early). housing-mapping due 02-03,
  // done 02-03: on time (on the day). first-meeting due 02-03, done 02-10: 7 days late. status-report due 05-06,
  // deviation agreed to 05-20, done 05-16: on time, deviated. housing-meeting due 06-06, done 06-20: 14 late.
  // applications due 07-06, done 07-06: on time. Ended early 07-15; final-report due 08-05, done 08-01: on time.
  // (cooperation-meeting, a recommendation, due 04-10 and never held: not a deadline.)
  stays.s1 = await register(A, X, '2025-01-06', {
    'plan-started': '2025-01-15',
    'housing-mapping': '2025-02-03',
    'first-meeting': '2025-02-10',
  });
  await postAccepted(h, `/api/stays/${stays.s1}/deviations`, h.auth('bydel', X), {
    milestone: 'status-report',
    dueDate: '2025-05-20',
    reason: 'agreed at the first meeting',
    agreedBy: 'both',
    onBehalfOfBoth: true,
  });
  await complete(stays.s1, A, 'status-report', {
    doneAt: '2025-05-16',
    recommendedHousing: 'ordinary',
    followUpNeed: 'booppfolging',
    residentWishesRecorded: true,
    professionalAssessmentRecorded: true,
  });
  await complete(stays.s1, A, 'housing-meeting', { doneAt: '2025-06-20', applicationsAgreed: [] });
  await complete(stays.s1, A, 'applications', {
    doneAt: '2025-07-06',
    applications: [{ type: 'municipal-housing', responsible: 'bydel', sentAt: '2025-07-01' }],
  });
  await endEarly(stays.s1, A, '2025-07-15', 'discharged-without-housing');
  await finalReport(stays.s1, A, '2025-08-01');

  // S2 (A, X), admitted 2025-03-03. plan-started due 03-17, done 03-20: 3 late. housing-mapping and first-meeting
  // due 03-31, done 03-25 and 03-28: on time. Left 2025-05-01: status-report (07-03), housing-meeting (08-03) and
  // applications (09-03) no longer apply. final-report due 05-22, done 06-10: 19 late.
  stays.s2 = await register(A, X, '2025-03-03', {
    'plan-started': '2025-03-20',
    'housing-mapping': '2025-03-25',
    'first-meeting': '2025-03-28',
  });
  await endEarly(stays.s2, A, '2025-05-01');
  await finalReport(stays.s2, A, '2025-06-10');

  // S3 (A, Y), admitted 2025-09-01. plan-started due 09-15, done 09-10: on time. housing-mapping and first-meeting
  // due 09-29, done 10-01 and 10-30: 2 and 31 late. Everything else falls due in 2026.
  stays.s3 = await register(A, Y, '2025-09-01', {
    'plan-started': '2025-09-10',
    'housing-mapping': '2025-10-01',
    'first-meeting': '2025-10-30',
  });

  // S4 (B, X), admitted 2025-02-03. plan-started due 02-17, done 03-03: 14 late. housing-mapping due 03-03, done
  // 03-03: on time. first-meeting due 03-03, done 03-10: 7 late. Left 04-01: status-report (06-03), housing-meeting
  // (07-03), applications (08-03) no longer apply. final-report due 04-22, done 04-22: on time.
  stays.s4 = await register(B, X, '2025-02-03', {
    'plan-started': '2025-03-03',
    'housing-mapping': '2025-03-03',
    'first-meeting': '2025-03-10',
  });
  await endEarly(stays.s4, B, '2025-04-01');
  await finalReport(stays.s4, B, '2025-04-22');

  // S5 (C, X), admitted 20 days ago, nothing done: plan-started was due 6 days ago (6 days late so far);
  // housing-mapping and first-meeting are due in 8 days, status-report, housing-meeting and applications within
  // 4–6 months: open. Two extra status reports agreed (in 10 and 20 days), the first delivered today: on time.
  stays.s5 = await register(C, X, addOffset(today, { days: -20 }));
  for (const days of [10, 20])
    await postAccepted(h, `/api/stays/${stays.s5}/extra-status-reports`, h.auth('institution', C), {
      dueDate: addOffset(today, { days }),
    });
  await complete(stays.s5, C, 'extra-status-report', { doneAt: today });
});
afterAll(() => h?.close());

const get = (url: string, headers: Record<string, string>) => h.app.inject({ method: 'GET', url, headers });
async function report(query: string, headers: Record<string, string>) {
  const res = await get(`/api/reports/compliance?${query}`, headers);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    from: string;
    to: string;
    groupBy: string;
    rows: ({ key: string } & Figures)[];
    total: Figures;
  };
}
type Figures = {
  due: number;
  onTime: number;
  late: number;
  open: number;
  notApplicable: number;
  deviated: number;
  onTimeShare: number | null;
  daysLateMedian: number | null;
  daysLateP90: number | null;
};
const fig = (
  due: number,
  onTime: number,
  late: number,
  open: number,
  notApplicable: number,
  deviated: number,
  onTimeShare: number | null,
  daysLateMedian: number | null = null,
  daysLateP90: number | null = null,
): Figures => ({ due, onTime, late, open, notApplicable, deviated, onTimeShare, daysLateMedian, daysLateP90 });
const ZERO = fig(0, 0, 0, 0, 0, 0, null);
const rowsByKey = (r: { rows: ({ key: string } & Figures)[] }) =>
  Object.fromEntries(r.rows.map(({ key, ...f }) => [key, f]));

describe('GET /api/reports/compliance', () => {
  it('counts an institution’s deadlines per milestone by the contract’s definitions', async () => {
    const r = await report(`${YEAR}&groupBy=milestone`, h.auth('institution', A));
    expect(r).toMatchObject({ from: '2025-01-01', to: '2025-12-31', groupBy: 'milestone' });
    // every deadline of the rule book, in its order; cooperation-meeting is a recommendation, not a deadline
    expect(r.rows.map((row) => row.key)).toEqual([
      'plan-started',
      'housing-mapping',
      'first-meeting',
      'status-report',
      'status-report-causes',
      'housing-meeting',
      'applications',
      'exit-meeting',
      'housing-follow-up-contact',
      'cooperation-agreement',
      'follow-up-meeting',
      'final-report',
      'extra-status-report',
    ]);
    const rows = rowsByKey(r);
    // S1 on time, S2 3 late, S3 on time
    expect(rows['plan-started']).toEqual(fig(3, 2, 1, 0, 0, 0, 0.6667, 3, 3));
    // S1 on time (on the day), S2 on time, S3 2 late
    expect(rows['housing-mapping']).toEqual(fig(3, 2, 1, 0, 0, 0, 0.6667, 2, 2));
    // S1 7 late, S2 on time, S3 31 late: median (7+31)/2 = 19, p90 7 + 0.9 × 24 = 28.6
    expect(rows['first-meeting']).toEqual(fig(3, 1, 2, 0, 0, 0, 0.3333, 19, 28.6));
    // S1 on time against the agreed 05-20 (10 days late against the original 05-06); S2's no longer applies
    expect(rows['status-report']).toEqual(fig(1, 1, 0, 0, 1, 1, 1));
    expect(rows['housing-meeting']).toEqual(fig(1, 0, 1, 0, 1, 0, 0, 14, 14));
    expect(rows.applications).toEqual(fig(1, 1, 0, 0, 1, 0, 1));
    // S1 on time, S2 19 late
    expect(rows['final-report']).toEqual(fig(2, 1, 1, 0, 0, 0, 0.5, 19, 19));
    for (const key of [
      'status-report-causes',
      'exit-meeting',
      'housing-follow-up-contact',
      'cooperation-agreement',
      'follow-up-meeting',
      'extra-status-report',
    ])
      expect(rows[key], key).toEqual(ZERO);
    // 14 due, 8 on time, 6 late (2, 3, 7, 14, 19, 31 days): median (7+14)/2 = 10.5, p90 19 + 0.5 × 12 = 25
    expect(r.total).toEqual(fig(14, 8, 6, 0, 3, 1, 0.5714, 10.5, 25));
  });

  it('groups by month of the (agreed) due date, every month of the period included', async () => {
    const r = await report(`${YEAR}&groupBy=month`, h.auth('institution', A));
    expect(r.rows.map((row) => row.key)).toEqual([
      '2025-01',
      '2025-02',
      '2025-03',
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-08',
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
    ]);
    const rows = rowsByKey(r);
    expect(rows['2025-01']).toEqual(fig(1, 1, 0, 0, 0, 0, 1)); // S1 plan-started
    expect(rows['2025-02']).toEqual(fig(2, 1, 1, 0, 0, 0, 0.5, 7, 7)); // S1 housing-mapping, first-meeting
    expect(rows['2025-03']).toEqual(fig(3, 2, 1, 0, 0, 0, 0.6667, 3, 3)); // S2 plan, mapping, first meeting
    expect(rows['2025-04']).toEqual(ZERO);
    expect(rows['2025-05']).toEqual(fig(2, 1, 1, 0, 0, 1, 0.5, 19, 19)); // S1 status-report (agreed), S2 final
    expect(rows['2025-06']).toEqual(fig(1, 0, 1, 0, 0, 0, 0, 14, 14)); // S1 housing-meeting
    expect(rows['2025-07']).toEqual(fig(1, 1, 0, 0, 1, 0, 1)); // S1 applications; S2 status-report n/a
    expect(rows['2025-08']).toEqual(fig(1, 1, 0, 0, 1, 0, 1)); // S1 final report; S2 housing-meeting n/a
    // S3 plan on time, mapping 2 and first meeting 31 late; S2 applications n/a: median 16.5, p90 2 + 0.9 × 29
    expect(rows['2025-09']).toEqual(fig(3, 1, 2, 0, 1, 0, 0.3333, 16.5, 28.1));
    expect(rows['2025-10']).toEqual(ZERO);
    expect(r.total).toEqual(fig(14, 8, 6, 0, 3, 1, 0.5714, 10.5, 25));
  });

  it('puts a deviated deadline in the period of its agreed date, not its original one', async () => {
    // S1 status-report: original 05-06, agreed 05-20; S2 final report 05-22
    const after = await report('from=2025-05-07&to=2025-05-31', h.auth('institution', A));
    expect(after.total).toEqual(fig(2, 1, 1, 0, 0, 1, 0.5, 19, 19));
    const before = await report('from=2025-05-01&to=2025-05-06', h.auth('institution', A));
    expect(before.total).toEqual(ZERO);
    expect(before.rows.every((row) => row.due === 0)).toBe(true);
  });

  it('groups by bydel and institution: the stay’s current organisations', async () => {
    const byBydel = rowsByKey(await report(`${YEAR}&groupBy=bydel`, h.auth('institution', A)));
    expect(Object.keys(byBydel)).toEqual([X, Y]);
    // S1 + S2: on time 5 + 2, late 7, 14, 3, 19: median 10.5, p90 14 + 0.7 × 5 = 17.5
    expect(byBydel[X]).toEqual(fig(11, 7, 4, 0, 3, 1, 0.6364, 10.5, 17.5));
    // S3: median (2+31)/2 = 16.5, p90 28.1
    expect(byBydel[Y]).toEqual(fig(3, 1, 2, 0, 0, 0, 0.3333, 16.5, 28.1));

    const r = await report(`${YEAR}&groupBy=institution&bydelId=${X}`, h.auth('admin'));
    const byInstitution = rowsByKey(r);
    expect(Object.keys(byInstitution)).toEqual([A, B]);
    expect(byInstitution[A]).toEqual(byBydel[X]);
    // S4: 14 and 7 late: median 10.5, p90 7 + 0.9 × 7 = 13.3
    expect(byInstitution[B]).toEqual(fig(4, 2, 2, 0, 3, 0, 0.5, 10.5, 13.3));
    // A and B in X: 15 due, 9 on time, 6 late (3, 7, 7, 14, 14, 19): median 10.5, p90 14 + 0.5 × 5 = 16.5
    expect(r.total).toEqual(fig(15, 9, 6, 0, 6, 1, 0.6, 10.5, 16.5));
  });

  it('shows institution and bydel users only their own stays; admins all', async () => {
    const ofA = await report(`${YEAR}&groupBy=institution`, h.auth('institution', A));
    expect(ofA.rows.map((row) => row.key)).toEqual([A]);
    expect(ofA.total.due).toBe(14);
    // asking for another institution's figures gives none, not theirs
    const aAsksForB = await report(`${YEAR}&institutionId=${B}`, h.auth('institution', A));
    expect(aAsksForB.total).toEqual(ZERO);
    const ofB = await report(YEAR, h.auth('institution', B));
    expect(ofB.total).toEqual(fig(4, 2, 2, 0, 3, 0, 0.5, 10.5, 13.3));
    const ofX = await report(`${YEAR}&groupBy=institution`, h.auth('bydel', X));
    expect(ofX.rows.map((row) => row.key)).toEqual([A, B]);
    expect(ofX.total).toEqual(fig(15, 9, 6, 0, 6, 1, 0.6, 10.5, 16.5));
    const ofY = await report(YEAR, h.auth('bydel', Y));
    expect(ofY.total).toEqual(fig(3, 1, 2, 0, 0, 0, 0.3333, 16.5, 28.1));
    const adminOfA = await report(`${YEAR}&institutionId=${A}`, h.auth('admin'));
    expect(adminOfA).toEqual(await report(YEAR, h.auth('institution', A)));
  });

  it('filters by milestone', async () => {
    const r = await report(`${YEAR}&milestone=first-meeting&groupBy=milestone`, h.auth('bydel', X));
    expect(r.rows).toEqual([{ key: 'first-meeting', ...fig(3, 1, 2, 0, 0, 0, 0.3333, 7, 7) }]);
    expect(r.total).toEqual(fig(3, 1, 2, 0, 0, 0, 0.3333, 7, 7));
  });

  it('counts open deadlines and those late so far against today in Oslo; each agreed extra status report', async () => {
    const today = osloDate(Date.now());
    const r = await report(
      `from=${addOffset(today, { days: -30 })}&to=${addOffset(today, { days: 200 })}`,
      h.auth('institution', C),
    );
    const rows = rowsByKey(r);
    expect(rows['plan-started']).toEqual(fig(1, 0, 1, 0, 0, 0, 0, 6, 6));
    for (const key of ['housing-mapping', 'first-meeting', 'status-report', 'housing-meeting', 'applications'])
      expect(rows[key], key).toEqual(fig(1, 0, 0, 1, 0, 0, null));
    expect(rows['extra-status-report']).toEqual(fig(2, 1, 0, 1, 0, 0, 1));
    expect(r.total).toEqual(fig(8, 1, 1, 6, 0, 0, 0.5, 6, 6));
  });

  it('follows a stay to its new bydel', async () => {
    const G = 'inst-rep-g';
    // admitted 2025-10-06; plan-started due 10-20, done 10-10: on time
    const id = await register(G, X, '2025-10-06', { 'plan-started': '2025-10-10' });
    const october = 'from=2025-10-01&to=2025-10-31&groupBy=bydel';
    expect(rowsByKey(await report(october, h.auth('institution', G)))).toEqual({ [X]: fig(1, 1, 0, 0, 0, 0, 1) });
    await postAccepted(h, `/api/stays/${id}/events/bydel-changed`, h.auth('admin'), { date: '2025-10-20', bydelId: V });
    expect(rowsByKey(await report(october, h.auth('institution', G)))).toEqual({ [V]: fig(1, 1, 0, 0, 0, 0, 1) });
    expect((await report(`${october}&institutionId=${G}`, h.auth('bydel', X))).total).toEqual(ZERO);
    expect((await report(`${october}&institutionId=${G}`, h.auth('bydel', V))).total.onTime).toBe(1);
  });

  it('refuses a bad query with a problem that says what to fix', async () => {
    // malformed (400), or well-formed but a period no report covers (422)
    const cases: [string, RegExp, number][] = [
      ['from=2025-12-31&to=2025-01-01', /to.*on or after from/, 422],
      ['from=2025-02-30&to=2025-12-31', /from.*calendar date/, 400],
      ['to=2025-12-31', /from/, 400],
      [`${YEAR}&groupBy=week`, /groupBy/, 400],
      [`${YEAR}&milestone=cooperation-meeting`, /not a deadline/, 400],
      ['from=2000-01-01&to=2025-12-31', /at most 10 years/, 422],
    ];
    for (const [query, detail, status] of cases) {
      for (const path of ['/api/reports/compliance', '/api/reports/compliance.csv']) {
        const res = await get(`${path}?${query}`, h.auth('admin'));
        expect(res.statusCode, `${path}?${query}`).toBe(status);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.json().detail, query).toMatch(detail);
      }
    }
    expect((await get(`/api/reports/compliance?${YEAR}`, {})).statusCode).toBe(401);
  });
});

describe('GET /api/reports/compliance.csv', () => {
  it('has the same rows as the JSON, under a header of the contract’s field names', async () => {
    for (const groupBy of ['milestone', 'institution', 'bydel', 'month']) {
      const query = `${YEAR}&groupBy=${groupBy}`;
      const json = await report(query, h.auth('bydel', X));
      const res = await get(`/api/reports/compliance.csv?${query}`, h.auth('bydel', X));
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="compliance-${groupBy}-2025-01-01-2025-12-31.csv"`,
      );
      const [header, ...lines] = res.body.trimEnd().split('\r\n');
      expect(header).toBe('key,due,onTime,late,open,notApplicable,deviated,onTimeShare,daysLateMedian,daysLateP90');
      const columns = header!.split(',');
      const parsed = lines.map((line) =>
        Object.fromEntries(
          line.split(',').map((cell, i) => [columns[i], i === 0 ? cell : cell === '' ? null : Number(cell)] as const),
        ),
      );
      expect(parsed).toEqual(json.rows);
    }
  });
});

describe('GET /api/reports/compliance/stays', () => {
  const drill = async (query: string, headers: Record<string, string>) => {
    const res = await get(`/api/reports/compliance/stays?${YEAR}&${query}`, headers);
    expect(res.statusCode, res.body).toBe(200);
    return { body: res.json(), requestId: res.headers['x-request-id'] as string };
  };

  it('lists the deadlines behind a number, oldest due date first, and logs every stay shown', async () => {
    const { body, requestId } = await drill(
      'groupBy=milestone&key=first-meeting&outcome=late',
      h.auth('institution', A),
    );
    expect(body).toMatchObject({ total: 2, limit: 100, offset: 0 });
    expect(body.items).toEqual([
      {
        stayId: stays.s1,
        residentRef: `R-REP-${A}`,
        institutionId: A,
        bydelId: X,
        milestone: 'first-meeting',
        dueDate: '2025-02-03',
        originalDueDate: null,
        doneAt: '2025-02-10',
        outcome: 'late',
        deviated: false,
        daysLate: 7,
      },
      expect.objectContaining({ stayId: stays.s3, dueDate: '2025-09-29', doneAt: '2025-10-30', daysLate: 31 }),
    ]);
    const logged = await h.pool.query(
      'SELECT stay_id, actor_role, actor_org, view FROM access_log WHERE request_id = $1 ORDER BY stay_id',
      [requestId],
    );
    expect(logged.rows).toEqual(
      [stays.s1, stays.s3]
        .sort()
        .map((id) => ({ stay_id: id, actor_role: 'institution', actor_org: A, view: 'report' })),
    );
  });

  it('drills into any row and count: deviated, not applicable by month, the total', async () => {
    const deviated = await drill('outcome=deviated', h.auth('institution', A));
    expect(deviated.body.items).toEqual([
      expect.objectContaining({
        stayId: stays.s1,
        milestone: 'status-report',
        dueDate: '2025-05-20',
        originalDueDate: '2025-05-06',
        doneAt: '2025-05-16',
        outcome: 'onTime',
        deviated: true,
        daysLate: null,
      }),
    ]);
    const na = await drill('groupBy=month&key=2025-07&outcome=notApplicable', h.auth('institution', A));
    expect(na.body.items).toEqual([
      expect.objectContaining({ stayId: stays.s2, milestone: 'status-report', dueDate: '2025-07-03', doneAt: null }),
    ]);
    const late = await drill('outcome=late', h.auth('institution', A));
    expect(late.body.total).toBe(6);
    expect(late.body.items.map((i: { daysLate: number }) => i.daysLate)).toEqual([7, 3, 19, 14, 2, 31]);
    const page = await drill('outcome=late&limit=2&offset=4', h.auth('institution', A));
    expect(page.body).toMatchObject({ total: 6, limit: 2, offset: 4 });
    expect(page.body.items.map((i: { daysLate: number }) => i.daysLate)).toEqual([2, 31]);
    const past = await drill('outcome=late&offset=50', h.auth('institution', A));
    expect(past.body).toMatchObject({ total: 6, items: [] });
  });

  it('lists only stays in the caller’s scope, and logs nothing it did not show', async () => {
    const ofY = await drill('groupBy=milestone&key=first-meeting&outcome=late', h.auth('bydel', Y));
    expect(ofY.body.items.map((i: { stayId: string }) => i.stayId)).toEqual([stays.s3]);
    const ofB = await drill('outcome=late', h.auth('institution', B));
    expect(ofB.body.items.map((i: { stayId: string }) => i.stayId)).toEqual([stays.s4, stays.s4]);
    const aAsksForB = await drill(`groupBy=institution&key=${B}&outcome=due`, h.auth('institution', A));
    expect(aAsksForB.body).toMatchObject({ total: 0, items: [] });
    const logged = await h.pool.query('SELECT count(*)::int AS n FROM access_log WHERE request_id = $1', [
      aAsksForB.requestId,
    ]);
    expect(logged.rows[0].n).toBe(0);
    const bad = await get(`/api/reports/compliance/stays?${YEAR}&outcome=missed`, h.auth('admin'));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/outcome/);
  });
});

describe('the compliance report and its drill-down', () => {
  it('agree: every count of every row is the number of deadlines listed behind it', async () => {
    for (const [caller, headers] of [
      ['bydel X', h.auth('bydel', X)],
      ['institution A', h.auth('institution', A)],
    ] as const) {
      for (const groupBy of ['milestone', 'month']) {
        const r = await report(`${YEAR}&groupBy=${groupBy}`, headers);
        for (const row of [...r.rows.filter((x) => x.due + x.notApplicable > 0), { ...r.total, key: undefined }]) {
          for (const outcome of ['due', 'onTime', 'late', 'open', 'notApplicable', 'deviated'] as const) {
            const key = row.key === undefined ? '' : `&key=${row.key}`;
            const res = await get(
              `/api/reports/compliance/stays?${YEAR}&groupBy=${groupBy}${key}&outcome=${outcome}&limit=1`,
              headers,
            );
            expect(res.json().total, `${caller} ${groupBy} ${row.key ?? 'total'} ${outcome}`).toBe(row[outcome]);
          }
        }
      }
    }
  });
});

describe('GET /api/reports/compliance/heatmap', () => {
  it('gives every organisation × milestone cell the figures of the report filtered to it', async () => {
    const res = await get(`/api/reports/compliance/heatmap?${YEAR}&rows=institution`, h.auth('bydel', X));
    expect(res.statusCode, res.body).toBe(200);
    const map = res.json() as { rowsBy: string; rows: { key: string; milestones: ({ key: string } & Figures)[] }[] };
    expect(map.rowsBy).toBe('institution');
    expect(map.rows.map((r) => r.key)).toEqual([A, B]);
    // B's first meeting: S4, 7 days late; A's: S1 7 late, S2 on time
    expect(map.rows[1]!.milestones.find((m) => m.key === 'first-meeting')).toEqual({
      key: 'first-meeting',
      ...fig(1, 0, 1, 0, 0, 0, 0, 7, 7),
    });
    for (const row of map.rows) {
      const single = await report(`${YEAR}&groupBy=milestone&institutionId=${row.key}`, h.auth('bydel', X));
      expect(row.milestones).toEqual(single.rows);
    }
    const ofA = await get(`/api/reports/compliance/heatmap?${YEAR}&rows=bydel`, h.auth('institution', A));
    expect(ofA.json().rows.map((r: { key: string }) => r.key)).toEqual([X, Y]);
  });
});
