import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadModelActivities } from '../../../activities/read-model/sync-stay';
import { createNotificationSettings } from '../../../api/plugins/app/notification-settings';
import { EMBEDDED_WEBHOOKS } from '../../../config/webhook-target';
import { testPool } from '../../support/database';
import { raiseEscalations } from '../../support/escalation-fixtures';

describe('outbox enqueued with the escalation (syncStayReadModel)', () => {
  let pool: Pool;
  const inst = `inst-${randomUUID().slice(0, 8)}`;
  const bydel = `bydel-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    pool = testPool();
    // a local receiver over http: the embedded development stack's webhook rules
    const settings = createNotificationSettings(pool, undefined, EMBEDDED_WEBHOOKS);
    await settings.put(
      inst,
      {
        recipients: [
          { email: 'koord@inst.test', role: 'coordinator', delivery: 'immediate', digestTime: '07:00' },
          { email: 'leder@inst.test', role: 'leader', delivery: 'immediate', digestTime: '07:00' },
        ],
        webhook: { url: 'http://127.0.0.1:9/hook', secret: 'a-secret-of-16-chars' },
      },
      'admin-1',
    );
    await settings.put(
      bydel,
      {
        recipients: [
          { email: 'koord@bydel.test', role: 'coordinator', delivery: 'digest', digestTime: '08:30' },
          { email: 'leder@bydel.test', role: 'leader', delivery: 'immediate', digestTime: '07:00' },
        ],
        webhook: null,
      },
      'admin-1',
    );
  });
  afterAll(async () => {
    // Nothing left pending in the shared test database for another test file's dispatcher to deliver.
    await pool.query("UPDATE notification_outbox SET status = 'sent' WHERE org_id IN ($1, $2)", [inst, bydel]);
    await pool.end();
  });

  const outboxOf = async (escalationId: string) =>
    (
      await pool.query<{ channel: string; recipient: string; mode: string; status: string }>(
        'SELECT channel, recipient, mode, status FROM notification_outbox WHERE escalation_id = $1 ORDER BY channel, recipient',
        [escalationId],
      )
    ).rows;

  it("addresses an overdue escalation to the responsible organisation's coordinators only, in their chosen mode", async () => {
    const { escalations } = await raiseEscalations(pool, { institutionId: inst, bydelId: bydel }, [
      { milestone: 'status-report', kind: 'overdue', dueDate: '2026-03-01', recipient: 'bydel' },
      { milestone: 'plan-started', kind: 'reminder', dueDate: '2026-02-01', recipient: 'institution' },
    ]);
    expect(await outboxOf(escalations[0]!.id)).toEqual([
      { channel: 'email', recipient: 'koord@bydel.test', mode: 'digest', status: 'pending' },
    ]);
    expect(await outboxOf(escalations[1]!.id)).toEqual([
      { channel: 'email', recipient: 'koord@inst.test', mode: 'immediate', status: 'pending' },
      { channel: 'webhook', recipient: inst, mode: 'immediate', status: 'pending' },
    ]);
  });

  it('sends the second level to both organisations, coordinators and leaders', async () => {
    const { escalations } = await raiseEscalations(pool, { institutionId: inst, bydelId: bydel }, [
      { milestone: 'status-report', kind: 'second-level', dueDate: '2026-03-01', recipient: 'both' },
    ]);
    expect((await outboxOf(escalations[0]!.id)).map((r) => `${r.channel}:${r.recipient}`)).toEqual([
      'email:koord@bydel.test',
      'email:koord@inst.test',
      'email:leder@bydel.test',
      'email:leder@inst.test',
      `webhook:${inst}`,
    ]);
  });

  it('enqueues nothing twice when the read-model write is retried', async () => {
    const { escalations, sync } = await raiseEscalations(pool, { institutionId: inst, bydelId: bydel }, [
      { milestone: 'housing-meeting', kind: 'second-level', dueDate: '2026-04-01', recipient: 'both' },
    ]);
    const activities = createReadModelActivities(pool);
    await activities.syncStayReadModel(sync);
    await activities.syncStayReadModel({ ...sync, stay: { ...sync.stay, revision: 2 } });
    expect(await outboxOf(escalations[0]!.id)).toHaveLength(5);
  });

  it('enqueues nothing for an organisation without recipients', async () => {
    const { escalations } = await raiseEscalations(
      pool,
      { institutionId: `inst-${randomUUID().slice(0, 8)}`, bydelId: bydel },
      [{ milestone: 'plan-started', kind: 'overdue', dueDate: '2026-02-01', recipient: 'institution' }],
    );
    expect(await outboxOf(escalations[0]!.id)).toEqual([]);
  });
});
