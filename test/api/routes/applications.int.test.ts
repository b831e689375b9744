import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { milestoneApplicationId } from '../../../api/plugins/app/applications';
import { addOffset, osloDate } from '../../../rules/oslo-calendar';
import { startApiHarness, type Harness } from '../../support/api-harness';
import { registerOrganisations } from '../../support/organisations';
import { registerStay } from '../../support/stays';

const run = Math.random().toString(36).slice(2, 8);
const INST = `inst-appl-${run}`;
const BYDEL = 'bydel-appl-a';
const today = osloDate(Date.now());
const firstSent = addOffset(today, { days: -20 });

let h: Harness;
let stayId: string;

const asInst = (org = INST) => h.auth('institution', org);
const asBydel = (org = BYDEL) => h.auth('bydel', org);
const list = async (headers: Record<string, string> = asInst()) =>
  (await h.app.inject({ url: `/api/stays/${stayId}/applications`, headers })).json().applications as Array<
    Record<string, unknown> & { id: string }
  >;
const add = (payload: unknown, headers: Record<string, string> = asInst()) =>
  h.app.inject({ method: 'POST', url: `/api/stays/${stayId}/applications`, headers, payload: payload as object });
const patch = (id: string, payload: unknown, headers: Record<string, string> = asInst()) =>
  h.app.inject({
    method: 'PATCH',
    url: `/api/stays/${stayId}/applications/${id}`,
    headers,
    payload: payload as object,
  });
const audits = async () =>
  (await h.app.inject({ url: `/api/stays/${stayId}/history?action=application`, headers: h.auth('admin') })).json()
    .items as Array<{ action: string; actor: { org: string }; details: Record<string, unknown> }>;

beforeAll(async () => {
  h = await startApiHarness();
  await registerOrganisations(h, BYDEL);
  ({ id: stayId } = await registerStay(h, {
    residentRef: `R-APPL-${run.toUpperCase()}`,
    institutionId: INST,
    bydelId: BYDEL,
    admittedAt: addOffset(today, { months: -7 }),
  }));
  const done = await h.app.inject({
    method: 'POST',
    url: `/api/stays/${stayId}/milestones/applications`,
    headers: asInst(),
    payload: {
      doneAt: firstSent,
      applications: [
        { type: 'municipal-housing', responsible: 'bydel', sentAt: firstSent },
        { type: 'booppfolging', responsible: 'institution', sentAt: firstSent },
      ],
    },
  });
  expect(done.statusCode, done.body).toBe(200);
});
afterAll(() => h?.close());

