import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INTERPRETATIONS } from '../../../rules/interpretations';
import { addOffset, osloDate } from '../../../rules/oslo-calendar';
import { createActivities } from '../../../activities';
import { completeMilestoneUpdate, staySnapshotQuery, stayWorkflowId } from '../../../workflows/stay/definitions';
import { stayWorkflow } from '../../../workflows/stay/stay-workflow';
import type { Actor, RegisterStayInput } from '../../../workflows/stay/types';
import { testPool } from '../../support/database';
import { eventually } from '../../support/eventually';
import { createTimeSkippingEnv } from '../../../stack/time-skipping';
import { workflowBundle } from '../../support/workflow-bundle';

const staff: Actor = { sub: 'u-1', role: 'institution', org: 'inst-ts' };

let env: TestWorkflowEnvironment;
/** Stays started by a test: terminated after it, since a stay left without a worker holds the time-skipping clock. */
const started: string[] = [];
let pool: Pool;
let bundle: { code: string };

beforeAll(async () => {
  [env, bundle] = await Promise.all([createTimeSkippingEnv(), workflowBundle()]);
  pool = testPool();
});

afterEach(async () => {
  for (const id of started.splice(0))
    await env.client.workflow
      .getHandle(id)
      .terminate('test finished')
      .catch(() => {});
});

afterAll(async () => {
  await env?.teardown();
  await pool?.end();
});

const newWorker = (taskQueue: string, maxCachedWorkflows?: number) =>
  Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities: createActivities({ pool }),
    ...(maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows }),
  });

async function today(): Promise<string> {
  return osloDate(await env.currentTimeMs());
}

/** Escalations of the given kinds (the ladder's reminders and second levels have a test of their own). */
async function escalations(stayId: string, kinds = ['overdue']) {
  const { rows } = await pool.query<{ milestone: string; kind: string; due_date: string }>(
    'SELECT milestone, kind, due_date FROM escalations WHERE stay_id = $1 AND kind = ANY($2) ORDER BY milestone, kind',
    [stayId, kinds],
  );
  return rows.map((r) => `${r.milestone}:${r.kind}:${r.due_date}`);
}

async function startStay(taskQueue: string, admittedAt: string) {
  const stayId = randomUUID();
  const input: RegisterStayInput = {
    stayId,
    residentRef: 'R-TS-1',
    institutionId: 'inst-ts',
    bydelId: 'bydel-ts',
    admittedAt,
    interpretations: DEFAULT_INTERPRETATIONS,
    actor: staff,
  };
  const handle = await env.client.workflow.start(stayWorkflow, {
    workflowId: stayWorkflowId(stayId),
    taskQueue,
    args: [{ register: input }],
  });
  started.push(handle.workflowId);
  return { stayId, handle };
}

