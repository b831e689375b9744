import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOffset, osloDate } from '../../../rules/oslo-calendar';
import { startApiHarness, type Harness } from '../../support/api-harness';
import { registerOrganisations } from '../../support/organisations';
import { eventually } from '../../support/eventually';

let h: Harness;
beforeAll(async () => {
  h = await startApiHarness();
  await registerOrganisations(h, BYDEL);
});
afterAll(() => h?.close());

const INST = 'inst-api-a';
const BYDEL = 'bydel-api-a';
const today = () => osloDate(Date.now());

async function register(body: Record<string, unknown>, headers: Record<string, string> = h.auth('institution', INST)) {
  return h.app.inject({
    method: 'POST',
    url: '/api/stays',
    headers,
    payload: { residentRef: 'R-API-1', institutionId: INST, bydelId: BYDEL, ...body },
  });
}

const complete = (
  id: string,
  key: string,
  payload: Record<string, unknown>,
  role: 'institution' | 'bydel' = 'institution',
) =>
  h.app.inject({
    method: 'POST',
    url: `/api/stays/${id}/milestones/${key}`,
    headers: h.auth(role, role === 'institution' ? INST : BYDEL),
    payload,
  });

const MAPPING = {
  needsHelpObtainingHousing: true,
  followUpNeed: 'booppfolging',
  financesMapped: true,
  otherFactorsMapped: true,
  individualPlan: 'offered',
};

describe('POST /api/stays', () => {
  it('onboards a stay admitted six months ago: right due dates, overdue statuses, one escalation per missed deadline', async () => {
    const admittedAt = addOffset(today(), { months: -6, days: -3 });
    const res = await register({ admittedAt, completed: { 'plan-started': addOffset(admittedAt, { days: 10 }) } });
    expect(res.statusCode).toBe(201);
    const stay = res.json();
    expect(res.headers.location).toBe(`/api/stays/${stay.id}`);
    const byKey = Object.fromEntries(stay.milestones.map((m: { key: string }) => [m.key, m]));
    expect(byKey['plan-started']).toMatchObject({
      status: 'done',
      doneAt: addOffset(admittedAt, { days: 10 }),
      dueDate: addOffset(admittedAt, { days: 14 }),
    });
    expect(byKey['housing-mapping']).toMatchObject({
      status: 'overdue',
      dueDate: addOffset(admittedAt, { days: 28 }),
      responsible: 'institution',
    });
    expect(byKey['status-report']).toMatchObject({ status: 'overdue', dueDate: addOffset(admittedAt, { months: 4 }) });
    expect(byKey.applications).toMatchObject({
      status: 'overdue',
      dueDate: addOffset(admittedAt, { months: 6 }),
      responsible: 'both',
    });
    // no meeting recorded: two months after the first meeting's deadline, then every two months (rules version 3)
    expect(byKey['cooperation-meeting']).toMatchObject({
      status: 'pending',
      dueDate: addOffset(addOffset(admittedAt, { days: 28 }), { months: 6 }),
    });
    expect(stay).toMatchObject({
      status: 'active',
      convener: 'institution',
      overdue: true,
      admittedAt,
      residentRef: 'R-API-1',
    });

    await eventually(async () => {
      const esc = await h.app.inject({
        url: `/api/escalations?stayId=${stay.id}&kind=overdue`,
        headers: h.auth('institution', INST),
      });
      const kinds = esc
        .json()
        .items.map((e: { milestone: string; kind: string }) => `${e.milestone}:${e.kind}`)
        .sort();
      expect(kinds).toEqual([
        'applications:overdue',
        'first-meeting:overdue',
        'housing-mapping:overdue',
        'housing-meeting:overdue',
        'status-report:overdue',
      ]);
    });
  });

  it('refuses a residentRef that looks like a national identity number, and starts nothing', async () => {
    // counted at this file's institution: other files register stays meanwhile
    const count = async () =>
      (await h.app.inject({ url: '/api/stays?limit=1', headers: h.auth('institution', INST) })).json().total;
    const before = await count();
    const res = await register({ residentRef: '01017012345', admittedAt: today() });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().detail).toMatch(/national identity number/);
    expect(JSON.stringify(res.json())).not.toContain('01017012345');
    expect(await count()).toBe(before);
  });

  it('refuses onboarding data that breaks a rule, with a detail a person can act on', async () => {
    const admittedAt = addOffset(today(), { months: -2 });
    const res = await register({ admittedAt, completed: { 'first-meeting': addOffset(admittedAt, { days: 20 }) } });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ status: 422, code: 'prerequisite-missing' });
    expect(res.json().detail).toMatch(/housing-mapping/);
    const future = await register({ admittedAt: addOffset(today(), { days: 2 }) });
    expect(future.statusCode).toBe(422);
    // a mistyped year would start a stay that raises a decade of deadlines at once
    const longAgo = await register({ admittedAt: addOffset(today(), { months: -12 * 10 - 1 }) });
    expect(longAgo.statusCode).toBe(422);
    expect(longAgo.json()).toMatchObject({ code: 'date-too-early' });
    expect(longAgo.json().detail).toMatch(/more than 10 years ago .*check the year/);
    const badDate = await register({ admittedAt: '2026-02-30' });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json().detail).toMatch(/admittedAt/);
  });

  it('lets an institution register stays at its own institution only', async () => {
    const res = await register({ admittedAt: today() }, h.auth('institution', 'some-other-inst'));
    expect(res.statusCode).toBe(403);
  });

  it('answers a retried registration with the same Idempotency-Key with the same stay', async () => {
    const headers = { ...h.auth('institution', INST), 'idempotency-key': `reg-${Date.now()}-abc` };
    const a = await register({ admittedAt: today() }, headers);
    const b = await register({ admittedAt: today() }, headers);
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.json().id).toBe(a.json().id);
  });

  it('requires a valid bearer token', async () => {
    const res = await h.app.inject({ url: '/api/stays' });
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toMatch(/Bearer/);
    const bad = await h.app.inject({ url: '/api/stays', headers: { authorization: 'Bearer not-a-token' } });
    expect(bad.statusCode).toBe(401);
  });
});

