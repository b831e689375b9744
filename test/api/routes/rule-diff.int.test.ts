import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INTERPRETATIONS } from '../../../rules/interpretations';
import { type Harness, startApiHarness } from '../../support/api-harness';
import { createIsolatedDatabase } from '../../support/isolated-database';
import { registerStay } from '../../support/stays';

/**
 * The rule-version view. Stays are registered by an API running the default interpretations (exit meeting 7 days
 * after the offer, §3.1; follow-up meeting 28 days after moving in, §3.3); a second API instance runs a changed
 * configuration (3 and 21 days) and compares. Dates hand-computed. Its own database: the summary counts every stay.
 */
const INST = 'inst-rd-1';
const BYDEL = 'bydel-alna';

let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let before: Harness; // the configuration the stays were registered under
let now: Harness; // the changed configuration running now
const ids: Record<'offered' | 'notOffered' | 'deviated', string> = { offered: '', notOffered: '', deviated: '' };

async function register(ref: string): Promise<string> {
  const stay = await registerStay(before, {
    residentRef: ref,
    institutionId: INST,
    bydelId: BYDEL,
    admittedAt: '2026-09-01',
  });
  return stay.id;
}

async function post(id: string, path: string, payload: Record<string, unknown>, as: 'institution' | 'bydel' = 'bydel') {
  const res = await before.app.inject({
    method: 'POST',
    url: `/api/stays/${id}/${path}`,
    headers: as === 'bydel' ? before.auth('bydel', BYDEL) : before.auth('institution', INST),
    payload,
  });
  expect(res.statusCode, res.body).toBe(200);
}

const offer = (expectedMoveInDate: string) => ({
  date: '2026-11-02',
  hasBooppfolgingDecision: false,
  housingConditionalOnFollowUp: false,
  expectedMoveInDate,
});

beforeAll(async () => {
  db = await createIsolatedDatabase();
  before = await startApiHarness({ databaseUrl: db.url });
  now = await startApiHarness({
    databaseUrl: db.url,
    withWorker: false,
    app: { interpretations: { ...DEFAULT_INTERPRETATIONS, exitMeetingDays: 3, followUpMeetingDays: 21 } },
  });
  ids.offered = await register('R-RD-0001');
  ids.notOffered = await register('R-RD-0002');
  ids.deviated = await register('R-RD-0003');
  await post(ids.offered, 'events/housing-offered', offer('2026-11-20'));
  await post(ids.offered, 'events/discharged', { date: '2026-11-20' }, 'institution');
  await post(ids.offered, 'events/moved-in', { date: '2026-11-20' });
  await post(ids.deviated, 'events/housing-offered', offer('2026-11-25'));
  await post(ids.deviated, 'deviations', {
    milestone: 'exit-meeting',
    dueDate: '2026-11-16',
    reason: 'Avtalt senere utflyttingsmøte',
    agreedBy: 'bydel',
  });
}, 120_000);

afterAll(async () => {
  await now?.close();
  await before?.close();
  await db?.drop();
});

const diff = (h: Harness, id: string, query = '') =>
  h.app.inject({ url: `/api/stays/${id}/rule-diff${query}`, headers: h.auth('admin') });

describe('GET /api/stays/:id/rule-diff', () => {
  it("lists the deadlines that fall on other dates under the current rules than under the stay's, with §", async () => {
    const res = await diff(now, ids.offered);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.stay).toEqual({ rulesVersion: 3, interpretations: DEFAULT_INTERPRETATIONS });
    expect(body.target.interpretations).toMatchObject({ exitMeetingDays: 3, followUpMeetingDays: 21 });
    expect(body.interpretations).toEqual([
      { key: 'exitMeetingDays', section: '§3.1', unit: 'days', stay: 7, target: 3 },
      { key: 'followUpMeetingDays', section: '§3.3', unit: 'days', stay: 28, target: 21 },
    ]);
    // offer 02.11 + 7 = 09.11 vs + 3 = 05.11; moved in 20.11 + 28 = 18.12 vs + 21 = 11.12
    expect(body.changes).toEqual([
      { milestone: 'exit-meeting', section: '§3.1', underStay: '2026-11-09', underTarget: '2026-11-05', open: true },
      {
        milestone: 'follow-up-meeting',
        section: '§3.3',
        underStay: '2026-12-18',
        underTarget: '2026-12-11',
        open: true,
      },
    ]);
  });

  it('keeps an agreed deviation, and shows nothing for a stay whose differing rules touch no deadline yet', async () => {
    // the exit meeting was agreed for 16.11 (§1): the same under any rules; the follow-up meeting is not open yet
    const deviated = (await diff(now, ids.deviated)).json();
    expect(deviated.interpretations).toHaveLength(2);
    expect(deviated.changes).toEqual([]);
    const notOffered = (await diff(now, ids.notOffered)).json();
    expect(notOffered.interpretations).toHaveLength(2);
    expect(notOffered.changes).toEqual([]);
  });

  it('judges a proposed change before it is rolled out; against the running rules the stay differs in nothing', async () => {
    expect((await diff(before, ids.offered)).json()).toMatchObject({ interpretations: [], changes: [] });
    const proposed = (await diff(before, ids.offered, '?followUpMeetingDays=35')).json();
    // 20.11 + 35 = 25.12
    expect(proposed.changes).toEqual([
      {
        milestone: 'follow-up-meeting',
        section: '§3.3',
        underStay: '2026-12-18',
        underTarget: '2026-12-25',
        open: true,
      },
    ]);
  });

  it('is for administrators only, 404 for an unknown stay, 400 for a value no rule can have; each read is logged', async () => {
    const inst = await now.app.inject({
      url: `/api/stays/${ids.offered}/rule-diff`,
      headers: now.auth('institution', INST),
    });
    expect(inst.statusCode).toBe(403);
    expect((await diff(now, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    const bad = await diff(now, ids.offered, '?exitMeetingDays=0');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const log = await now.app.inject({ url: `/api/stays/${ids.offered}/access-log`, headers: now.auth('admin') });
    expect(log.json().items.map((e: { view: string }) => e.view)).toContain('rule-diff');
  });
});

describe('GET /api/rule-diff', () => {
  it('counts, per milestone, the active stays whose open deadline would move', async () => {
    const res = await now.app.inject({ url: '/api/rule-diff', headers: now.auth('admin') });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ openStays: 3, staysOnOtherRules: 3, staysAffected: 1, unreadable: 0 });
    expect(res.json().milestones).toEqual([
      { milestone: 'exit-meeting', section: '§3.1', stays: 1, earlier: 1, later: 0, appears: 0, disappears: 0 },
      { milestone: 'follow-up-meeting', section: '§3.3', stays: 1, earlier: 1, later: 0, appears: 0, disappears: 0 },
    ]);
    const same = (await before.app.inject({ url: '/api/rule-diff', headers: before.auth('admin') })).json();
    expect(same).toMatchObject({ openStays: 3, staysOnOtherRules: 0, staysAffected: 0, milestones: [] });
    const inst = await now.app.inject({ url: '/api/rule-diff', headers: now.auth('bydel', BYDEL) });
    expect(inst.statusCode).toBe(403);
  });
});