describe('applications over time (§2.2)', () => {
  it('lists the applications recorded with the milestone, each with a stable id and pending', async () => {
    const applications = await list(asBydel());
    expect(applications).toEqual([
      expect.objectContaining({
        id: milestoneApplicationId(stayId, 0),
        origin: 'milestone',
        type: 'municipal-housing',
        responsible: 'bydel',
        sentOn: firstSent,
        outcome: 'pending',
        outcomeOn: null,
        reportAttached: false,
        updatedAt: null,
      }),
      expect.objectContaining({ id: milestoneApplicationId(stayId, 1), type: 'booppfolging' }),
    ]);
    expect(await list()).toEqual(applications);
  });

  it('adds an application after the first recording, once per Idempotency-Key, audited', async () => {
    const body = {
      type: 'other',
      otherType: 'Bostøtte',
      responsible: 'resident',
      sentOn: addOffset(today, { days: -2 }),
      reportAttached: true,
    };
    const headers = { ...asBydel(), 'idempotency-key': `appl-${run}-1` };
    const first = await add(body, headers);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ ...body, origin: 'added', outcome: 'pending', outcomeOn: null });
    const retry = await add(body, headers);
    expect(retry.statusCode).toBe(200);
    expect(retry.json().id).toBe(first.json().id);
    expect((await list()).map((a) => a.type)).toEqual(['municipal-housing', 'booppfolging', 'other']);
    const added = (await audits()).filter((a) => a.action === 'application.added');
    expect(added).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ org: BYDEL }),
        details: expect.objectContaining({
          applicationId: first.json().id,
          section: '§2.2',
          after: expect.any(Object),
        }),
      }),
    ]);
  });

  it("records the outcome of a milestone's application and the report that went with it, before → after", async () => {
    const id = milestoneApplicationId(stayId, 0);
    const decided = addOffset(today, { days: -1 });
    const res = await patch(id, { outcome: 'granted', outcomeOn: decided, reportAttached: true });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id, origin: 'milestone', outcome: 'granted', outcomeOn: decided });
    expect(res.json().updatedAt).not.toBeNull();
    // the same change again changes nothing and writes nothing
    const count = (await audits()).length;
    expect((await patch(id, { outcome: 'granted', outcomeOn: decided })).statusCode).toBe(200);
    expect(await audits()).toHaveLength(count);
    const updated = (await audits()).filter((a) => a.action === 'application.updated');
    expect(updated.at(-1)!.details).toEqual({
      applicationId: id,
      section: '§2.2',
      before: { outcome: 'pending', outcomeOn: null, reportAttached: false },
      after: { outcome: 'granted', outcomeOn: decided, reportAttached: true },
    });
    expect((await list()).find((a) => a.id === id)).toMatchObject({ outcome: 'granted', reportAttached: true });
    // back to pending clears the date
    const reopened = await patch(id, { outcome: 'pending' }, asBydel());
    expect(reopened.json()).toMatchObject({ outcome: 'pending', outcomeOn: null });
  });

  it('refuses what does not fit with problem+json naming the field, and changes nothing', async () => {
    const before = await list();
    const count = (await audits()).length;
    const id = milestoneApplicationId(stayId, 1);
    const cases: Array<[() => ReturnType<typeof add>, number, string]> = [
      [
        () => add({ type: 'startlan', responsible: 'bydel', sentOn: addOffset(today, { days: 1 }) }),
        422,
        'body.sentOn',
      ],
      [() => add({ type: 'other', responsible: 'bydel', sentOn: today }), 422, 'body.otherType'],
      [() => add({ type: 'startlan', otherType: 'x', responsible: 'bydel', sentOn: today }), 422, 'body.otherType'],
      [
        () => add({ type: 'other', otherType: 'x'.repeat(61), responsible: 'bydel', sentOn: today }),
        400,
        'body.otherType',
      ],
      [() => add({ type: 'lottery', responsible: 'bydel', sentOn: today }), 400, 'body.type'],
      [() => add({ type: 'startlan', responsible: 'bydel', sentOn: today, outcome: 'granted' }), 422, 'body.outcomeOn'],
      [() => patch(id, { outcome: 'refused' }), 422, 'body.outcomeOn'],
      [() => patch(id, { outcomeOn: today }), 422, 'body.outcomeOn'],
      [() => patch(id, { outcome: 'refused', outcomeOn: addOffset(firstSent, { days: -1 }) }), 422, 'body.outcomeOn'],
      [() => patch(id, { outcome: 'refused', outcomeOn: addOffset(today, { days: 1 }) }), 422, 'body.outcomeOn'],
      [() => patch(id, {}), 422, 'body'],
    ];
    for (const [call, status, path] of cases) {
      const res = await call();
      expect(res.statusCode, `${path}: ${res.body}`).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      if (path !== 'body') expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const unknown = await patch('00000000-0000-4000-8000-000000000000', { reportAttached: true });
    expect(unknown.statusCode).toBe(404);
    expect(await list()).toEqual(before);
    expect(await audits()).toHaveLength(count);
  });

  it('answers 404 outside the scope, for reading and for writing', async () => {
    const id = milestoneApplicationId(stayId, 1);
    for (const headers of [asInst('inst-elsewhere'), asBydel('bydel-elsewhere')]) {
      expect((await h.app.inject({ url: `/api/stays/${stayId}/applications`, headers })).statusCode).toBe(404);
      expect((await add({ type: 'fact', responsible: 'bydel', sentOn: today }, headers)).statusCode).toBe(404);
      expect((await patch(id, { reportAttached: true }, headers)).statusCode).toBe(404);
    }
  });

  it('logs every read in the access log', async () => {
    const log = await h.app.inject({ url: `/api/stays/${stayId}/access-log`, headers: h.auth('admin') });
    const views = log.json().items.map((e: { view: string; actor: { org: string } }) => `${e.view}:${e.actor.org}`);
    expect(views).toEqual(expect.arrayContaining([`applications:${INST}`, `applications:${BYDEL}`]));
  });
});
