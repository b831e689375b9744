import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeMilestoneUpdate } from '../../../workflows/stay/definitions';
import type { Actor } from '../../../workflows/stay/types';
import { startStay, untilRegistered } from '../../support/stay-start';
import { startTimeSkippingStack } from '../../support/time-skipping-stack';

const { EventType } = temporal.api.enums.v1;
const staff: Actor = { sub: 'u-started', role: 'institution', org: 'inst-started' };

let env: TestWorkflowEnvironment;
let pool: Pool;
let taskQueue: string;
let stack: Awaited<ReturnType<typeof startTimeSkippingStack>>;

beforeAll(async () => {
  stack = await startTimeSkippingStack('started');
  ({ env, pool, taskQueue } = stack);
});

afterAll(() => stack?.stop());

describe('a stay started since the sixth release (started-v6)', () => {
  it("records one patch marker and takes every earlier release's branch", async () => {
    const { stayId, admittedAt, handle } = await startStay(env, taskQueue, {
      residentRef: 'R-STARTED',
      institutionId: 'inst-started',
      bydelId: 'bydel-started',
      actor: staff,
    });
    await untilRegistered(pool, stayId);
    await handle.executeUpdate(completeMilestoneUpdate, {
      args: [{ key: 'plan-started', doneAt: admittedAt, actor: staff }],
    });
    const events = (await handle.fetchHistory()).events ?? [];
    const patches = events
      .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
      .map((e) => {
        const [payload] = e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads ?? [];
        return (JSON.parse(Buffer.from(payload?.data ?? []).toString('utf8')) as { id: string }).id;
      });
    expect(patches).toEqual(['started-v6']);
    const count = (type: number) => events.filter((e) => e.eventType === type).length;
    // the fifth release's local write (no activity task), the sixth's kept timer (none cancelled), rules version 3
    expect(count(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)).toBe(0);
    expect(events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')).toHaveLength(2);
    expect(count(EventType.EVENT_TYPE_TIMER_CANCELED)).toBe(0);
    const { rows } = await pool.query<{ rules_version: number }>('SELECT rules_version FROM stays WHERE id = $1', [
      stayId,
    ]);
    expect(rows[0]!.rules_version).toBe(3);
    await handle.terminate('test finished');
  });
});
