import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../../activities';
import { isoWeekOf } from '../../../activities/notifications/forecast-digest';
import { createPool } from '../../../config/database';
import { EMBEDDED_WEBHOOKS } from '../../../config/webhook-target';
import { addOffset, osloDate } from '../../../rules/oslo-calendar';
import { forecastDigestTimes } from '../../../rules/report-definitions';
import { createTimeSkippingEnv } from '../../../stack/time-skipping';
import { ensureForecastDigest } from '../../../worker/forecast-digest';
import { notificationDispatcherWorkflow } from '../../../workflows/notifications/dispatcher-workflow';
import { eventually } from '../../support/eventually';
import { notify, registerOrgs, type SeededStay, seedStay, testSecrets } from '../../support/forecast-fixtures';
import { createIsolatedDatabase } from '../../support/isolated-database';
import { startSmtpReceiver, startWebhookReceiver } from '../../support/notification-receivers';
import { workflowBundle } from '../../support/workflow-bundle';

/**
 * The weekly forecast digest as the workers run it: the weekly workflow (durable timers) and the notification
 * dispatcher on the time-skipping server, real activities on a database of their own, a real SMTP server and webhook
 * receiver. Weeks pass in seconds; the worker is replaced mid-way, as a deploy or a crash would.
 */
describe('forecastDigestWorkflow (time-skipping, real dispatcher, activities, SMTP and webhook)', () => {
  let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
  let pool: Pool;
  let env: TestWorkflowEnvironment;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = `forecast-digest-${randomUUID()}`;

  const startWorker = async () => {
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      // no sticky cache: the time-skipping server would otherwise hold time while a task waits on the stopped
      // worker's sticky queue; every workflow task replays the history, which is what a replacement worker does
      maxCachedWorkflows: 0,
      activities: createActivities({
        pool,
        notifications: {
          smtpUrl: smtp.url,
          mailFrom: 'Oppholdsløpet <varsel@test>',
          appBaseUrl: 'https://app.test',
          secrets: testSecrets,
          webhooks: EMBEDDED_WEBHOOKS,
        },
      }),
    });
    running = worker.run();
  };

  beforeAll(async () => {
    [db, env, smtp, hook] = await Promise.all([
      createIsolatedDatabase(),
      createTimeSkippingEnv(),
      startSmtpReceiver(),
      startWebhookReceiver(),
    ]);
    pool = createPool(db.url, 5);
    await startWorker();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await pool?.end();
    await Promise.all([smtp?.close(), hook?.close()]);
    await db?.drop();
  });

  /** Which week each recipient was told about, one entry per e-mail (by delivery id) or webhook call. */
  const told = () => [
    ...smtp.mails.map((m) => `${m.to.join(',')} ${m.subject.match(/uke (\d+)/)![1]} ${m.deliveryId}`),
    ...hook.calls.map((c) => `webhook ${Number(String(c.json.week).slice(6))} ${String(c.json.deliveryId)}`),
  ];
  const perWeek = () =>
    told()
      .map((t) => t.split(' ').slice(0, 2).join(' '))
      .sort();

  it('tells each organisation once a week — nothing for one with nothing due — also across a worker restart', {
    timeout: 300_000,
  }, async () => {
    const t0 = await env.currentTimeMs();
    const times = forecastDigestTimes(t0);
    // the first digest goes out at once when the week's Monday 07:00 has passed, else at it
    const firstAt = Math.max(t0, times.thisWeek);
    const d1 = osloDate(firstAt);
    const d2 = osloDate(times.nextWeek);
    const d3 = addOffset(d2, { days: 7 });
    const [w1, w2, w3] = [d1, d2, d3].map((d) => Number(isoWeekOf(d).slice(6)));

    await registerOrgs(pool, [
      { id: 'inst-ts-a', kind: 'institution', name: 'Sollia' },
      { id: 'inst-ts-b', kind: 'institution', name: 'Fjellhaug' },
    ]);
    await notify(pool, 'inst-ts-a', [{ email: 'koord@a.test', role: 'coordinator' }], hook.url);
    await notify(pool, 'inst-ts-b', [{ email: 'koord@b.test', role: 'coordinator' }]);
    // A: a plan due in week 1's window, a housing meeting due in week 2's and week 3's (13 days after week 2's Monday)
    const a: SeededStay = await seedStay(pool, { institutionId: 'inst-ts-a', bydelId: 'bydel-alna' }, [
      { key: 'plan-started', dueDate: addOffset(d1, { days: 1 }) },
      { key: 'housing-meeting', dueDate: addOffset(d2, { days: 13 }) },
    ]);
    // B: only a plan due in week 1; done before week 2, so B has nothing from then on
    const b = await seedStay(pool, { institutionId: 'inst-ts-b', bydelId: 'bydel-grorud' }, [
      { key: 'plan-started', dueDate: addOffset(d1, { days: 1 }) },
    ]);

    await env.client.workflow.start(notificationDispatcherWorkflow, {
      workflowId: `notification-dispatcher:${taskQueue}`,
      taskQueue,
      args: [{ pollInterval: '1 day' }],
    });
    const workflowId = await ensureForecastDigest(env.client, taskQueue);
    // every worker calls this at start: the second is a no-op, one weekly workflow
    expect(await ensureForecastDigest(env.client, taskQueue)).toBe(workflowId);

    // the dispatcher polls once a day: a day and an hour after the digest it has been delivered
    await env.sleep(firstAt - t0 + 25 * 3_600_000);
    await eventually(() => expect(perWeek()).toEqual([`koord@a.test ${w1}`, `koord@b.test ${w1}`, `webhook ${w1}`]));
    expect(hook.calls[0]!.json.items).toEqual([
      expect.objectContaining({ stayId: a.id, residentRef: a.residentRef, milestone: 'plan-started' }),
      // the housing meeting is within 14 days of week 1's digest only when that went out late in the week
      ...(addOffset(d2, { days: 13 }) <= addOffset(d1, { days: 14 })
        ? [expect.objectContaining({ stayId: a.id, milestone: 'housing-meeting' })]
        : []),
    ]);

    await seedStay(
      pool,
      { ...b, institutionId: 'inst-ts-b', bydelId: 'bydel-grorud' },
      [{ key: 'plan-started', dueDate: addOffset(d1, { days: 1 }), doneAt: d1 }],
      2,
    );
    // to a day past week 2's Monday 07:00 (the dispatcher polls once a day)
    await env.sleep(times.nextWeek - (await env.currentTimeMs()) + 25 * 3_600_000);
    await eventually(() =>
      expect(perWeek()).toEqual(
        [`koord@a.test ${w1}`, `koord@a.test ${w2}`, `koord@b.test ${w1}`, `webhook ${w1}`, `webhook ${w2}`].sort(),
      ),
    );
    // B had nothing: a digest row records the week, and nothing was sent
    const rows = await pool.query<{ org_id: string; iso_week: string; n: number }>(
      'SELECT org_id, iso_week, jsonb_array_length(items) AS n FROM forecast_digests ORDER BY iso_week, org_id',
    );
    expect(rows.rows).toEqual([
      { org_id: 'inst-ts-a', iso_week: isoWeekOf(d1), n: expect.any(Number) },
      { org_id: 'inst-ts-b', iso_week: isoWeekOf(d1), n: 1 },
      { org_id: 'inst-ts-a', iso_week: isoWeekOf(d2), n: 1 },
      { org_id: 'inst-ts-b', iso_week: isoWeekOf(d2), n: 0 },
    ]);

    // a new worker replaces this one mid-week; the rest of week 2 passes, then week 3
    worker.shutdown();
    await running;
    await startWorker();
    await env.sleep('3 days');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(told()).toHaveLength(5);
    await env.sleep(times.nextWeek + 7 * 86_400_000 - (await env.currentTimeMs()) + 25 * 3_600_000);
    await eventually(() =>
      expect(perWeek()).toEqual(
        [
          `koord@a.test ${w1}`,
          `koord@a.test ${w2}`,
          `koord@a.test ${w3}`,
          `koord@b.test ${w1}`,
          `webhook ${w1}`,
          `webhook ${w2}`,
          `webhook ${w3}`,
        ].sort(),
      ),
    );
    // exactly once: every message a delivery id of its own, and no week twice per recipient
    const ids = told().map((t) => t.split(' ')[2]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(perWeek()).size).toBe(perWeek().length);
    const sentAt = await pool.query<{ iso_week: string; at: Date }>(
      `SELECT f.iso_week, min(o.sent_at) AS at FROM notification_outbox o JOIN forecast_digests f ON f.id = o.forecast_digest_id
        GROUP BY 1 ORDER BY 1`,
    );
    expect(sentAt.rows.map((r) => r.iso_week)).toEqual([d1, d2, d3].map(isoWeekOf));
  });
});
