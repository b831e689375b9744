import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EMBEDDED_WEBHOOKS } from '../../../config/webhook-target';
import { createNotificationSettings } from '../../../api/plugins/app/notification-settings';
import { createPool } from '../../../config/database';
import { writeWorkflowBundle } from '../../../worker/workflow-bundle';
import {
  notificationDispatcherWorkflow,
  notificationDispatcherWorkflowId,
} from '../../../workflows/notifications/dispatcher-workflow';
import { startRole, stopRole, type RoleProcess } from '../../../stack/role-process';
import { raiseEscalations } from '../../support/escalation-fixtures';
import { eventually } from '../../support/eventually';
import { createIsolatedDatabase } from '../../support/isolated-database';
import { startSmtpReceiver, startWebhookReceiver } from '../../support/notification-receivers';
import { makeTempDir, removeTempDir } from '../../../stack/temp-dir';

/**
 * The worker is a separate OS process (`npm run worker`), killed with SIGKILL between "sent" and "recorded"
 * (NOTIFY_FAULT_KILL_AFTER_SEND) and then a second time at an arbitrary point of a delivery burst. Each time a new
 * worker takes over. Every outbox row must end `sent`, and every recipient must have got every notification, with
 * at most the one unavoidable duplicate carrying the same delivery id (Message-ID / X-Delivery-Id).
 */
