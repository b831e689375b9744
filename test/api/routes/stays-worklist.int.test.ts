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

describe('GET /api/stays: the worklist one page at a time', () => {
  const PAGED = `inst-paged-${run}`;
  const OTHER = `inst-paged-other-${run}`;
  const paged = () => h.auth('institution', PAGED);
  const ref = (suffix: string) => `R-PG-${run}-${suffix}`;
  type Listed = {
    items: { id: string; residentRef: string; nextDueDate: string | null; status: string }[];
    total: number;
    counts: { overdue: number; dueSoon: number };
    limit: number;
    offset: number;
  };
  const list = async (query: string, headers = paged()): Promise<Listed> => {
    const res = await h.app.inject({ url: `/api/stays?${query}`, headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const stays: [string, number][] = [
      ['c-late', -40], // plan-started 26 days overdue
      ['b-soon', -5], // plan-started in 9 days: due soon
      ['a-soon', -5], // the same day: the reference breaks the tie
      ['d_edge', 0], // plan-started in 14 days: the last day that is still "due soon"
      ['e-ended', -3], // ended early below: no open deadline
      ['f-later', -1], // plan-started in 13 days
    ];
    for (const [suffix, days] of stays) {
      const res = await post('/api/stays', paged(), {
        residentRef: ref(suffix),
        institutionId: PAGED,
        bydelId: BYDEL,
        admittedAt: addOffset(today(), { days }),
      });
      expect(res.statusCode).toBe(201);
      ids[suffix] = res.json().id;
    }
    const ended = await post(`/api/stays/${ids['e-ended']}/events/ended-early`, paged(), {
      date: today(),
      reason: 'left',
    });
    expect(ended.statusCode).toBe(200);
    // §3.3: the final report is all an early end leaves due; once it is in, the stay has no open deadline
    const report = await post(`/api/stays/${ids['e-ended']}/milestones/final-report`, paged(), {
      doneAt: today(),
      sentToBydel: true,
    });
    expect(report.statusCode).toBe(200);
    // another institution's stay that every filter below would match
    const other = await post('/api/stays', h.auth('institution', OTHER), {
      residentRef: ref('a-other'),
      institutionId: OTHER,
      bydelId: BYDEL,
      admittedAt: addOffset(today(), { days: -40 }),
    });
    expect(other.statusCode).toBe(201);
    ids.other = other.json().id;
  });

  it('orders by next deadline (stays without one last, ties by reference) and pages without skipping or repeating', async () => {
    const all = await list('sort=next-deadline&limit=200');
    expect(all.items.map((s) => s.residentRef)).toEqual(
      ['c-late', 'a-soon', 'b-soon', 'f-later', 'd_edge', 'e-ended'].map(ref),
    );
    expect(all.items.at(-1)).toMatchObject({ status: 'ended', nextDueDate: null });
    const walked: string[] = [];
    for (let offset = 0; offset < all.total; offset += 4) {
      const page = await list(`sort=next-deadline&limit=4&offset=${offset}`);
      expect(page).toMatchObject({ total: 6, limit: 4, offset });
      walked.push(...page.items.map((s) => s.residentRef));
    }
    expect(walked).toEqual(all.items.map((s) => s.residentRef));
  });

  it('orders by resident reference, and by latest admission when no order is asked for', async () => {
    expect((await list('sort=resident')).items.map((s) => s.residentRef)).toEqual(
      ['a-soon', 'b-soon', 'c-late', 'd_edge', 'e-ended', 'f-later'].map(ref),
    );
    const admitted = (await list('')).items.map((s) => s.residentRef);
    expect(admitted[0]).toBe(ref('d_edge'));
    expect(admitted.at(-1)).toBe(ref('c-late'));
  });

  it('finds stays by part of the resident reference in any case, "_" being itself, with the other filters', async () => {
    expect((await list(`search=${ref('B-SO').toLowerCase()}`)).items.map((s) => s.residentRef)).toEqual([
      ref('b-soon'),
    ]);
    expect((await list('search=-soon&sort=resident')).items.map((s) => s.residentRef)).toEqual([
      ref('a-soon'),
      ref('b-soon'),
    ]);
    // "_" matches itself, not any character
    expect((await list('search=d_e')).total).toBe(1);
    expect((await list('search=c_l')).total).toBe(0);
    expect((await list('search=-&status=active&overdue=true')).items.map((s) => s.residentRef)).toEqual([
      ref('c-late'),
    ]);
    expect((await list('search=')).total).toBe(6);
  });

  it('counts the overdue and due-soon stays of everything the filters match, not only the page', async () => {
    const first = await list('sort=next-deadline&limit=1');
    expect(first.items).toHaveLength(1);
    expect(first).toMatchObject({ total: 6, counts: { overdue: 1, dueSoon: 4 } });
    expect(await list('status=active&overdue=false&limit=1')).toMatchObject({
      total: 4,
      counts: { overdue: 0, dueSoon: 4 },
    });
    expect(await list('status=ended')).toMatchObject({ total: 1, counts: { overdue: 0, dueSoon: 0 } });
  });

  it('shows an institution only its own stays, whatever it filters, searches or sorts by', async () => {
    const mine = await list(`search=${ref('')}&sort=next-deadline`);
    expect(mine.items.map((s) => s.id)).not.toContain(ids.other);
    expect(mine.total).toBe(6);
    expect(await list(`institutionId=${OTHER}&search=a-other`)).toMatchObject({
      items: [],
      total: 0,
      counts: { overdue: 0, dueSoon: 0 },
    });
    const theirs = await list(`search=${ref('')}&sort=resident`, h.auth('institution', OTHER));
    expect(theirs.items.map((s) => s.id)).toEqual([ids.other]);
    // the bydel sees both institutions' stays; an admin too
    const bydel = await list(`search=${ref('a-')}&sort=resident`, byd());
    expect(bydel.items.map((s) => s.residentRef)).toEqual([ref('a-other'), ref('a-soon')]);
  });

  it('refuses an unknown order or a search no reference can match with 400, saying what is allowed', async () => {
    for (const [query, path, hint] of [
      ['sort=deadline', 'querystring.sort', /admitted.*next-deadline.*resident/],
      ['search=50%25', 'querystring.search', /letters, digits and \. _ : - only/],
      [`search=${'x'.repeat(65)}`, 'querystring.search', /64/],
      ['sort=next-deadline&limit=500', 'querystring.limit', /200/],
    ] as const) {
      const res = await h.app.inject({ url: `/api/stays?${query}`, headers: paged() });
      expect(res.statusCode, query).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const problem = res.json();
      expect(problem.detail).toContain(path);
      expect(problem.detail).toMatch(hint);
      expect(problem.errors.map((e: { path: string }) => e.path)).toEqual([path]);
    }
  });
});
