import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOffset, osloDate } from '../../../rules/oslo-calendar';
import { startApiHarness, type Harness } from '../../support/api-harness';
import { eventually } from '../../support/eventually';
import { registerOrganisations } from '../../support/organisations';
import { registerStay } from '../../support/stays';

const run = Math.random().toString(36).slice(2, 8);
const INST = `inst-take-${run}`;
const BYDEL = 'bydel-take-a';
const today = osloDate(Date.now());

let h: Harness;
let stayId: string;

/** A person with a user id and, when given, a name in their login. */
const person = (sub: string, role: 'institution' | 'bydel', org: string, name?: string) => ({
  authorization: `Bearer ${h.app.jwt.sign({ sub, role, org, ...(name ? { name } : {}) })}`,
});
const kari = () => person(`kari-${run}`, 'institution', INST, 'Kari Koordinator');
const ola = () => person(`ola-${run}`, 'bydel', BYDEL, 'Ola Bydel');
const stranger = () => person(`eva-${run}`, 'institution', `inst-other-${run}`, 'Eva Annen');

const take = (key: string, headers: Record<string, string>, id = stayId) =>
  h.app.inject({ method: 'PUT', url: `/api/stays/${id}/milestones/${key}/assignee`, headers });
const giveBack = (key: string, headers: Record<string, string>, id = stayId) =>
  h.app.inject({ method: 'DELETE', url: `/api/stays/${id}/milestones/${key}/assignee`, headers });
const audits = async () =>
  (await h.app.inject({ url: `/api/stays/${stayId}/history?action=milestone`, headers: h.auth('admin') })).json()
    .items as Array<{ action: string; milestone: string; actor: { sub: string }; details: Record<string, unknown> }>;

beforeAll(async () => {
  h = await startApiHarness();
  await registerOrganisations(h, BYDEL);
  // day 45: the first meeting (due day 28) is overdue, so the inbox has its deadline
  ({ id: stayId } = await registerStay(h, {
    residentRef: `R-TAKE-${run.toUpperCase()}`,
    institutionId: INST,
    bydelId: BYDEL,
    admittedAt: addOffset(today, { days: -45 }),
  }));
});
afterAll(() => h?.close());

