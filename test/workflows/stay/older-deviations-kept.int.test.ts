import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../../activities';
import { addOffset, osloDate } from '../../../rules/oslo-calendar';
import { createTimeSkippingEnv } from '../../../stack/time-skipping';
import { agreeDeviationUpdate, completeMilestoneUpdate } from '../../../workflows/stay/definitions';
import type { stayWorkflow } from '../../../workflows/stay/stay-workflow';
import type { Actor } from '../../../workflows/stay/types';
import { testPool } from '../../support/database';
import { eventually } from '../../support/eventually';
import { startStay } from '../../support/stay-start';
import { rulesV2ReleaseBundle } from '../../../stack/earlier-releases/bundle';
import { workflowBundle } from '../../support/workflow-bundle';

const staff: Actor = { sub: 'u-older-dev', role: 'institution', org: 'inst-older-dev' };

let env: TestWorkflowEnvironment;
let pool: Pool;
let current: { code: string };
let rulesV2: { code: string };

beforeAll(async () => {
  [env, current, rulesV2] = await Promise.all([createTimeSkippingEnv(), workflowBundle(), rulesV2ReleaseBundle()]);
  pool = testPool();
});

afterAll(async () => {
  await env?.teardown();
  await pool?.end();
});

const planStarted = async (stayId: string) =>
  (
    await pool.query<{ due_date: string; pending_deviation: unknown; rules_version: number }>(
      `SELECT m.due_date, m.pending_deviation, s.rules_version FROM stay_milestones m JOIN stays s ON s.id = m.stay_id
       WHERE m.stay_id = $1 AND m.key = 'plan-started'`,
      [stayId],
    )
  ).rows[0];

describe('a deviation agreed by both under rules version 2 (older-deviations-kept-v8)', () => {
  it('keeps its date when the stay adopts rules version 3 after the upgrade: no alarm for the date it moved', async () => {
    const taskQueue = `older-dev-${randomUUID()}`;
    let stayId!: string;
    const admittedAt = osloDate(await env.currentTimeMs());
    const agreed = addOffset(admittedAt, { days: 30 });
    let handle!: WorkflowHandle<typeof stayWorkflow>;

    // no sticky cache on the worker that goes away (see read-model-local.int.test.ts)
    const old = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: rulesV2,
      activities: createActivities({ pool }),
      maxCachedWorkflows: 0,
    });
    await old.runUntil(async () => {
      ({ stayId, handle } = await startStay(env, taskQueue, {
        residentRef: 'R-OLDER-DEV-1',
        institutionId: 'inst-older-dev',
        bydelId: 'bydel-older-dev',
        admittedAt,
        actor: staff,
      }));
      // rules version 2: the institution records the deviation agreed by both, and the date moves at once
      await handle.executeUpdate(agreeDeviationUpdate, {
        args: [
          {
            milestone: 'plan-started',
            dueDate: agreed,
            reason: 'agreed in the meeting',
            agreedBy: 'both',
            actor: staff,
          },
        ],
      });
      await eventually(async () =>
        expect(await planStarted(stayId)).toEqual({ due_date: agreed, pending_deviation: null, rules_version: 2 }),
      );
    });

    const upgraded = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: current,
      activities: createActivities({ pool }),
    });
    await upgraded.runUntil(async () => {
      // the next workflow task adopts rules version 3; the deviation agreed before stays agreed
      await handle.executeUpdate(completeMilestoneUpdate, {
        args: [
          {
            key: 'housing-mapping',
            doneAt: osloDate(await env.currentTimeMs()),
            details: { individualPlan: 'exists' },
            actor: staff,
          },
        ],
      });
      await eventually(async () =>
        expect(await planStarted(stayId)).toEqual({ due_date: agreed, pending_deviation: null, rules_version: 3 }),
      );
      // past the rule's own date (14 days), not past the agreed one: no overdue alarm
      await env.sleep('20 days');
      await handle.executeUpdate(completeMilestoneUpdate, {
        args: [
          {
            key: 'first-meeting',
            doneAt: osloDate(await env.currentTimeMs()),
            details: { bydelAttended: true },
            actor: staff,
          },
        ],
      });
      const { rows } = await pool.query<{ kind: string }>(
        "SELECT kind FROM escalations WHERE stay_id = $1 AND milestone = 'plan-started' AND kind <> 'reminder'",
        [stayId],
      );
      expect(rows).toEqual([]);
      expect(await planStarted(stayId)).toMatchObject({ due_date: agreed });
    });

    const events = (await handle.fetchHistory()).events ?? [];
    const markers = events
      .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
      .map((e) =>
        Object.values(e.markerRecordedEventAttributes?.details ?? {})
          .flatMap((p) => p.payloads ?? [])
          .map((p) => Buffer.from(p.data ?? []).toString('utf8'))
          .join(' '),
      )
      .join('\n');
    expect(markers).toContain('older-deviations-kept-v8');
    const { rows: audit } = await pool.query<{ action: string }>(
      "SELECT action FROM audit_events WHERE stay_id = $1 AND action LIKE 'rules.%' ORDER BY seq",
      [stayId],
    );
    // adopted with the amendment first: nothing to change then, so only the adoption is in the audit trail
    expect(audit.map((a) => a.action)).toEqual(['rules.adopted']);

    // the whole history, both releases' paths, replays with today's code
    await Worker.runReplayHistory({ workflowBundle: current }, { events }, handle.workflowId);
    await handle.terminate('test finished');
  });
});