describe('POST /api/stays/:id/milestones/:key', () => {
  it('completes milestones with read-your-writes and refuses bad input without changing anything', async () => {
    const admittedAt = addOffset(today(), { days: -20 });
    const stay = (await register({ admittedAt })).json();

    const early = await complete(stay.id, 'first-meeting', { doneAt: today(), bydelAttended: true });
    expect(early.statusCode).toBe(422);
    expect(early.json().detail).toMatch(/housing-mapping/);

    const incomplete = await complete(stay.id, 'housing-mapping', { doneAt: today(), needsHelpObtainingHousing: true });
    // the record's fields depend on the milestone (the path): refused as its content, with the fields named
    expect(incomplete.statusCode).toBe(422);
    expect(incomplete.json().errors.map((e: { path: string }) => e.path)).toContain('body.individualPlan');

    const future = await complete(stay.id, 'plan-started', { doneAt: addOffset(today(), { days: 1 }) });
    expect(future.statusCode).toBe(422);
    expect(future.json().detail).toMatch(/future/);
    const beforeAdmission = await complete(stay.id, 'plan-started', { doneAt: addOffset(admittedAt, { days: -1 }) });
    expect(beforeAdmission.statusCode).toBe(422);
    expect(beforeAdmission.json().detail).toMatch(/before the admission date/);
    const unknown = await complete(stay.id, 'tea-party', { doneAt: today() });
    expect(unknown.statusCode).toBe(404);
    const notOpen = await complete(stay.id, 'status-report-causes', { doneAt: today() });
    expect(notOpen.statusCode).toBe(409);

    const unchanged = (
      await h.app.inject({ url: `/api/stays/${stay.id}`, headers: h.auth('institution', INST) })
    ).json();
    expect(unchanged.revision).toBe(stay.revision);

    const ok = await complete(stay.id, 'housing-mapping', { doneAt: today(), ...MAPPING });
    expect(ok.statusCode).toBe(200);
    const mapping = ok.json().milestones.find((m: { key: string }) => m.key === 'housing-mapping');
    expect(mapping).toMatchObject({ status: 'done', doneAt: today(), details: MAPPING });

    // read-your-writes: the very next read shows it
    const read = (await h.app.inject({ url: `/api/stays/${stay.id}`, headers: h.auth('bydel', BYDEL) })).json();
    expect(read.milestones.find((m: { key: string }) => m.key === 'housing-mapping').status).toBe('done');

    const twice = await complete(stay.id, 'housing-mapping', { doneAt: today(), ...MAPPING });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().detail).toMatch(/already completed/);

    const meeting = await complete(stay.id, 'first-meeting', { doneAt: today(), bydelAttended: true }, 'bydel');
    expect(meeting.statusCode).toBe(200);
    const coop = meeting.json().milestones.find((m: { key: string }) => m.key === 'cooperation-meeting');
    expect(coop.dueDate).toBe(addOffset(today(), { months: 2 }));

    const history = await h.app.inject({ url: `/api/stays/${stay.id}/history`, headers: h.auth('admin') });
    // any RFC 3339 offset (up to ±23:59; PostgreSQL itself takes ±15:59) is a valid bound: found by the fuzzer as a 500
    const farOffset = await h.app.inject({
      url: `/api/stays/${stay.id}/history?from=${encodeURIComponent('0635-08-07T12:23:29-21:43')}&to=${encodeURIComponent('2999-01-01T00:00:00+23:59')}`,
      headers: h.auth('admin'),
    });
    expect(farOffset.statusCode, farOffset.body).toBe(200);
    expect(farOffset.json().items).toHaveLength(history.json().items.length);
    const actions = history
      .json()
      .items.map(
        (a: { action: string; milestone: string | null; actor: { role: string } }) =>
          `${a.action}:${a.milestone ?? ''}:${a.actor.role}`,
      );
    expect(actions).toEqual([
      'stay.registered::institution',
      'escalation.overdue:plan-started:system',
      'milestone.completed:housing-mapping:institution',
      'milestone.completed:first-meeting:bydel',
    ]);
  });

  it('lets the bydel (not the institution) mark the status report insufficient, opening the causes task', async () => {
    const admittedAt = addOffset(today(), { months: -4 });
    const stay = (
      await register({ admittedAt, completed: { 'status-report': addOffset(today(), { days: -3 }) } })
    ).json();
    const url = `/api/stays/${stay.id}/milestones/status-report/insufficient`;
    const byInstitution = await h.app.inject({
      method: 'POST',
      url,
      headers: h.auth('institution', INST),
      payload: {},
    });
    expect(byInstitution.statusCode).toBe(403);
    const byBydel = await h.app.inject({ method: 'POST', url, headers: h.auth('bydel', BYDEL), payload: {} });
    expect(byBydel.statusCode).toBe(200);
    const causes = byBydel.json().milestones.find((m: { key: string }) => m.key === 'status-report-causes');
    expect(causes).toMatchObject({ status: 'pending', dueDate: addOffset(today(), { days: 14 }), responsible: 'both' });
  });
});

