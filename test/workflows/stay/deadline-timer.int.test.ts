import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../../activities';
import { addOffset, osloDate, overdueFrom } from '../../../rules/oslo-calendar';
import { createTimeSkippingEnv } from '../../../stack/time-skipping';
import { agreeDeviationUpdate, completeMilestoneUpdate } from '../../../workflows/stay/definitions';
import type { Actor } from '../../../workflows/stay/types';
import { testPool } from '../../support/database';
import { eventually } from '../../support/eventually';
import { startStay, untilRegistered } from '../../support/stay-start';
import { fifthReleaseBundle } from '../../support/fifth-release/bundle';
import { workflowBundle } from '../../support/workflow-bundle';

const { EventType } = temporal.api.enums.v1;
const staff: Actor = { sub: 'u-timer', role: 'institution', org: 'inst-timer' };

let env: TestWorkflowEnvironment;
let pool: Pool;
let current: { code: string };
let fifth: { code: string };

beforeAll(async () => {
  [env, current, fifth] = await Promise.all([createTimeSkippingEnv(), workflowBundle(), fifthReleaseBundle()]);
  pool = testPool();
});

afterAll(async () => {
  await env?.teardown();
  await pool?.end();
});

const worker = (taskQueue: string, workflowBundle: { code: string }, maxCachedWorkflows?: number) =>
  Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle,
    activities: createActivities({ pool }),
    ...(maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows }),
  });

async function start(taskQueue: string) {
  const { stayId, admittedAt, handle } = await startStay(env, taskQueue, {
    residentRef: 'R-TIMER-1',
    institutionId: 'inst-timer',
    bydelId: 'bydel-timer',
    actor: staff,
  });
  // registered (its first workflow task done, its first timer set) before any command arrives
  await untilRegistered(pool, stayId);
  return { stayId, admittedAt, handle };
}

/** The timer events of the workflow task that answered each Update (sorted), in the order the Updates came. */
async function timersPerUpdate(handle: WorkflowHandle) {
  const events = (await handle.fetchHistory()).events ?? [];
  const perUpdate: string[][] = [];
  let current: string[] | null = null;
  for (const e of events) {
    // within one workflow task the order of a new timer and the cancelled one is the SDK's: compare them sorted
    if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED) current = [];
    else if (e.eventType === EventType.EVENT_TYPE_TIMER_STARTED) current?.push('started');
    else if (e.eventType === EventType.EVENT_TYPE_TIMER_CANCELED) current?.push('canceled');
    else if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED && current) {
      perUpdate.push(current.sort());
      current = null;
    }
  }
  return { perUpdate, events };
}

/** When the stay raised the escalation: the workflow task that ran once the timer fired, within a minute of it. */
async function raisedAt(stayId: string, milestone: string, kind: string): Promise<number> {
  const { rows } = await pool.query<{ created_at: Date }>(
    'SELECT created_at FROM escalations WHERE stay_id = $1 AND milestone = $2 AND kind = $3',
    [stayId, milestone, kind],
  );
  expect(rows).toHaveLength(1);
  return rows[0]!.created_at.getTime();
}

const withinAMinuteOf = (instant: number) => ({
  asymmetricMatch: (at: number) => at >= instant && at < instant + 60_000,
  toString: () => `within a minute of ${new Date(instant).toISOString()}`,
});

describe("the stay's deadline timer (deadline-timer-v6)", () => {
  it('is kept by a command that moves the next deadline later, and replaced by one that brings it earlier', async () => {
    const taskQueue = `timer-${randomUUID()}`;
    await (await worker(taskQueue, current)).runUntil(async () => {
      const { stayId, admittedAt, handle } = await start(taskQueue);
      // the next deadline is plan-started's reminder (day 7); completing it moves the next one to day 21
      await handle.executeUpdate(completeMilestoneUpdate, {
        args: [{ key: 'plan-started', doneAt: admittedAt, actor: staff }],
      });
      // the first meeting is agreed for day 3: overdue from day 4, before the running timer
      const agreed = addOffset(admittedAt, { days: 3 });
      await handle.executeUpdate(agreeDeviationUpdate, {
        args: [
          {
            milestone: 'first-meeting',
            dueDate: agreed,
            reason: 'agreed',
            agreedBy: 'both',
            onBehalfOfBoth: true,
            actor: staff,
          },
        ],
      });
      expect((await timersPerUpdate(handle)).perUpdate).toEqual([[], ['canceled', 'started']]);

      await env.sleep('5 days');
      await eventually(async () =>
        expect(await raisedAt(stayId, 'first-meeting', 'overdue')).toEqual(withinAMinuteOf(overdueFrom(agreed))),
      );
      await handle.terminate('test finished');
    });
  });

  it('lets a stay started by a fifth-release worker complete a milestone after the upgrade, deadlines on time', async () => {
    const taskQueue = `timer-upgrade-${randomUUID()}`;
    let stay!: Awaited<ReturnType<typeof start>>;
    // No sticky cache on the worker that goes away: the time-skipping server would hold the clock for a workflow
    // task routed to the stopped worker's sticky queue.
    await (await worker(taskQueue, fifth, 0)).runUntil(async () => {
      stay = await start(taskQueue);
      await stay.handle.executeUpdate(completeMilestoneUpdate, {
        args: [{ key: 'plan-started', doneAt: stay.admittedAt, actor: staff }],
      });
    });
    // the fifth release cancelled its timer and started another for each pass
    expect((await timersPerUpdate(stay.handle)).perUpdate).toEqual([['canceled', 'started']]);

    await (await worker(taskQueue, current)).runUntil(async () => {
      const day = osloDate(await env.currentTimeMs());
      await stay.handle.executeUpdate(completeMilestoneUpdate, {
        args: [{ key: 'housing-mapping', doneAt: day, details: { individualPlan: 'exists' }, actor: staff }],
      });
      const done = await pool.query<{ key: string }>(
        'SELECT key FROM stay_milestones WHERE stay_id = $1 AND done_at IS NOT NULL ORDER BY key',
        [stay.stayId],
      );
      expect(done.rows.map((r) => r.key)).toEqual(['housing-mapping', 'plan-started']);
      // a later command moves a deadline later: the timer the upgraded worker set is kept
      await stay.handle.executeUpdate(agreeDeviationUpdate, {
        args: [
          {
            milestone: 'status-report',
            dueDate: addOffset(stay.admittedAt, { days: 150 }),
            reason: 'agreed',
            agreedBy: 'both',
            onBehalfOfBoth: true,
            actor: staff,
          },
        ],
      });
      // the first meeting (due day 28) is missed: raised at 00:00 on day 29, not later
      await env.sleep('29 days');
      await eventually(async () =>
        expect(await raisedAt(stay.stayId, 'first-meeting', 'overdue')).toEqual(
          withinAMinuteOf(overdueFrom(addOffset(stay.admittedAt, { days: 28 }))),
        ),
      );
    });
    const { perUpdate, events } = await timersPerUpdate(stay.handle);
    // the first command after the upgrade leaves the fifth release's wait (its timer cancelled) for the kept timer
    expect(perUpdate).toEqual([['canceled', 'started'], ['canceled', 'started'], []]);
    // the whole history, both paths, replays with today's code
    await Worker.runReplayHistory({ workflowBundle: current }, { events }, stay.handle.workflowId);
    await stay.handle.terminate('test finished');
  });
});