describe('"Ta saken" on a milestone', () => {
  it('lets a person of the stay take a milestone, shown by name to both parties, audited and in the access log', async () => {
    const res = await take('first-meeting', kari());
    expect(res.statusCode).toBe(200);
    expect(res.json().assignees).toEqual([
      { milestone: 'first-meeting', userId: `kari-${run}`, name: 'Kari Koordinator', assignedAt: expect.any(String) },
    ]);
    const seen = await h.app.inject({ url: `/api/stays/${stayId}/assignees`, headers: h.auth('bydel', BYDEL) });
    expect(seen.json().assignees).toMatchObject([{ milestone: 'first-meeting', name: 'Kari Koordinator' }]);

    // taking what one holds changes nothing
    expect((await take('first-meeting', kari())).statusCode).toBe(200);
    const entries = await audits();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: 'milestone.taken',
      milestone: 'first-meeting',
      actor: { sub: `kari-${run}` },
      details: { from: null, to: { userId: `kari-${run}`, name: 'Kari Koordinator' } },
    });
    const log = await h.app.inject({ url: `/api/stays/${stayId}/access-log`, headers: h.auth('admin') });
    expect(log.json().items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ view: 'assignees', actor: expect.objectContaining({ sub: `kari-${run}` }) }),
      ]),
    );
  });

  it('puts the deadline of a milestone I took under "mine" in the inbox, with my name on it', async () => {
    const item = await eventually(async () => {
      const list = (await h.app.inject({ url: '/api/inbox?mine=true', headers: kari() })).json();
      expect(list.items.map((i: { milestone: string }) => i.milestone)).toContain('first-meeting');
      return list.items.find((i: { milestone: string }) => i.milestone === 'first-meeting');
    });
    expect(item).toMatchObject({
      stayId,
      assignedTo: null,
      milestoneAssignedTo: `kari-${run}`,
      milestoneAssignedToName: 'Kari Koordinator',
    });
    const colleague = (
      await h.app.inject({ url: '/api/inbox?mine=true', headers: person(`per-${run}`, 'institution', INST) })
    ).json();
    expect(colleague.items).toEqual([]);
  });

  it('lets a colleague take it over (before → after in the audit); only the holder gives it back', async () => {
    const over = await take('first-meeting', ola());
    expect(over.json().assignees).toMatchObject([{ userId: `ola-${run}`, name: 'Ola Bydel' }]);
    const refused = await giveBack('first-meeting', kari());
    expect(refused.statusCode).toBe(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ code: 'held-by-another', detail: expect.stringContaining('Ola Bydel') });

    const back = await giveBack('first-meeting', ola());
    expect(back.statusCode).toBe(200);
    expect(back.json().assignees).toEqual([]);
    // giving back what nobody holds changes nothing
    expect((await giveBack('first-meeting', ola())).statusCode).toBe(200);
    expect((await audits()).map((e) => [e.action, e.details])).toEqual([
      ['milestone.taken', { from: null, to: { userId: `kari-${run}`, name: 'Kari Koordinator' } }],
      [
        'milestone.taken',
        {
          from: { userId: `kari-${run}`, name: 'Kari Koordinator' },
          to: { userId: `ola-${run}`, name: 'Ola Bydel' },
        },
      ],
      ['milestone.given-back', { from: { userId: `ola-${run}`, name: 'Ola Bydel' }, to: null }],
    ]);
  });

  it('answers 404 outside the stay’s scope, for reads and changes alike, and changes nothing', async () => {
    await take('plan-started', kari());
    for (const res of [
      await take('plan-started', stranger()),
      await giveBack('plan-started', stranger()),
      await h.app.inject({ url: `/api/stays/${stayId}/assignees`, headers: stranger() }),
      await take('plan-started', person(`x-${run}`, 'bydel', 'bydel-elsewhere')),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const after = await h.app.inject({ url: `/api/stays/${stayId}/assignees`, headers: kari() });
    expect(after.json().assignees).toMatchObject([{ milestone: 'plan-started', userId: `kari-${run}` }]);
  });

  it('refuses an unknown milestone, an administrator, and a milestone that is done, as problem+json', async () => {
    const unknown = await take('no-such-milestone', kari());
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().detail).toContain('There is no milestone "no-such-milestone"');

    const admin = await take('first-meeting', h.auth('admin'));
    expect(admin.statusCode).toBe(403);
    expect(admin.headers['content-type']).toContain('application/problem+json');

    const done = await h.app.inject({
      method: 'POST',
      url: `/api/stays/${stayId}/milestones/plan-started`,
      headers: h.auth('institution', INST),
      payload: { doneAt: addOffset(today, { days: -40 }) },
    });
    expect(done.statusCode).toBe(200);
    const settled = await take('plan-started', ola());
    expect(settled.statusCode).toBe(409);
    expect(settled.json()).toMatchObject({ code: 'milestone-settled' });
    // the holder is kept; nothing changed
    const after = await h.app.inject({ url: `/api/stays/${stayId}/assignees`, headers: kari() });
    expect(after.json().assignees).toMatchObject([{ milestone: 'plan-started', userId: `kari-${run}` }]);
  });

  it("names who took the stay's next deadline in the worklist", async () => {
    const list = async () =>
      (await h.app.inject({ url: '/api/stays', headers: kari() }))
        .json()
        .items.find((s: { id: string }) => s.id === stayId) as {
        nextMilestone: string;
        nextMilestoneAssignee: { userId: string; name: string | null } | null;
      };
    const before = await list();
    expect(before.nextMilestoneAssignee).toBeNull();
    expect((await take(before.nextMilestone, ola())).statusCode).toBe(200);
    expect((await list()).nextMilestoneAssignee).toEqual({ userId: `ola-${run}`, name: 'Ola Bydel' });
  });
});