describe('notification delivery when the worker is killed (SIGKILL)', () => {
  const dir = makeTempDir('notify-crash');
  const faultFile = join(dir, 'fault-fired');
  const taskQueue = `notify-crash-${randomUUID()}`;
  let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
  let pool: Pool;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let connection: Connection;
  const workers: RoleProcess[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    [db, smtp, hook] = await Promise.all([createIsolatedDatabase(), startSmtpReceiver(), startWebhookReceiver()]);
    pool = createPool(db.url, 3);
    await createNotificationSettings(pool, undefined, EMBEDDED_WEBHOOKS).put(
      'inst-crash',
      {
        recipients: [
          { email: 'a@inst-crash.test', role: 'coordinator', delivery: 'immediate', digestTime: '07:00' },
          { email: 'b@inst-crash.test', role: 'coordinator', delivery: 'immediate', digestTime: '07:00' },
        ],
        webhook: { url: hook.url, secret: 'crash-test-webhook-secret' },
      },
      'admin',
    );
    const bundlePath = join(dir, 'dist', 'workflow-bundle.js');
    writeWorkflowBundle(bundlePath, readFileSync(inject('workflowBundlePath'), 'utf8'));
    env = {
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      DATABASE_URL: db.url,
      TEMPORAL_TASK_QUEUE: taskQueue,
      DATA_DIR: join(dir, 'data'),
      // The embedded development stack's rules (servers on this machine): http webhooks to 127.0.0.1, no key ring.
      EMBEDDED_STACK: 'true',
      WORKFLOW_BUNDLE: bundlePath,
      SMTP_URL: smtp.url,
      LOG_LEVEL: 'warn',
      SHUTDOWN_GRACE_MS: '2000',
    };
    // Started before any worker with short timeouts, so that a delivery lost with a killed worker is retried within
    // seconds; the workers' own idempotent start finds it running.
    connection = await Connection.connect({ address: inject('temporalAddress') });
    await new Client({ connection }).workflow.start(notificationDispatcherWorkflow, {
      workflowId: notificationDispatcherWorkflowId(taskQueue),
      taskQueue,
      args: [
        {
          pollInterval: '200 milliseconds',
          deliveryTimeout: '3 seconds',
          initialInterval: '300 milliseconds',
          maximumInterval: '2 seconds',
          maximumAttempts: 20,
        },
      ],
    });
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => stopRole(w, 5_000)));
    await new Client({ connection }).workflow
      .getHandle(notificationDispatcherWorkflowId(taskQueue))
      .terminate()
      .catch(() => {});
    await connection?.close();
    await pool?.end();
    await Promise.all([smtp?.close(), hook?.close()]);
    await db?.drop();
    removeTempDir(dir);
  });

  const outbox = async () =>
    (
      await pool.query<{ id: string; escalation_id: string; channel: string; recipient: string; status: string }>(
        'SELECT id, escalation_id, channel, recipient, status FROM notification_outbox',
      )
    ).rows;

  /** Receipts per delivery id, across both channels. */
  const receipts = () => {
    const n = new Map<string, number>();
    for (const m of smtp.mails) n.set(m.deliveryId, (n.get(m.deliveryId) ?? 0) + 1);
    for (const c of hook.calls)
      n.set(String(c.headers['x-delivery-id']), (n.get(String(c.headers['x-delivery-id'])) ?? 0) + 1);
    return n;
  };

  async function assertEachRecipientGotEachOnce(expectedRows: number) {
    const rows = await eventually(async () => {
      const rows = await outbox();
      expect(rows).toHaveLength(expectedRows);
      expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
      return rows;
    }, 60_000);
    const got = receipts();
    for (const row of rows) {
      // received at least once, and at most once more (a kill between sending and recording), always with its id
      expect(got.get(row.id), `${row.channel} ${row.recipient}`).toBeGreaterThanOrEqual(1);
      expect(got.get(row.id), `${row.channel} ${row.recipient}`).toBeLessThanOrEqual(2);
    }
    // no receipt that the outbox does not know, and per recipient one delivery id per escalation
    expect([...got.keys()].sort()).toEqual(rows.map((r) => r.id).sort());
    for (const m of smtp.mails) expect(m.messageId).toBe(`<${m.deliveryId}@stay-transition>`);
    for (const recipient of ['a@inst-crash.test', 'b@inst-crash.test']) {
      const ids = new Set(smtp.mails.filter((m) => m.to.includes(recipient)).map((m) => m.deliveryId));
      expect(ids.size).toBe(rows.filter((r) => r.recipient === recipient).length);
    }
    return got;
  }

  it('killed between sending and recording: after a restart the row ends sent and the receiver has it once by delivery id', async () => {
    await raiseEscalations(pool, { institutionId: 'inst-crash', bydelId: 'bydel-crash' }, [
      { milestone: 'plan-started', kind: 'overdue', dueDate: '2026-02-01', recipient: 'institution' },
      { milestone: 'housing-mapping', kind: 'reminder', dueDate: '2026-03-01', recipient: 'institution' },
      { milestone: 'first-meeting', kind: 'overdue', dueDate: '2026-02-15', recipient: 'institution' },
    ]);
    const first = startRole('worker 1', 'worker/main.ts', { ...env, NOTIFY_FAULT_KILL_AFTER_SEND: faultFile });
    workers.push(first);
    const exit = await first.exited;
    expect(exit.signal, first.output().slice(-2000)).toBe('SIGKILL');
    expect(existsSync(faultFile)).toBe(true);
    const faulted = readFileSync(faultFile, 'utf8');
    // sent, but not recorded
    expect(receipts().get(faulted)).toBe(1);
    expect((await outbox()).find((r) => r.id === faulted)?.status).toBe('pending');

    workers.push(startRole('worker 2', 'worker/main.ts', env));
    const got = await assertEachRecipientGotEachOnce(9);
    expect(got.get(faulted)).toBe(2);
  });

  it('killed at an arbitrary point of a burst: nothing lost, nothing recorded twice', async () => {
    await stopRole(workers[1]!, 5_000);
    await raiseEscalations(
      pool,
      { institutionId: 'inst-crash', bydelId: 'bydel-crash' },
      (['status-report', 'housing-meeting', 'applications', 'exit-meeting', 'final-report'] as const).map(
        (milestone) => ({
          milestone,
          kind: 'second-level' as const,
          dueDate: '2026-05-01',
          recipient: 'institution' as const,
        }),
      ),
    );
    const before = receipts().size;
    const third = startRole('worker 3', 'worker/main.ts', env);
    workers.push(third);
    await eventually(() => expect(receipts().size).toBeGreaterThan(before), 30_000, 5);
    third.child.kill('SIGKILL');
    await third.exited;
    workers.push(startRole('worker 4', 'worker/main.ts', env));
    await assertEachRecipientGotEachOnce(9 + 15);
  });
});
