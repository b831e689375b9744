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

  describe('a named person', () => {
    /** A stay with its contacts, as the API writes them: who to reach when nobody has taken a deadline. */
    async function stayWithContacts() {
      const { stayId } = await raiseEscalations(pool, { institutionId: inst, bydelId: bydel }, []);
      const contacts = [
        ['primary-contact', 'Ola Primær', inst, 'ola@inst.test', null],
        ['primary-contact', 'Uten E-post', inst, null, null],
        ['bydel-contact', 'Berit Bydel', bydel, 'berit@bydel.test', null],
        ['other', 'Annen Person', inst, 'annen@inst.test', null],
        ['primary-contact', 'Kari Kontakt', inst, 'Kari@Inst.test', 'kari-sub'],
      ];
      for (const [i, [role, name, org, email, userId]] of contacts.entries())
        await pool.query(
          `INSERT INTO stay_contacts (stay_id, position, role, name, organisation_id, email, user_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [stayId, i, role, name, org, email, userId],
        );
      return stayId;
    }
    const recipientsOf = async (escalationId: string) =>
      (await outboxOf(escalationId))
        .filter((r) => r.channel === 'email')
        .map((r) => `${r.recipient} ${r.mode}`)
        .sort();

    it("reaches the stay's own contacts at the addressed organisation while nobody has taken the deadline", async () => {
      const stayId = await stayWithContacts();
      const { escalations } = await raiseEscalations(pool, { id: stayId, institutionId: inst, bydelId: bydel }, [
        { milestone: 'plan-started', kind: 'overdue', dueDate: '2026-02-01', recipient: 'institution' },
        { milestone: 'status-report', kind: 'overdue', dueDate: '2026-05-01', recipient: 'bydel' },
      ]);
      // the institution's primary contacts with an address, never an "other" contact or the bydel's
      expect(await recipientsOf(escalations[0]!.id)).toEqual([
        'Kari@Inst.test immediate',
        'koord@inst.test immediate',
        'ola@inst.test immediate',
      ]);
      expect(await recipientsOf(escalations[1]!.id)).toEqual(['berit@bydel.test immediate', 'koord@bydel.test digest']);
    });

    it('reaches whoever took the milestone or its alarm instead, once per address, and nobody outside the stay', async () => {
      const stayId = await stayWithContacts();
      // Kari (a contact with her login) took the milestone on the stay page; Per (known by his login's e-mail) took
      // the alarm in the inbox; the bydel coordinator's own login took it too, under another spelling of her address
      await pool.query(
        `INSERT INTO user_directory (sub, name, email, role, org) VALUES
           ('per-sub', 'Per Bydel', 'per@bydel.test', 'bydel', $1),
           ('koord-sub', 'Koordinator', 'KOORD@bydel.test', 'bydel', $1),
           ('elsewhere-sub', 'Annen Bydel', 'annen@elsewhere.test', 'bydel', 'bydel-elsewhere')
         ON CONFLICT (sub) DO UPDATE SET email = EXCLUDED.email, org = EXCLUDED.org`,
        [bydel],
      );
      await pool.query(
        `INSERT INTO stay_milestone_assignees (stay_id, milestone, assigned_to) VALUES ($1, 'status-report', 'kari-sub')`,
        [stayId],
      );
      const first = await raiseEscalations(pool, { id: stayId, institutionId: inst, bydelId: bydel }, [
        { milestone: 'status-report', kind: 'overdue', dueDate: '2026-05-01', recipient: 'institution' },
      ]);
      expect(await recipientsOf(first.escalations[0]!.id)).toEqual([
        'Kari@Inst.test immediate',
        'koord@inst.test immediate',
      ]);

      for (const [i, sub] of ['per-sub', 'koord-sub', 'elsewhere-sub'].entries()) {
        await pool.query(
          `UPDATE deadline_alarms SET assigned_to = $2 WHERE stay_id = $1 AND milestone = 'status-report'`,
          [stayId, sub],
        );
        await pool.query(
          `UPDATE stay_milestone_assignees SET assigned_to = $2 WHERE stay_id = $1 AND milestone = 'status-report'`,
          [stayId, sub === 'per-sub' ? 'kari-sub' : sub],
        );
        const next = await raiseEscalations(pool, { id: stayId, institutionId: inst, bydelId: bydel }, [
          {
            milestone: 'status-report',
            kind: 'second-level',
            dueDate: `2026-05-0${i + 1}`,
            recipient: 'both',
          },
        ]);
        const recipients = await recipientsOf(next.escalations[0]!.id);
        const coordinatorsAndLeaders = [
          'koord@bydel.test digest',
          'koord@inst.test immediate',
          'leder@bydel.test immediate',
          'leder@inst.test immediate',
        ];
        if (sub === 'per-sub')
          expect(recipients).toEqual([
            'Kari@Inst.test immediate',
            ...coordinatorsAndLeaders,
            'per@bydel.test immediate',
          ]);
        // the coordinator who took it is e-mailed once, the way she chose as coordinator
        if (sub === 'koord-sub') expect(recipients).toEqual(coordinatorsAndLeaders);
        // someone of an organisation that is not the stay's is never e-mailed about it; nobody else took it, so the
        // stay's contacts of both organisations are
        if (sub === 'elsewhere-sub')
          expect(recipients).toEqual([
            'Kari@Inst.test immediate',
            'berit@bydel.test immediate',
            ...coordinatorsAndLeaders,
            'ola@inst.test immediate',
          ]);
      }
    });

    it('enqueues nothing twice for a named person when the write is retried', async () => {
      const stayId = await stayWithContacts();
      const { escalations, sync } = await raiseEscalations(pool, { id: stayId, institutionId: inst, bydelId: bydel }, [
        { milestone: 'housing-meeting', kind: 'overdue', dueDate: '2026-06-01', recipient: 'institution' },
      ]);
      const before = await outboxOf(escalations[0]!.id);
      await createReadModelActivities(pool).syncStayReadModel({ ...sync, stay: { ...sync.stay, revision: 2 } });
      expect(await outboxOf(escalations[0]!.id)).toEqual(before);
      expect(before.filter((r) => r.recipient === 'ola@inst.test')).toHaveLength(1);
    });
  });
});
