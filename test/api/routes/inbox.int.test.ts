import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadModelActivities } from '../../../activities/read-model/sync-stay';
import { addOffset, osloDate } from '../../../rules/oslo-calendar';
import type { EscalationRecord, ReadModelSync } from '../../../workflows/stay/types';
import { startApiHarness, type Harness } from '../../support/api-harness';
import { registerOrganisations } from '../../support/organisations';
import { registerStay } from '../../support/stays';
import { eventually } from '../../support/eventually';

let h: Harness;
beforeAll(async () => {
  h = await startApiHarness();
  await registerOrganisations(h, BYDEL, NEW_BYDEL);
});
afterAll(() => h?.close());

const INST = 'inst-inbox';
const BYDEL = 'bydel-inbox';
const NEW_BYDEL = 'bydel-inbox-new';
const today = () => osloDate(Date.now());
type Item = {
  id: string;
  milestone: string;
  kind: string;
  level: string;
  state: string;
  recipient: string;
  assignedTo: string | null;
  escalationId: string;
  steps: { id: string; kind: string }[];
};
const inbox = async (headers: Record<string, string>, query = '') => {
  const res = await h.app.inject({ url: `/api/inbox${query}`, headers });
  expect(res.statusCode).toBe(200);
  return res.json() as { items: Item[]; total: number; counts: Record<string, number> };
};

describe('GET /api/inbox', () => {
  it('shows each organisation what is addressed to it, lets it acknowledge and assign, and resolves on completion', async () => {
    const admittedAt = addOffset(today(), { days: -45 });
    const stay = await registerStay(h, { residentRef: 'R-INBOX', institutionId: INST, bydelId: BYDEL, admittedAt });
    const q = `?stayId=${stay.id}`;
    // day 45: plan-started (day 14) and the 28-day milestones overdue, and 14 days later at the second level: one item
    // per deadline, at its highest level, with both steps
    const inst = await eventually(async () => {
      const list = await inbox(h.auth('institution', INST), q);
      expect(list.items.map((i) => `${i.milestone}:${i.level}`).sort()).toEqual([
        'first-meeting:second-level',
        'housing-mapping:second-level',
        'plan-started:second-level',
      ]);
      return list;
    });
    expect(inst.counts).toEqual({ open: 3, acknowledged: 0, resolved: 0 });
    for (const item of inst.items) expect(item.steps.map((s) => s.kind)).toEqual(['overdue', 'second-level']);

    // the bydel sees the second level (addressed to both), not the institution's own overdue items
    const bydel = await inbox(h.auth('bydel', BYDEL), q);
    expect(bydel.items.map((i) => `${i.milestone}:${i.level}:${i.recipient}`).sort()).toEqual([
      'first-meeting:second-level:both',
      'housing-mapping:second-level:both',
      'plan-started:second-level:both',
    ]);
    expect((await inbox(h.auth('bydel', 'bydel-elsewhere'), q)).items).toEqual([]);

    const item = bydel.items.find((i) => i.milestone === 'plan-started')!;
    const outsider = await h.app.inject({
      method: 'POST',
      url: `/api/inbox/${item.id}/acknowledge`,
      headers: h.auth('bydel', 'bydel-elsewhere'),
    });
    expect(outsider.statusCode).toBe(404);
    const ack = await h.app.inject({
      method: 'POST',
      url: `/api/inbox/${item.id}/acknowledge`,
      headers: h.auth('bydel', BYDEL),
    });
    expect(ack.json()).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'user-bydel' });
    const assigned = await h.app.inject({
      method: 'POST',
      url: `/api/inbox/${item.id}/assign`,
      headers: h.auth('bydel', BYDEL),
    });
    expect(assigned.json()).toMatchObject({ assignedTo: 'user-bydel', state: 'acknowledged' });
    expect((await inbox(h.auth('bydel', BYDEL), q)).counts).toEqual({ open: 2, acknowledged: 1, resolved: 0 });
    // GET /api/escalations keeps each step as its own record
    const steps = await h.app.inject({ url: `/api/escalations?stayId=${stay.id}`, headers: h.auth('admin') });
    expect(steps.json().total).toBe(6);

    // completing the milestone resolves every item about it
    const done = await h.app.inject({
      method: 'POST',
      url: `/api/stays/${stay.id}/milestones/plan-started`,
      headers: h.auth('institution', INST),
      payload: { doneAt: today() },
    });
    expect(done.statusCode).toBe(200);
    const after = await inbox(h.auth('institution', INST), q);
    expect(after.items.map((i) => i.milestone)).not.toContain('plan-started');
    expect(after.counts.resolved).toBe(1);
    const resolved = await inbox(h.auth('institution', INST), `${q}&state=resolved`);
    expect(resolved.items.every((i) => i.milestone === 'plan-started' && i.state === 'resolved')).toBe(true);
    expect((await h.app.inject({ url: '/api/inbox?state=closed', headers: h.auth('bydel', BYDEL) })).statusCode).toBe(
      400,
    );
  });
});

