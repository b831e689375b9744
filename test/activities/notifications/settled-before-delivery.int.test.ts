import { MockActivityEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationActivities } from '../../../activities/notifications/deliver';
import { CANCELLED } from '../../../activities/notifications/outbox-rows';
import { createNotificationSettings } from '../../../api/plugins/app/notification-settings';
import { createPool } from '../../../config/database';
import { EMBEDDED_WEBHOOKS } from '../../../config/webhook-target';
import { raiseEscalations } from '../../support/escalation-fixtures';
import { createIsolatedDatabase } from '../../support/isolated-database';
import { startSmtpReceiver, startWebhookReceiver } from '../../support/notification-receivers';

/**
 * "An escalation is trusted only while it is never a false alarm": a notification waits in the outbox for the
 * dispatcher's next poll, for its retries after a failure, for an administrator's redelivery, or until the recipient's
 * daily digest. A deadline settled meanwhile (done, no longer applicable, moved, the stay ended) must not be announced
 * as missed when it finally goes out.
 */
let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let pool: Pool;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
let activities: ReturnType<typeof createNotificationActivities>;
const INST = 'inst-settled';
const BYDEL = 'bydel-settled';

beforeAll(async () => {
  [db, smtp, hook] = await Promise.all([createIsolatedDatabase(), startSmtpReceiver(), startWebhookReceiver()]);
  pool = createPool(db.url, 3);
  const settings = createNotificationSettings(pool, undefined, EMBEDDED_WEBHOOKS);
  await settings.put(
    INST,
    {
      recipients: [{ email: 'koord@inst.test', role: 'coordinator', delivery: 'immediate', digestTime: '07:00' }],
      webhook: { url: hook.url, secret: 'a-secret-of-16-chars' },
    },
    'admin',
  );
  // a digest due from midnight Oslo: the first poll of the test makes today's
  await settings.put(
    BYDEL,
    {
      recipients: [{ email: 'koord@bydel.test', role: 'coordinator', delivery: 'digest', digestTime: '00:00' }],
      webhook: null,
    },
    'admin',
  );
  activities = createNotificationActivities(pool, {
    smtpUrl: smtp.url,
    mailFrom: 'varsel@app.test',
    appBaseUrl: 'http://app.test',
    webhooks: EMBEDDED_WEBHOOKS,
  });
});
afterAll(async () => {
  await Promise.all([smtp?.close(), hook?.close()]);
  await pool?.end();
  await db?.drop();
});

const run = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
  new MockActivityEnvironment().run(fn, ...args) as Promise<R>;
const rowsOf = async (escalationId: string) =>
  (
    await pool.query<{ id: string; channel: string; status: string; last_error: string | null }>(
      'SELECT id, channel, status, last_error FROM notification_outbox WHERE escalation_id = $1 ORDER BY channel',
      [escalationId],
    )
  ).rows;

const cancelledAsSettled = { status: 'cancelled', last_error: CANCELLED.settled };

describe('a notification about a deadline settled before it went out', () => {
  it('is cancelled, not sent, when the milestone was done or its due date moved; an open one is sent', async () => {
    const { stayId, escalations } = await raiseEscalations(pool, { institutionId: INST, bydelId: BYDEL }, [
      { milestone: 'plan-started', kind: 'overdue', dueDate: '2026-03-01', recipient: 'institution' },
      { milestone: 'first-meeting', kind: 'overdue', dueDate: '2026-03-15', recipient: 'institution' },
      { milestone: 'housing-mapping', kind: 'overdue', dueDate: '2026-03-15', recipient: 'institution' },
    ]);
    // recorded done after the alarm was queued; a deviation moved the second one's date
    await pool.query(`UPDATE stay_milestones SET done_at = '2026-03-03' WHERE stay_id = $1 AND key = 'plan-started'`, [
      stayId,
    ]);
    await pool.query(
      `UPDATE stay_milestones SET due_date = '2026-04-01' WHERE stay_id = $1 AND key = 'first-meeting'`,
      [stayId],
    );
    const [done, moved, open] = await Promise.all(escalations.map((e) => rowsOf(e.id)));
    expect(open!.map((r) => r.channel)).toEqual(['email', 'webhook']);
    for (const row of [...done!, ...moved!]) expect(await run(activities.deliverNotification, row.id)).toBe('gone');
    for (const row of open!) expect(await run(activities.deliverNotification, row.id)).toBe('sent');

    expect(await rowsOf(escalations[0]!.id)).toEqual(done!.map((r) => ({ ...r, ...cancelledAsSettled })));
    expect(await rowsOf(escalations[1]!.id)).toEqual(moved!.map((r) => ({ ...r, ...cancelledAsSettled })));
    expect(smtp.mails.map((m) => m.subject)).toEqual([
      'Frist overskredet: Kartlegging av boligsituasjon (frist 15.03.2026)',
    ]);
    expect(hook.calls.map((c) => c.json.milestone)).toEqual(['housing-mapping']);
  });

  it('leaves it out of the daily digest, which lists only what is still to do, and sends none when nothing is', async () => {
    const { stayId, escalations } = await raiseEscalations(pool, { institutionId: INST, bydelId: BYDEL }, [
      { milestone: 'status-report', kind: 'overdue', dueDate: '2026-05-01', recipient: 'bydel' },
      { milestone: 'applications', kind: 'overdue', dueDate: '2026-07-01', recipient: 'bydel' },
    ]);
    await pool.query(`UPDATE stay_milestones SET done_at = '2026-05-04' WHERE stay_id = $1 AND key = 'status-report'`, [
      stayId,
    ]);
    const { digests } = await run(activities.pollOutbox, { now: new Date().toISOString(), exclude: [], limit: 10 });
    expect(digests).toHaveLength(1);
    expect(await run(activities.deliverDigest, digests[0]!)).toBe('sent');
    const digest = smtp.mails.filter((m) => m.to.includes('koord@bydel.test'));
    expect(digest).toHaveLength(1);
    expect(digest[0]!.subject).toMatch(/: 1 frist å følge opp$/);
    expect(digest[0]!.text).toContain('«Søknader sendt»');
    expect(digest[0]!.text).not.toContain('Statusrapport');
    expect((await rowsOf(escalations[0]!.id))[0]).toMatchObject(cancelledAsSettled);
    expect((await rowsOf(escalations[1]!.id))[0]).toMatchObject({ status: 'sent' });

    // the stay ended before tomorrow's digest: its open deadline is no longer to do, and nothing is sent
    const later = await raiseEscalations(pool, { id: stayId, institutionId: INST, bydelId: BYDEL }, [
      { milestone: 'applications', kind: 'second-level', dueDate: '2026-07-01', recipient: 'bydel' },
    ]);
    await pool.query(`UPDATE stays SET status = 'completed' WHERE id = $1`, [stayId]);
    await pool.query(`UPDATE notification_digests SET digest_date = digest_date - 1`);
    const next = await run(activities.pollOutbox, { now: new Date().toISOString(), exclude: [], limit: 10 });
    expect(next.digests).toHaveLength(1);
    expect(await run(activities.deliverDigest, next.digests[0]!)).toBe('sent');
    expect(smtp.mails.filter((m) => m.to.includes('koord@bydel.test'))).toHaveLength(1);
    expect((await rowsOf(later.escalations[0]!.id)).filter((r) => r.channel === 'email')).toEqual([
      expect.objectContaining(cancelledAsSettled),
    ]);
  });
});
