import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../../activities';
import { addOffset, osloDate } from '../../../rules/oslo-calendar';
import { createTimeSkippingEnv } from '../../../stack/time-skipping';
import { completeMilestoneUpdate } from '../../../workflows/stay/definitions';
import type { stayWorkflow } from '../../../workflows/stay/stay-workflow';
import type { Actor } from '../../../workflows/stay/types';
import { testPool } from '../../support/database';
import { eventually } from '../../support/eventually';
import { startStay } from '../../support/stay-start';
import { fourthReleaseBundle } from '../../support/fourth-release/bundle';
import { workflowBundle } from '../../support/workflow-bundle';

const staff: Actor = { sub: 'u-local', role: 'institution', org: 'inst-local' };

let env: TestWorkflowEnvironment;
let pool: Pool;
let current: { code: string };
let fourth: { code: string };

beforeAll(async () => {
  [env, current, fourth] = await Promise.all([createTimeSkippingEnv(), workflowBundle(), fourthReleaseBundle()]);
  pool = testPool();
});

afterAll(async () => {
  await env?.teardown();
  await pool?.end();
});

/** What the stay's history shows about how the read model was written. */
async function writes(handle: WorkflowHandle) {
  const events = (await handle.fetchHistory()).events ?? [];
  const names = (e: (typeof events)[number]) => e.markerRecordedEventAttributes?.markerName ?? '';
  const details = (e: (typeof events)[number]) =>
    Object.values(e.markerRecordedEventAttributes?.details ?? {})
      .flatMap((p) => p.payloads ?? [])
      .map((p) => Buffer.from(p.data ?? []).toString('utf8'))
      .join(' ');
  return {
    activityTasks: events.filter((e) => e.activityTaskScheduledEventAttributes).length,
    localActivities: events.filter((e) => names(e) === 'core_local_activity').length,
    patched: events.some((e) => names(e) === 'core_patch' && details(e).includes('read-model-local-v5')),
    events,
  };
}

const doneAt = async (stayId: string) =>
  (
    await pool.query<{ key: string; done_at: string }>(
      'SELECT key, done_at FROM stay_milestones WHERE stay_id = $1 AND done_at IS NOT NULL ORDER BY key',
      [stayId],
    )
  ).rows.map((r) => `${r.key}:${r.done_at}`);

describe('the read model written by a local activity (read-model-local-v5)', () => {
  it('lets a stay started by a fourth-release worker take commands and raise escalations after the upgrade', async () => {
    const taskQueue = `local-${randomUUID()}`;
    let stayId!: string;
    const admittedAt = osloDate(await env.currentTimeMs());
    let handle!: WorkflowHandle<typeof stayWorkflow>;

    // No sticky cache on the worker that goes away: the time-skipping server would hold the clock for a workflow
    // task routed to the stopped worker's sticky queue.
    const old = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: fourth,
      activities: createActivities({ pool }),
      maxCachedWorkflows: 0,
    });
    await old.runUntil(async () => {
      ({ stayId, handle } = await startStay(env, taskQueue, {
        residentRef: 'R-LOCAL-1',
        institutionId: 'inst-local',
        bydelId: 'bydel-local',
        admittedAt,
        actor: staff,
      }));
      await handle.executeUpdate(completeMilestoneUpdate, {
        args: [{ key: 'plan-started', doneAt: admittedAt, actor: staff }],
      });
      expect(await doneAt(stayId)).toEqual([`plan-started:${admittedAt}`]);
    });
    const before = await writes(handle);
    // one activity task per write, or one for both when the Update reached the stay's first workflow task together
    // with its start (on a busy machine it does)
    expect(before.activityTasks).toBeGreaterThanOrEqual(1);
    expect(before.localActivities).toBe(0);
    expect(before.patched).toBe(false);

    // the upgraded worker replays the fourth release's activity tasks, then writes locally from its next task on
    const upgraded = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: current,
      activities: createActivities({ pool }),
    });
    await upgraded.runUntil(async () => {
      const day = osloDate(await env.currentTimeMs());
      await handle.executeUpdate(completeMilestoneUpdate, {
        args: [{ key: 'housing-mapping', doneAt: day, details: { individualPlan: 'exists' }, actor: staff }],
      });
      expect(await doneAt(stayId)).toEqual([`housing-mapping:${day}`, `plan-started:${admittedAt}`]);
      // the first meeting (due day 28) is missed: its escalation is written by the local activity too
      await env.sleep('29 days');
      await eventually(async () => {
        const { rows } = await pool.query<{ milestone: string; kind: string; due_date: string }>(
          "SELECT milestone, kind, due_date FROM escalations WHERE stay_id = $1 AND kind = 'overdue'",
          [stayId],
        );
        expect(rows.map((r) => `${r.milestone}:${r.kind}:${r.due_date}`)).toEqual([
          `first-meeting:overdue:${addOffset(admittedAt, { days: 28 })}`,
        ]);
      });
    });
    const after = await writes(handle);
    expect(after.activityTasks).toBe(before.activityTasks);
    expect(after.localActivities).toBeGreaterThanOrEqual(2);
    expect(after.patched).toBe(true);

    // the whole history, both paths, replays with today's code
    await Worker.runReplayHistory({ workflowBundle: current }, { events: after.events }, handle.workflowId);
    await handle.terminate('test finished');
  });
});
