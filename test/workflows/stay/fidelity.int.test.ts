import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadModelActivities } from '../../../activities/read-model/sync-stay';
import { createInbox } from '../../../api/plugins/app/inbox';
import { DEFAULT_INTERPRETATIONS } from '../../../rules/interpretations';
import { addOffset, daysBetween, osloDate } from '../../../rules/oslo-calendar';
import {
  agreeDeviationUpdate,
  completeMilestoneUpdate,
  correctRecordUpdate,
  recordEventUpdate,
  staySnapshotQuery,
  stayWorkflowId,
} from '../../../workflows/stay/definitions';
import { StayState } from '../../../workflows/stay/stay-state';
import { stayWorkflow } from '../../../workflows/stay/stay-workflow';
import type { Actor, StayEvent } from '../../../workflows/stay/types';
import { eventually } from '../../support/eventually';
import { startStay } from '../../support/stay-start';
import { startTimeSkippingStack } from '../../support/time-skipping-stack';

/**
 * Rules version 3 on the real workflow, months of timers on the time-skipping server, with the real read model:
 * no alarm a coordinator would call false, and no deadline the Fellesskriv expects left silent.
 */
const inst: Actor = { sub: 'inst-user', role: 'institution', org: 'inst-fid' };
const bydel: Actor = { sub: 'bydel-user', role: 'bydel', org: 'bydel-fid' };
const admin: Actor = { sub: 'admin-user', role: 'admin', org: null };

let env: TestWorkflowEnvironment;
let pool: Pool;
let taskQueue: string;
let stack: Awaited<ReturnType<typeof startTimeSkippingStack>>;

beforeAll(async () => {
  stack = await startTimeSkippingStack('fidelity');
  ({ env, pool, taskQueue } = stack);
});

afterAll(() => stack?.stop());

const today = async () => osloDate(await env.currentTimeMs());

async function start() {
  const { stayId, admittedAt, handle } = await startStay(env, taskQueue, {
    residentRef: 'R-FID',
    institutionId: 'inst-fid',
    bydelId: 'bydel-fid',
    actor: inst,
  });
  const done = async (key: string, actor: Actor = inst, details?: Record<string, unknown>) =>
    handle.executeUpdate(completeMilestoneUpdate, { args: [{ key, doneAt: await today(), details, actor }] });
  const event = (e: StayEvent, actor: Actor = bydel) =>
    handle.executeUpdate(recordEventUpdate, { args: [{ event: e, actor }] });
  return { stayId, admittedAt, handle, done, event };
}

/** Every step raised for the stay, as `milestone:kind:dueDate`, oldest first. */
async function steps(stayId: string, milestone?: string) {
  const { rows } = await pool.query<{ milestone: string; kind: string; due_date: string }>(
    `SELECT milestone, kind, due_date FROM escalations WHERE stay_id = $1 AND ($2::text IS NULL OR milestone = $2)
     ORDER BY created_at, milestone, kind`,
    [stayId, milestone ?? null],
  );
  return rows.map((r) => `${r.milestone}:${r.kind}:${r.due_date}`);
}

const milestoneRow = async (stayId: string, key: string) =>
  (
    await pool.query(
      'SELECT due_date, original_due_date, done_at, applicable, closed_by, silenced_by FROM stay_milestones WHERE stay_id = $1 AND key = $2',
      [stayId, key],
    )
  ).rows[0];

const offer = (date: string): StayEvent => ({
  type: 'housing-offered',
  date,
  hasBooppfolgingDecision: false,
  housingConditionalOnFollowUp: false,
});