describe('one alarm per missed deadline', () => {
  const milestoneRow = (dueDate: string) => ({
    key: 'status-report' as const,
    dueDate,
    originalDueDate: null,
    doneAt: null,
    applicable: true,
    recurring: false,
    escalates: true,
    responsible: 'institution' as const,
    details: null,
    deviation: null,
    closedBy: null,
    position: 3,
  });

  /** Writes what the stay workflow writes when its ladder climbs: the stay, its milestone and the new step. */
  async function raise(stayId: string, revision: number, step: Pick<EscalationRecord, 'kind' | 'recipient'>) {
    const now = new Date().toISOString();
    const sync: ReadModelSync = {
      stay: {
        id: stayId,
        residentRef: 'R-ALARM',
        institutionId: INST,
        bydelId: BYDEL,
        admittedAt: '2026-01-05',
        status: 'active',
        convener: 'institution',
        revision,
        createdAt: now,
        updatedAt: now,
      },
      milestones: [milestoneRow('2026-05-05')],
      audit: [],
      escalations: [{ id: randomUUID(), milestone: 'status-report', dueDate: '2026-05-05', createdAt: now, ...step }],
    };
    await createReadModelActivities(h.pool).syncStayReadModel(sync);
    return sync.escalations[0]!.id;
  }

  it('climbs one item from reminder to overdue to second level; a higher level re-opens an acknowledged deadline', async () => {
    const stayId = randomUUID();
    const q = `?stayId=${stayId}&state=open,acknowledged,resolved`;
    const reminder = await raise(stayId, 1, { kind: 'reminder', recipient: 'institution' });
    let [item] = (await inbox(h.auth('institution', INST), q)).items;
    expect(item).toMatchObject({ id: reminder, level: 'reminder', state: 'open', escalationId: reminder });

    const ack = await h.app.inject({
      method: 'POST',
      url: `/api/inbox/${reminder}/acknowledge`,
      headers: h.auth('institution', INST),
    });
    expect(ack.json()).toMatchObject({ state: 'acknowledged', level: 'reminder' });

    const overdue = await raise(stayId, 2, { kind: 'overdue', recipient: 'institution' });
    const list = await inbox(h.auth('institution', INST), q);
    expect(list.items).toHaveLength(1);
    [item] = list.items;
    expect(item).toMatchObject({
      id: reminder,
      level: 'overdue',
      kind: 'overdue',
      state: 'open',
      escalationId: overdue,
    });
    expect(item!.steps.map((s) => s.kind)).toEqual(['reminder', 'overdue']);
    // the bydel is not addressed until the second level
    expect((await inbox(h.auth('bydel', BYDEL), q)).items).toEqual([]);

    // taken by the institution; acknowledged through the id of its overdue step (an id handed out per step before)
    await h.app.inject({ method: 'POST', url: `/api/inbox/${reminder}/assign`, headers: h.auth('institution', INST) });
    const byStep = await h.app.inject({
      method: 'POST',
      url: `/api/inbox/${overdue}/acknowledge`,
      headers: h.auth('institution', INST),
    });
    expect(byStep.json()).toMatchObject({ id: reminder, state: 'acknowledged', level: 'overdue' });

    const second = await raise(stayId, 3, { kind: 'second-level', recipient: 'both' });
    for (const [role, org] of [
      ['institution', INST],
      ['bydel', BYDEL],
    ] as const) {
      const items = (await inbox(h.auth(role, org), q)).items;
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({
        id: reminder,
        level: 'second-level',
        recipient: 'both',
        state: 'open',
        escalationId: second,
        assignedTo: 'user-institution',
      });
    }
    expect((await inbox(h.auth('institution', INST), `?stayId=${stayId}&kind=overdue`)).items).toEqual([]);

    // a retried write of the same step changes nothing
    const before = (await inbox(h.auth('institution', INST), q)).items;
    await raise(stayId, 3, { kind: 'second-level', recipient: 'both' });
    expect((await inbox(h.auth('institution', INST), q)).items).toEqual(before);

    // GET /api/escalations keeps each step as its own record
    const steps = await h.app.inject({ url: `/api/escalations?stayId=${stayId}`, headers: h.auth('admin') });
    expect(
      steps
        .json()
        .items.map((e: { kind: string }) => e.kind)
        .sort(),
    ).toEqual(['overdue', 'reminder', 'second-level']);
  });

  it('records who took a deadline over from whom, and who acknowledged it, once each', async () => {
    const stayId = randomUUID();
    const [kari, ola] = ['Kari Koordinator', 'Ola Oppfølger'].map((name, i) => ({
      authorization: `Bearer ${h.app.jwt.sign({ sub: `inbox-audit-${i}`, role: 'institution', org: INST, name })}`,
    }));
    const alarm = await raise(stayId, 1, { kind: 'overdue', recipient: 'institution' });
    const post = (action: 'assign' | 'acknowledge', headers: Record<string, string>) =>
      h.app.inject({ method: 'POST', url: `/api/inbox/${alarm}/${action}`, headers });
    for (const [action, headers] of [
      ['assign', kari],
      ['assign', kari], // taking what one holds changes nothing
      ['acknowledge', kari],
      ['acknowledge', ola], // the first acknowledgement holds
      ['assign', ola],
    ] as const)
      expect((await post(action, headers)).statusCode).toBe(200);

    const history = await h.app.inject({
      url: `/api/stays/${stayId}/history?action=escalation`,
      headers: h.auth('admin'),
    });
    expect(history.statusCode).toBe(200);
    const entries = (
      history.json().items as { action: string; milestone: string; actor: { sub: string }; details: unknown }[]
    ).filter((e) => e.action === 'escalation.taken' || e.action === 'escalation.acknowledged');
    const kariView = { userId: 'inbox-audit-0', name: 'Kari Koordinator' };
    expect(entries.map((e) => [e.action, e.milestone, e.actor.sub, e.details])).toEqual([
      [
        'escalation.taken',
        'status-report',
        'inbox-audit-0',
        { dueDate: '2026-05-05', level: 'overdue', from: null, to: kariView },
      ],
      ['escalation.acknowledged', 'status-report', 'inbox-audit-0', { dueDate: '2026-05-05', level: 'overdue' }],
      [
        'escalation.taken',
        'status-report',
        'inbox-audit-1',
        {
          dueDate: '2026-05-05',
          level: 'overdue',
          from: kariView,
          to: { userId: 'inbox-audit-1', name: 'Ola Oppfølger' },
        },
      ],
    ]);
    // another organisation can neither take it nor leave a trace
    const outsider = await h.app.inject({
      method: 'POST',
      url: `/api/inbox/${alarm}/assign`,
      headers: h.auth('institution', 'inst-elsewhere'),
    });
    expect(outsider.statusCode).toBe(404);
    // an administrator sees the alarm but follows none up: neither taking nor acknowledging it
    for (const action of ['assign', 'acknowledge'] as const) {
      const admin = await post(action, h.auth('admin'));
      expect(admin.statusCode).toBe(403);
      expect(admin.headers['content-type']).toContain('application/problem+json');
      expect(admin.json().detail).toMatch(/institution or bydel/);
    }
    const again = await h.app.inject({
      url: `/api/stays/${stayId}/history?action=escalation`,
      headers: h.auth('admin'),
    });
    expect(again.json().items).toHaveLength(history.json().items.length);
  });
});