describe('scoping', () => {
  it("answers 404 for a stay outside the caller's institution or bydel, and lists only the caller's stays", async () => {
    const stay = (await register({ admittedAt: today() })).json();
    for (const headers of [h.auth('institution', 'inst-other'), h.auth('bydel', 'bydel-other')]) {
      expect((await h.app.inject({ url: `/api/stays/${stay.id}`, headers })).statusCode).toBe(404);
      expect((await h.app.inject({ url: `/api/stays/${stay.id}/history`, headers })).statusCode).toBe(404);
      const done = await h.app.inject({
        method: 'POST',
        url: `/api/stays/${stay.id}/milestones/plan-started`,
        headers,
        payload: { doneAt: today() },
      });
      expect(done.statusCode).toBe(404);
      const list = (await h.app.inject({ url: '/api/stays?limit=200', headers })).json();
      expect(list.items.map((s: { id: string }) => s.id)).not.toContain(stay.id);
    }
    expect((await h.app.inject({ url: `/api/stays/${stay.id}`, headers: h.auth('bydel', BYDEL) })).statusCode).toBe(
      200,
    );
    expect((await h.app.inject({ url: `/api/stays/${stay.id}`, headers: h.auth('admin') })).statusCode).toBe(200);
  });

  it('filters the list by overdue and pages it', async () => {
    const inst = `inst-filter-${Date.now()}`;
    const headers = h.auth('institution', inst);
    const mk = (admittedAt: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api/stays',
        headers,
        payload: { residentRef: 'R-F', institutionId: inst, bydelId: BYDEL, admittedAt },
      });
    const late = (await mk(addOffset(today(), { days: -40 }))).json();
    const fresh = (await mk(today())).json();
    const overdue = (await h.app.inject({ url: '/api/stays?overdue=true', headers })).json();
    expect(overdue.items.map((s: { id: string }) => s.id)).toEqual([late.id]);
    const onTime = (await h.app.inject({ url: '/api/stays?overdue=false', headers })).json();
    expect(onTime.items.map((s: { id: string }) => s.id)).toEqual([fresh.id]);
    const page = (await h.app.inject({ url: '/api/stays?limit=1&offset=1', headers })).json();
    expect(page).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect(page.items).toHaveLength(1);
    expect((await h.app.inject({ url: '/api/stays?limit=0', headers })).statusCode).toBe(400);
  });
});

describe('GET /health and the OpenAPI page', () => {
  it('is healthy with API, worker, Temporal and PostgreSQL up', async () => {
    const res = await h.app.inject({ url: '/health' });
    expect(res.json()).toMatchObject({
      status: 'ok',
      checks: { api: 'ok', postgres: 'ok', temporal: 'ok', worker: 'ok' },
    });
  });

  it('serves an OpenAPI document generated from the schemas', async () => {
    const res = await h.app.inject({ url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json().paths)).toEqual(
      expect.arrayContaining(['/api/stays', '/api/stays/{id}', '/api/escalations']),
    );
  });
});