describe('housing offered early (time-skipping)', () => {
  it('offer in month 3: no alarm for the housing track at 4, 5 or 6 months; withdrawn, it reopens and raises once', async () => {
    const s = await start();
    await s.done('plan-started');
    await env.sleep('20 days');
    await s.done('housing-mapping', inst, { individualPlan: 'offered' });
    await s.done('first-meeting', inst, { bydelAttended: true });
    await env.sleep('70 days'); // month 3
    await s.event(offer(await today()));
    await env.sleep('100 days'); // past 6 months
    await eventually(async () => {
      const raised = await steps(s.stayId);
      expect(raised.filter((r) => /^(status-report|housing-meeting|applications)/.test(r))).toEqual([]);
      // the exit meeting, which the offer opened, is a real deadline and escalates
      expect(raised).toContain(`exit-meeting:overdue:${addOffset(s.admittedAt, { days: 97 })}`);
    });
    expect(await milestoneRow(s.stayId, 'status-report')).toMatchObject({
      applicable: false,
      closed_by: 'superseded-by-housing-offer',
    });
    expect(await milestoneRow(s.stayId, 'applications')).toMatchObject({
      due_date: null,
      silenced_by: 'no-deadline-after-housing-offer',
    });
    const { rows: history } = await pool.query(
      "SELECT details FROM audit_events WHERE stay_id = $1 AND action = 'event.housing-offered'",
      [s.stayId],
    );
    expect(history[0].details).toMatchObject({ superseded: ['status-report', 'housing-meeting'] });

    // the offer falls through: the track reopens with its original dates, and what is overdue by then is raised once
    await s.handle.executeUpdate(correctRecordUpdate, {
      args: [
        { target: { event: 'housing-offered' }, action: 'withdraw', reason: 'the offer fell through', actor: bydel },
      ],
    });
    expect(await milestoneRow(s.stayId, 'status-report')).toMatchObject({
      applicable: true,
      closed_by: null,
      due_date: addOffset(s.admittedAt, { months: 4 }),
    });
    await env.sleep('2 days');
    const reopened = await steps(s.stayId, 'status-report');
    expect(reopened.filter((r) => r.includes(':overdue:'))).toEqual([
      `status-report:overdue:${addOffset(s.admittedAt, { months: 4 })}`,
    ]);
    await env.sleep('3 days');
    expect((await steps(s.stayId, 'status-report')).filter((r) => r.includes(':overdue:'))).toHaveLength(1);
  });
});

describe('dependent deadlines (time-skipping)', () => {
  it('a first-meeting deviation moves the housing mapping: its ladder runs on the new date only', async () => {
    const s = await start();
    await s.handle.executeUpdate(agreeDeviationUpdate, {
      args: [
        {
          milestone: 'first-meeting',
          dueDate: addOffset(s.admittedAt, { days: 45 }),
          reason: 'resident in hospital',
          agreedBy: 'both',
          onBehalfOfBoth: true,
          actor: inst,
        },
      ],
    });
    expect(await milestoneRow(s.stayId, 'housing-mapping')).toMatchObject({
      due_date: addOffset(s.admittedAt, { days: 45 }),
      original_due_date: addOffset(s.admittedAt, { days: 28 }),
    });
    await env.sleep('47 days');
    await eventually(async () =>
      expect(await steps(s.stayId, 'housing-mapping')).toEqual([
        `housing-mapping:reminder:${addOffset(s.admittedAt, { days: 45 })}`,
        `housing-mapping:overdue:${addOffset(s.admittedAt, { days: 45 })}`,
      ]),
    );
  });
});

describe('the recurring cooperation meeting (time-skipping)', () => {
  it('keeps reminding every two months for eight months without a meeting, never overdue', async () => {
    const s = await start();
    await s.done('plan-started');
    await s.done('housing-mapping', inst, { individualPlan: 'offered' });
    await s.done('first-meeting', inst, { bydelAttended: true });
    await env.sleep('245 days'); // eight months
    const expected = [2, 4, 6, 8].map((m) => `cooperation-meeting:reminder:${addOffset(s.admittedAt, { months: m })}`);
    await eventually(async () => expect(await steps(s.stayId, 'cooperation-meeting')).toEqual(expected));
    const { rows } = await pool.query(
      "SELECT count(*)::int AS n FROM audit_events WHERE stay_id = $1 AND action = 'recurring.due-passed'",
      [s.stayId],
    );
    expect(rows[0].n).toBe(4);
    expect((await milestoneRow(s.stayId, 'cooperation-meeting')).due_date).toBe(
      addOffset(s.admittedAt, { months: 10 }),
    );
  });
});