describe('the inbox after a bydel change', () => {
  it("moves what is open to the new bydel, and takes what is settled out of the old bydel's inbox", async () => {
    const stay = await registerStay(h, {
      residentRef: 'R-INBOX-2',
      institutionId: INST,
      bydelId: BYDEL,
      admittedAt: addOffset(today(), { days: -45 }),
    });
    const q = `?stayId=${stay.id}&state=open,acknowledged,resolved`;
    await eventually(async () => expect((await inbox(h.auth('bydel', BYDEL), q)).items).toHaveLength(3));
    // settle plan-started, then hand the stay over
    const done = await h.app.inject({
      method: 'POST',
      url: `/api/stays/${stay.id}/milestones/plan-started`,
      headers: h.auth('institution', INST),
      payload: { doneAt: today() },
    });
    expect(done.statusCode).toBe(200);
    const handedOver = await h.app.inject({
      method: 'POST',
      url: `/api/stays/${stay.id}/events/bydel-changed`,
      headers: h.auth('bydel', BYDEL),
      payload: { date: today(), bydelId: NEW_BYDEL },
    });
    expect(handedOver.statusCode, handedOver.body).toBe(200);
    const old = await inbox(h.auth('bydel', BYDEL), q);
    expect(old.items).toEqual([]);
    expect(old.counts).toEqual({ open: 0, acknowledged: 0, resolved: 0 });
    expect((await inbox(h.auth('bydel', NEW_BYDEL), q)).items.map((i) => `${i.milestone}:${i.state}`).sort()).toEqual([
      'first-meeting:open',
      'housing-mapping:open',
    ]);
  });
});
