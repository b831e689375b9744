import { randomBytes, randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { DateTime } from 'luxon';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { WEBHOOK_ERRORS, webhookSignature } from '../../../activities/notifications/channels';
import { createNotificationSettings } from '../../../api/plugins/app/notification-settings';
import { createPool } from '../../../config/database';
import { SecretBox } from '../../../config/secret-box';
import { EMBEDDED_WEBHOOKS } from '../../../config/webhook-target';
import { createStayWorker } from '../../../worker/stay-worker';
import {
  notificationDispatcherWorkflow,
  notificationDispatcherWorkflowId,
} from '../../../workflows/notifications/dispatcher-workflow';
import { raiseEscalations } from '../../support/escalation-fixtures';
import { eventually } from '../../support/eventually';
import { createIsolatedDatabase } from '../../support/isolated-database';
import { startSmtpReceiver, startWebhookReceiver } from '../../support/notification-receivers';
import { workflowBundle } from '../../support/workflow-bundle';

const SECRET = 'webhook-secret-for-tests';
const secrets = new SecretBox(new Map([['k-test', randomBytes(32)]]), 'k-test');

describe('notificationDispatcherWorkflow (real SMTP server, real HTTP receiver)', () => {
  let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
  let pool: Pool;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let failingHook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let failing = true;
  let connection: Connection;
  let nativeConnection: NativeConnection;
  let worker: Worker;
  let run: Promise<void>;
  const taskQueue = `notify-${randomUUID()}`;

  beforeAll(async () => {
    [db, smtp, hook, failingHook] = await Promise.all([
      createIsolatedDatabase(),
      startSmtpReceiver(),
      startWebhookReceiver(),
      startWebhookReceiver(() => (failing ? 500 : 204)),
    ]);
    pool = createPool(db.url, 5);
    // signing secrets sealed at rest, as with the embedded default's key ring; the worker opens them with the same ring
    // local receivers over http: the embedded development stack's webhook rules
    const settings = createNotificationSettings(pool, secrets, EMBEDDED_WEBHOOKS);
    const osloNow = DateTime.now().setZone('Europe/Oslo');
    const digestTime =
      osloNow.hour === 0 && osloNow.minute === 0 ? '00:00' : osloNow.minus({ minutes: 1 }).toFormat('HH:mm');
    await settings.put(
      'inst-a',
      {
        recipients: [{ email: 'koord@inst-a.test', role: 'coordinator', delivery: 'immediate', digestTime: '07:00' }],
        webhook: { url: hook.url, secret: SECRET },
      },
      'admin',
    );
    await settings.put('bydel-a', { recipients: [], webhook: { url: failingHook.url, secret: SECRET } }, 'admin');
    await settings.put(
      'bydel-b',
      {
        recipients: [{ email: 'koord@bydel-b.test', role: 'coordinator', delivery: 'digest', digestTime }],
        webhook: null,
      },
      'admin',
    );

    const address = inject('temporalAddress');
    nativeConnection = await NativeConnection.connect({ address });
    worker = await createStayWorker({
      connection: nativeConnection,
      namespace: 'default',
      taskQueue,
      pool,
      notifications: {
        smtpUrl: smtp.url,
        mailFrom: 'test@stay-transition.test',
        appBaseUrl: 'http://app.test',
        secrets,
        webhooks: EMBEDDED_WEBHOOKS,
      },
      workflowBundle: await workflowBundle(),
    });
    run = worker.run();
    connection = await Connection.connect({ address });
    await new Client({ connection }).workflow.start(notificationDispatcherWorkflow, {
      workflowId: notificationDispatcherWorkflowId(taskQueue),
      taskQueue,
      args: [
        {
          pollInterval: '200 milliseconds',
          maximumAttempts: 2,
          initialInterval: '200 milliseconds',
          maximumInterval: '1 second',
        },
      ],
    });
  });

  afterAll(async () => {
    await new Client({ connection }).workflow
      .getHandle(notificationDispatcherWorkflowId(taskQueue))
      .terminate()
      .catch(() => {});
    worker?.shutdown();
    await run;
    await nativeConnection?.close();
    await connection?.close();
    await pool?.end();
    await Promise.all([smtp?.close(), hook?.close(), failingHook?.close()]);
    await db?.drop();
  });

  it('delivers an escalation by e-mail (Norwegian, no personal data, stable Message-ID) and by signed webhook, once each', async () => {
    const { stayId, escalations } = await raiseEscalations(pool, { institutionId: 'inst-a', bydelId: 'bydel-other' }, [
      { milestone: 'status-report', kind: 'overdue', dueDate: '2026-03-01', recipient: 'institution' },
    ]);
    const outbox = await eventually(async () => {
      const rows = (
        await pool.query(
          'SELECT id, channel, status FROM notification_outbox WHERE escalation_id = $1 ORDER BY channel',
          [escalations[0]!.id],
        )
      ).rows;
      expect(rows.map((r) => `${r.channel}:${r.status}`)).toEqual(['email:sent', 'webhook:sent']);
      return rows as Array<{ id: string; channel: string }>;
    });
    const [emailRow, webhookRow] = outbox;

    const mails = smtp.mails.filter((m) => m.deliveryId === emailRow!.id);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.to).toEqual(['koord@inst-a.test']);
    expect(mail.messageId).toBe(`<${emailRow!.id}@stay-transition>`);
    expect(mail.subject).toBe('Frist overskredet: Statusrapport (frist 01.03.2026)');
    expect(mail.text).toContain('Fristen «Statusrapport» gikk ut 01.03.2026');
    // organisations the register does not know are named by their ids
    expect(mail.text).toContain('Oppholdet gjelder en beboer ved inst-a, bydel-other.');
    expect(mail.text).toContain('Ingen har tatt saken ennå.');
    expect(mail.text).toContain(`http://app.test/opphold/${stayId}`);
    expect(mail.text).not.toContain('R-TEST-0001');
    // every notification about this deadline belongs to one thread, whatever its level
    expect(mail.references).toEqual([`<alarm-${escalations[0]!.id}@stay-transition>`]);

    const calls = hook.calls.filter((c) => c.headers['x-delivery-id'] === webhookRow!.id);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers['x-signature']).toBe(webhookSignature(SECRET, calls[0]!.body));
    // the database holds the secret sealed, never as written
    const stored = (
      await pool.query<{ webhook_secret: string }>(
        "SELECT webhook_secret FROM notification_settings WHERE org_id = 'inst-a'",
      )
    ).rows[0]!.webhook_secret;
    expect(stored).toMatch(/^enc:v1:k-test:/);
    expect(stored).not.toContain(SECRET);
    expect(calls[0]!.json).toMatchObject({
      deliveryId: webhookRow!.id,
      escalationId: escalations[0]!.id,
      alarmId: escalations[0]!.id,
      kind: 'overdue',
      level: 'overdue',
      milestone: 'status-report',
      stayId,
      dueDate: '2026-03-01',
      link: `http://app.test/opphold/${stayId}`,
    });
    expect(calls[0]!.body).not.toContain('R-TEST-0001');
  });

  it('marks a webhook failed after its last retry, lists it for admins, and redelivers it with the same delivery id', async () => {
    const { escalations } = await raiseEscalations(pool, { institutionId: 'inst-other', bydelId: 'bydel-a' }, [
      { milestone: 'housing-meeting', kind: 'overdue', dueDate: '2026-04-01', recipient: 'bydel' },
    ]);
    const failed = await eventually(async () => {
      const row = (
        await pool.query(
          "SELECT id, status, attempts, last_error FROM notification_outbox WHERE escalation_id = $1 AND channel = 'webhook'",
          [escalations[0]!.id],
        )
      ).rows[0];
      // the kind of failure only: no status, address or port for an admin to probe the network with
      expect(row).toMatchObject({ status: 'failed', attempts: 2, last_error: WEBHOOK_ERRORS.notAccepted });
      return row as { id: string };
    });
    expect(failingHook.calls.filter((c) => c.headers['x-delivery-id'] === failed.id)).toHaveLength(2);

    const settings = createNotificationSettings(pool);
    expect((await settings.listOutbox({ status: 'failed', limit: 50, offset: 0 })).items.map((i) => i.id)).toContain(
      failed.id,
    );
    failing = false;
    expect((await settings.redeliver(failed.id)).requeued).toBe(true);
    await eventually(async () => {
      const row = (await pool.query('SELECT status FROM notification_outbox WHERE id = $1', [failed.id])).rows[0];
      expect(row.status).toBe('sent');
    });
    expect(failingHook.calls.filter((c) => c.headers['x-delivery-id'] === failed.id)).toHaveLength(3);
  });

  it("collects a digest recipient's items into one e-mail at its Oslo time, one line per deadline", async () => {
    const { escalations } = await raiseEscalations(pool, { institutionId: 'inst-other', bydelId: 'bydel-b' }, [
      { milestone: 'status-report', kind: 'reminder', dueDate: '2026-03-01', recipient: 'bydel' },
      { milestone: 'status-report', kind: 'overdue', dueDate: '2026-03-01', recipient: 'bydel' },
      { milestone: 'applications', kind: 'reminder', dueDate: '2026-05-01', recipient: 'bydel' },
    ]);
    const digest = await eventually(async () => {
      const rows = (
        await pool.query(
          "SELECT status, digest_id FROM notification_outbox WHERE escalation_id = ANY($1) AND channel = 'email'",
          [escalations.map((e) => e.id)],
        )
      ).rows;
      expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
      expect(new Set(rows.map((r) => r.digest_id)).size).toBe(1);
      return rows[0].digest_id as string;
    });
    const mails = smtp.mails.filter((m) => m.to.includes('koord@bydel-b.test'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.messageId).toBe(`<${digest}@stay-transition>`);
    expect(mails[0]!.subject).toMatch(/^Daglig oversikt \d\d\.\d\d\.\d{4}: 2 frister å følge opp$/);
    expect(mails[0]!.text).toContain('Påminnelse – Fristen «Søknader sendt» forfaller 01.05.2026.');
    expect(mails[0]!.text).toContain('Frist overskredet – Fristen «Statusrapport» gikk ut 01.03.2026');
    expect(mails[0]!.text).toContain('Nivåer siden forrige oversikt: påminnelse → frist overskredet.');
    expect(mails[0]!.text.match(/Statusrapport/g)).toHaveLength(1);
  });
});