describe('discharged without a move-in (time-skipping)', () => {
  it('reminds the bydel 14 days after the discharge; ended-early records where the resident went, and the stay closes', async () => {
    const s = await start();
    await s.event(offer(await today()));
    await env.sleep('10 days');
    const discharged = await today();
    await s.event({ type: 'discharged', date: discharged }, inst);
    await env.sleep('15 days');
    await eventually(async () => {
      const { rows } = await pool.query(
        "SELECT kind, due_date, recipient_role FROM escalations WHERE stay_id = $1 AND milestone = 'move-in-recorded'",
        [s.stayId],
      );
      expect(rows).toEqual([
        { kind: 'reminder', due_date: addOffset(discharged, { days: 14 }), recipient_role: 'bydel' },
      ]);
    });
    await s.event({ type: 'ended-early', date: await today(), reason: 'discharged-without-housing' });
    await s.done('final-report', inst, { sentToBydel: true });
    expect((await milestoneRow(s.stayId, 'move-in-recorded')).done_at).toBe(await today());
    const { rows } = await pool.query('SELECT status FROM stays WHERE id = $1', [s.stayId]);
    expect(rows[0].status).toBe('ended');
  });
});

describe('a closed stay (time-skipping)', () => {
  it('an administrator reopens it: the retention wait is left and restarts from the new close', async () => {
    const s = await start();
    await env.sleep('20 days');
    await s.event({ type: 'ended-early', date: await today(), reason: 'left' }, inst);
    await s.done('final-report', inst, { sentToBydel: true });
    const firstClose = await today();
    await env.sleep('100 days');
    await s.handle.executeUpdate(correctRecordUpdate, {
      args: [{ target: { milestone: 'final-report' }, action: 'withdraw', reason: 'wrong stay', actor: admin }],
    });
    expect((await s.handle.query(staySnapshotQuery)).outbox.audit).toEqual([]);
    const { rows: reopened } = await pool.query(
      "SELECT actor_role FROM audit_events WHERE stay_id = $1 AND action = 'stay.reopened'",
      [s.stayId],
    );
    expect(reopened).toEqual([{ actor_role: 'admin' }]);
    await env.sleep('5 days');
    await s.done('final-report', inst, { sentToBydel: true });
    const secondClose = await today();
    await s.handle.result(); // the retention period, counted from the second close
    const { rows } = await pool.query("SELECT at FROM audit_events WHERE stay_id = $1 AND action = 'stay.anonymised'", [
      s.stayId,
    ]);
    const anonymisedOn = osloDate((rows[0].at as Date).getTime());
    expect(daysBetween(secondClose, anonymisedOn)).toBe(365);
    expect(daysBetween(firstClose, anonymisedOn)).toBe(470);
  });
});