describe('stayWorkflow on the time-skipping server', () => {
  it('runs six months of §2 deadlines: one overdue escalation per missed deadline, completions via Update', async () => {
    const taskQueue = `ts-${randomUUID()}`;
    const worker = await newWorker(taskQueue);
    await worker.runUntil(async () => {
      const admittedAt = await today();
      const { stayId, handle } = await startStay(taskQueue, admittedAt);
      await eventually(async () => {
        const { rows } = await pool.query('SELECT count(*)::int AS n FROM stay_milestones WHERE stay_id = $1', [
          stayId,
        ]);
        expect(rows[0].n).toBe(7);
      });

      await handle.executeUpdate(completeMilestoneUpdate, {
        args: [{ key: 'plan-started', doneAt: admittedAt, actor: staff }],
      });

      // day 29: the mapping and the first meeting (due day 28) are overdue; the stay plan was on time
      await env.sleep('29 days');
      await eventually(async () =>
        expect(await escalations(stayId)).toEqual([
          `first-meeting:overdue:${addOffset(admittedAt, { days: 28 })}`,
          `housing-mapping:overdue:${addOffset(admittedAt, { days: 28 })}`,
        ]),
      );

      const day29 = await today();
      // refused in the validator: no update is accepted into history, the state does not move
      const acceptedUpdates = async () =>
        (await handle.fetchHistory()).events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
      const before = await acceptedUpdates();
      const revisionBefore = (await handle.query(staySnapshotQuery)).revision;
      const refused = await handle
        .executeUpdate(completeMilestoneUpdate, { args: [{ key: 'first-meeting', doneAt: day29, actor: staff }] })
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
      expect(((refused as WorkflowUpdateFailedError).cause as ApplicationFailure).type).toBe('prerequisite-missing');
      expect(await acceptedUpdates()).toBe(before);
      expect((await handle.query(staySnapshotQuery)).revision).toBe(revisionBefore);

      await handle.executeUpdate(completeMilestoneUpdate, {
        args: [{ key: 'housing-mapping', doneAt: day29, details: { individualPlan: 'offered' }, actor: staff }],
      });
      await handle.executeUpdate(completeMilestoneUpdate, {
        args: [{ key: 'first-meeting', doneAt: day29, actor: staff }],
      });
      const { rows: done } = await pool.query(
        'SELECT key, done_at FROM stay_milestones WHERE stay_id = $1 AND done_at IS NOT NULL ORDER BY key',
        [stayId],
      );
      expect(done).toEqual([
        { key: 'first-meeting', done_at: day29 },
        { key: 'housing-mapping', done_at: day29 },
        { key: 'plan-started', done_at: admittedAt },
      ]);

      // past six months: status report, housing meeting, applications overdue; cooperation meeting only reminded
      await env.sleep('160 days');
      await eventually(async () =>
        expect(await escalations(stayId, ['overdue', 'reminder'])).toEqual([
          `applications:overdue:${addOffset(admittedAt, { months: 6 })}`,
          `applications:reminder:${addOffset(admittedAt, { months: 6 })}`,
          // no cooperation meeting recorded: a new reminder every interval (rules version 3)
          `cooperation-meeting:reminder:${addOffset(day29, { months: 2 })}`,
          `cooperation-meeting:reminder:${addOffset(day29, { months: 4 })}`,
          `first-meeting:overdue:${addOffset(admittedAt, { days: 28 })}`,
          `first-meeting:reminder:${addOffset(admittedAt, { days: 28 })}`,
          `housing-mapping:overdue:${addOffset(admittedAt, { days: 28 })}`,
          `housing-mapping:reminder:${addOffset(admittedAt, { days: 28 })}`,
          `housing-meeting:overdue:${addOffset(admittedAt, { months: 5 })}`,
          `housing-meeting:reminder:${addOffset(admittedAt, { months: 5 })}`,
          `status-report:overdue:${addOffset(admittedAt, { months: 4 })}`,
          `status-report:reminder:${addOffset(admittedAt, { months: 4 })}`,
        ]),
      );
      const snapshot = await handle.query(staySnapshotQuery);
      expect(snapshot.outbox).toEqual({ audit: [], escalations: [] });
      const { rows: audit } = await pool.query('SELECT count(*)::int AS n FROM audit_events WHERE stay_id = $1', [
        stayId,
      ]);
      expect(audit[0].n).toBe(snapshot.auditSeq);
    });
  });

  it('loses nothing and raises nothing twice across a worker restart', async () => {
    const taskQueue = `ts-${randomUUID()}`;
    const admittedAt = await today();
    let stayId = '';
    // No sticky cache on the worker that goes away: the time-skipping server would hold the clock for a
    // workflow task routed to the stopped worker's sticky queue.
    const first = await newWorker(taskQueue, 0);
    await first.runUntil(async () => {
      ({ stayId } = await startStay(taskQueue, admittedAt));
      await env.sleep('15 days');
      await eventually(async () =>
        expect(await escalations(stayId)).toEqual([`plan-started:overdue:${addOffset(admittedAt, { days: 14 })}`]),
      );
    });

    // a new worker has no cache: it rebuilds the stay by replaying its history, then carries on
    const second = await newWorker(taskQueue);
    await second.runUntil(async () => {
      await env.sleep('20 days');
      await eventually(async () =>
        expect(await escalations(stayId)).toEqual([
          `first-meeting:overdue:${addOffset(admittedAt, { days: 28 })}`,
          `housing-mapping:overdue:${addOffset(admittedAt, { days: 28 })}`,
          `plan-started:overdue:${addOffset(admittedAt, { days: 14 })}`,
        ]),
      );
    });
    const { rows } = await pool.query(
      'SELECT count(*)::int AS n FROM audit_events WHERE stay_id = $1 AND action = $2',
      [stayId, 'escalation.overdue'],
    );
    expect(rows[0].n).toBe(3);
    const { rows: all } = await pool.query(
      'SELECT count(*)::int AS n, count(DISTINCT (milestone, kind, due_date))::int AS d FROM escalations WHERE stay_id = $1',
      [stayId],
    );
    expect(all[0].n).toBe(all[0].d);
  });

  it('writes an escalation once when the worker crashes after the write but before reporting it', async () => {
    const taskQueue = `ts-${randomUUID()}`;
    const real = createActivities({ pool });
    let crashes = 0;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: bundle,
      maxCachedWorkflows: 0,
      activities: {
        // the write lands, then the activity "dies" before Temporal hears of it: Temporal runs it again
        async syncStayReadModel(sync: Parameters<typeof real.syncStayReadModel>[0]) {
          await real.syncStayReadModel(sync);
          if (sync.escalations.length > 0 && crashes < 2) {
            crashes++;
            throw new Error('simulated crash after the write');
          }
        },
      },
    });
    await worker.runUntil(async () => {
      const admittedAt = await today();
      const { stayId } = await startStay(taskQueue, admittedAt);
      await env.sleep('15 days');
      await eventually(async () => expect(crashes).toBe(2));
      await eventually(async () => {
        // registered, reminder (day 7), overdue (day 15)
        const { rows } = await pool.query('SELECT count(*)::int AS n FROM audit_events WHERE stay_id = $1', [stayId]);
        expect(rows[0].n).toBe(3);
      });
      expect(await escalations(stayId)).toEqual([`plan-started:overdue:${addOffset(admittedAt, { days: 14 })}`]);
    });
  });
});
