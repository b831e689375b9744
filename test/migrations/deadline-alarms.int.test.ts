import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../../config/database';
import { createIsolatedDatabase } from '../support/isolated-database';

const sql = readFileSync(new URL('../../migrations/0013_create_deadline_alarms.sql', import.meta.url), 'utf8');
const [up, down] = sql.split('-- Down Migration') as [string, string];

let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let pool: Pool;
beforeAll(async () => {
  db = await createIsolatedDatabase();
  pool = createPool(db.url, 2);
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe('migration 0013: one alarm per deadline', () => {
  it('turns the steps raised before it into one alarm per deadline, at its highest level', async () => {
    // the read model as it stood before the migration, with steps raised and handled per card
    await pool.query(down);
    const stayId = randomUUID();
    await pool.query(
      `INSERT INTO stays (id, resident_ref, institution_id, bydel_id, admitted_at, status, convener, revision, created_at, updated_at)
       VALUES ($1, 'R-MIG', 'inst-mig', 'bydel-mig', '2026-01-05', 'active', 'institution', 3, now(), now())`,
      [stayId],
    );
    const step = async (
      milestone: string,
      kind: string,
      at: string,
      extra: { ack?: string; assigned?: string; recipient?: string } = {},
    ) => {
      const id = randomUUID();
      await pool.query(
        `INSERT INTO escalations (id, stay_id, milestone, kind, due_date, recipient_role, institution_id, bydel_id, created_at,
           acknowledged_at, acknowledged_by, assigned_to, assigned_at)
         VALUES ($1, $2, $3, $4, '2026-02-02', $5, 'inst-mig', 'bydel-mig', $6, $7, $8, $9, $10)`,
        [
          id,
          stayId,
          milestone,
          kind,
          extra.recipient ?? 'institution',
          at,
          extra.ack ? at : null,
          extra.ack ?? null,
          extra.assigned ?? null,
          extra.assigned ? at : null,
        ],
      );
      return id;
    };
    const mapReminder = await step('housing-mapping', 'reminder', '2026-01-26T00:00:00Z', {
      ack: 'u1',
      assigned: 'u1',
    });
    const mapOverdue = await step('housing-mapping', 'overdue', '2026-02-03T00:00:00Z', { ack: 'u2' });
    const meetingOverdue = await step('first-meeting', 'overdue', '2026-02-03T00:00:00Z', { ack: 'u3' });
    const meetingSecond = await step('first-meeting', 'second-level', '2026-02-17T00:00:00Z', { recipient: 'both' });

    await pool.query(up);

    const { rows } = await pool.query(
      `SELECT id, milestone, level, escalation_id, recipient_role, acknowledged_by, acknowledged_level, assigned_to,
         first_raised_at, level_raised_at FROM deadline_alarms WHERE stay_id = $1 ORDER BY milestone`,
      [stayId],
    );
    expect(rows).toEqual([
      {
        // acknowledged once the second level came: open again
        id: meetingOverdue,
        milestone: 'first-meeting',
        level: 'second-level',
        escalation_id: meetingSecond,
        recipient_role: 'both',
        acknowledged_by: null,
        acknowledged_level: null,
        assigned_to: null,
        first_raised_at: new Date('2026-02-03T00:00:00Z'),
        level_raised_at: new Date('2026-02-17T00:00:00Z'),
      },
      {
        // its highest step was acknowledged; the assignment of the reminder carries over
        id: mapReminder,
        milestone: 'housing-mapping',
        level: 'overdue',
        escalation_id: mapOverdue,
        recipient_role: 'institution',
        acknowledged_by: 'u2',
        acknowledged_level: 'overdue',
        assigned_to: 'u1',
        first_raised_at: new Date('2026-01-26T00:00:00Z'),
        level_raised_at: new Date('2026-02-03T00:00:00Z'),
      },
    ]);
    const steps = await pool.query('SELECT id, alarm_id FROM escalations WHERE stay_id = $1', [stayId]);
    const alarmOf = new Map(steps.rows.map((r) => [r.id, r.alarm_id]));
    expect(alarmOf).toEqual(
      new Map([
        [mapReminder, mapReminder],
        [mapOverdue, mapReminder],
        [meetingOverdue, meetingOverdue],
        [meetingSecond, meetingOverdue],
      ]),
    );
  });
});