describe('one alarm per missed deadline (time-skipping)', () => {
  it('the ladder of one deadline climbs one inbox item: reminder, overdue, second level', async () => {
    const s = await start();
    const inbox = createInbox(pool);
    const items = async (role: 'institution' | 'bydel', org: string) =>
      (
        await inbox.list(
          { sub: `${role}-user`, role, org },
          {
            state: ['open', 'acknowledged'],
            stayId: s.stayId,
            milestone: 'plan-started',
            limit: 50,
            offset: 0,
            sort: 'newest',
          },
        )
      ).items;
    await env.sleep('8 days'); // the reminder, 7 days before day 14
    await eventually(async () =>
      expect((await items('institution', 'inst-fid')).map((i) => `${i.level}:${i.state}`)).toEqual(['reminder:open']),
    );
    const [item] = await items('institution', 'inst-fid');
    await inbox.acknowledge({ sub: 'inst-user', role: 'institution', org: 'inst-fid' }, item!.id);
    await env.sleep('8 days'); // day 16: overdue re-opens it
    await eventually(async () =>
      expect((await items('institution', 'inst-fid')).map((i) => `${i.id}:${i.level}:${i.state}`)).toEqual([
        `${item!.id}:overdue:open`,
      ]),
    );
    await env.sleep('15 days'); // day 31: second level, now the bydel's too
    await eventually(async () => {
      for (const [role, org] of [
        ['institution', 'inst-fid'],
        ['bydel', 'bydel-fid'],
      ] as const) {
        const list = await items(role, org);
        expect(list.map((i) => `${i.id}:${i.level}:${i.state}`)).toEqual([`${item!.id}:second-level:open`]);
        expect(list[0]!.steps.map((st) => st.kind)).toEqual(['reminder', 'overdue', 'second-level']);
      }
    });
    expect(await steps(s.stayId, 'plan-started')).toHaveLength(3);
  });
});

describe('a stay running on the old rules (time-skipping)', () => {
  it('adopts rules version 3 from its next workflow task: the false overdue alarm of an early offer resolves, kept', async () => {
    // what a stay on the old rules carries into a new run (continue-as-new): admitted 4 months and 5 days ago, housing
    // offered in month 3, and the status report's deadline raised as overdue although the offer had made it moot
    const nowMs = await env.currentTimeMs();
    const admittedAt = addOffset(osloDate(nowMs), { months: -4, days: -5 });
    const stayId = randomUUID();
    const old = StayState.register(
      {
        stayId,
        residentRef: 'R-OLD',
        institutionId: 'inst-fid',
        bydelId: 'bydel-fid',
        admittedAt,
        interpretations: DEFAULT_INTERPRETATIONS,
        actor: inst,
      },
      nowMs,
      2,
    );
    old.accept({ type: 'event', event: offer(addOffset(admittedAt, { months: 3 })) }, bydel, nowMs);
    old.raiseEscalations(nowMs, randomUUID);
    const sync = old.toReadModel();
    await createReadModelActivities(pool).syncStayReadModel(sync);
    old.markDelivered(sync);
    const falseAlarm = `status-report:overdue:${addOffset(admittedAt, { months: 4 })}`;
    expect(await steps(stayId, 'status-report')).toEqual([falseAlarm]);
    const inbox = createInbox(pool);
    const state = async () =>
      (
        await inbox.list(
          { sub: 'inst-user', role: 'institution', org: 'inst-fid' },
          {
            state: ['open', 'acknowledged', 'resolved'],
            stayId,
            milestone: 'status-report',
            limit: 10,
            offset: 0,
            sort: 'newest',
          },
        )
      ).items.map((i) => i.state);
    expect(await state()).toEqual(['open']);

    const handle = await env.client.workflow.start(stayWorkflow, {
      workflowId: stayWorkflowId(stayId),
      taskQueue,
      args: [{ continued: old.snapshot }],
    });
    await eventually(async () => expect(await state()).toEqual(['resolved']));
    expect(await milestoneRow(stayId, 'status-report')).toMatchObject({
      applicable: false,
      closed_by: 'superseded-by-housing-offer',
    });
    // resolved, not deleted: the step is still in the escalations and the history says why
    expect(await steps(stayId, 'status-report')).toEqual([falseAlarm]);
    const { rows } = await pool.query(
      "SELECT details FROM audit_events WHERE stay_id = $1 AND action = 'rules.adopted'",
      [stayId],
    );
    expect(rows[0].details).toMatchObject({ from: 2, to: 3, superseded: ['status-report', 'housing-meeting'] });
    expect((await handle.query(staySnapshotQuery)).rulesVersion).toBe(3);
    const { rows: stays } = await pool.query('SELECT rules_version FROM stays WHERE id = $1', [stayId]);
    expect(stays[0].rules_version).toBe(3);
  });
});
