import { createServer } from 'node:http';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationActivities } from '../../../activities/notifications/deliver';
import { createReadModelActivities } from '../../../activities/read-model/sync-stay';
import { createNotificationSettings } from '../../../api/plugins/app/notification-settings';
import { createPool } from '../../../config/database';
import { EMBEDDED_WEBHOOKS } from '../../../config/webhook-target';
import { raiseEscalations } from '../../support/escalation-fixtures';
import { createIsolatedDatabase } from '../../support/isolated-database';
import { startSmtpReceiver } from '../../support/notification-receivers';

/**
 * Notifications follow the stay's current scope: what was queued for a bydel (an immediate webhook, a daily digest)
 * is not delivered once a bydel change handed the stay over to another bydel before it went out.
 */
let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let pool: Pool;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let hookCalls = 0;
const hook = createServer((req, res) => {
  hookCalls += 1;
  req.resume();
  req.on('end', () => res.writeHead(204).end());
});

beforeAll(async () => {
  [db, smtp] = await Promise.all([createIsolatedDatabase(), startSmtpReceiver()]);
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', () => resolve()));
  pool = createPool(db.url, 3);
  await createNotificationSettings(pool, undefined, EMBEDDED_WEBHOOKS).put(
    'bydel-before',
    {
      recipients: [{ email: 'koord@bydel-before.test', role: 'coordinator', delivery: 'digest', digestTime: '00:00' }],
      webhook: {
        url: `http://127.0.0.1:${(hook.address() as { port: number }).port}/hook`,
        secret: 'hand-over-signing-secret',
      },
    },
    'admin',
  );
});
afterAll(async () => {
  await new Promise((resolve) => hook.close(resolve));
  await smtp?.close();
  await pool?.end();
  await db?.drop();
});

describe('notifications after a hand-over', () => {
  it('cancels the webhook call and the digest item queued for the bydel the stay left', async () => {
    const { escalations, sync } = await raiseEscalations(
      pool,
      { institutionId: 'inst-hand-over', bydelId: 'bydel-before' },
      [{ milestone: 'exit-meeting', kind: 'overdue', dueDate: '2026-03-01', recipient: 'bydel' }],
    );
    const activities = createNotificationActivities(pool, {
      smtpUrl: smtp.url,
      mailFrom: 'x@y.test',
      appBaseUrl: 'http://app.test',
      webhooks: EMBEDDED_WEBHOOKS,
    });
    const env = new MockActivityEnvironment();
    // the digest is made (its Oslo time has passed), then the stay moves to another bydel before anything goes out
    const due: Awaited<ReturnType<typeof activities.pollOutbox>> = await env.run(activities.pollOutbox, {
      now: new Date().toISOString(),
      exclude: [],
      limit: 10,
    });
    expect(due.digests).toHaveLength(1);
    await createReadModelActivities(pool).syncStayReadModel({
      ...sync,
      stay: { ...sync.stay, bydelId: 'bydel-after', revision: 2 },
      audit: [],
      escalations: [],
    });

    for (const id of due.notifications) expect(await env.run(activities.deliverNotification, id)).toBe('gone');
    expect(await env.run(activities.deliverDigest, due.digests[0]!)).toBe('sent');
    expect(hookCalls).toBe(0);
    expect(smtp.mails).toEqual([]);
    const rows = await pool.query<{ channel: string; status: string; last_error: string }>(
      'SELECT channel, status, last_error FROM notification_outbox WHERE escalation_id = $1 ORDER BY channel',
      [escalations[0]!.id],
    );
    expect(rows.rows).toEqual([
      { channel: 'email', status: 'cancelled', last_error: expect.stringMatching(/handed over to another bydel/) },
      { channel: 'webhook', status: 'cancelled', last_error: expect.stringMatching(/handed over to another bydel/) },
    ]);
  });
});
