import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../../activities';
import { createParticipation } from '../../../api/plugins/app/participation';
import { createPool } from '../../../config/database';
import { CONSENT_REMINDER_DAYS_BEFORE } from '../../../rules/consent';
import { addOffset, osloDate, osloMidnight } from '../../../rules/oslo-calendar';
import { createTimeSkippingEnv } from '../../../stack/time-skipping';
import { notificationDispatcherWorkflow } from '../../../workflows/notifications/dispatcher-workflow';
import { raiseEscalations } from '../../support/escalation-fixtures';
import { createIsolatedDatabase } from '../../support/isolated-database';
import { workflowBundle } from '../../support/workflow-bundle';

/**
 * The consent-expiry reminder as the worker raises it: the notification dispatcher's poll sweeps with the workflow's
 * clock, so weeks pass in seconds on the time-skipping server. Its own database: the sweep scans the whole table.
 */
describe('consent-expiry reminder (time-skipping, real dispatcher and activities)', () => {
  let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
  let pool: Pool;
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = `consent-expiry-${randomUUID()}`;

  beforeAll(async () => {
    [db, env] = await Promise.all([createIsolatedDatabase(), createTimeSkippingEnv()]);
    pool = createPool(db.url, 5);
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createActivities({ pool }),
    });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await pool?.end();
    await db?.drop();
  });

  const reminders = async () =>
    (
      await pool.query<{ stay_id: string; valid_until: string; raised_at: Date }>(
        'SELECT stay_id, valid_until, raised_at FROM consent_reminders ORDER BY raised_at',
      )
    ).rows;

  it('reminds the institution exactly once, on the reminder day, while the dispatcher keeps polling', async () => {
    const startMs = await env.currentTimeMs();
    const today = osloDate(startMs);
    const validUntil = addOffset(today, { days: CONSENT_REMINDER_DAYS_BEFORE + 10 });
    const { stayId } = await raiseEscalations(pool, { institutionId: 'inst-consent', bydelId: 'bydel-consent' }, []);
    const caller = { sub: 'user-inst', role: 'institution' as const, org: 'inst-consent' };
    await createParticipation(pool).putConsent(stayId, caller, { given: true, date: today, validUntil }, today);

    await env.client.workflow.start(notificationDispatcherWorkflow, {
      workflowId: `notification-dispatcher:${taskQueue}`,
      taskQueue,
      args: [{ pollInterval: '3 hours' }],
    });
    await env.sleep('8 days');
    expect(await reminders()).toEqual([]);

    await env.sleep('4 days');
    const raised = await reminders();
    expect(raised).toEqual([{ stay_id: stayId, valid_until: validUntil, raised_at: expect.any(Date) }]);
    // raised by the poll of the reminder day (Oslo), not before it
    const dueFrom = osloMidnight(addOffset(validUntil, { days: -CONSENT_REMINDER_DAYS_BEFORE }));
    expect(raised[0]!.raised_at.getTime()).toBeGreaterThanOrEqual(dueFrom);
    expect(raised[0]!.raised_at.getTime()).toBeLessThan(dueFrom + 3 * 3_600_000 + 60_000);

    // weeks of polls later, past the end date: still the one reminder
    await env.sleep('40 days');
    expect(await reminders()).toHaveLength(1);
  });
});
