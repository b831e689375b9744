import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createReadModelActivities } from '../../activities/read-model/sync-stay';
import { addOffset } from '../../rules/oslo-calendar';
import type { MilestoneKey } from '../../rules/types';
import type { EscalationRecord, MilestoneRow, ReadModelSync } from '../../workflows/stay/types';
import { openMilestone } from './escalation-fixtures';

const OVERDUE: { key: MilestoneKey; days: number }[] = [
  { key: 'plan-started', days: 14 },
  { key: 'housing-mapping', days: 28 },
  { key: 'first-meeting', days: 28 },
];

/**
 * Stays whose first three deadlines were missed, written through the real read-model activity as their workflows would
 * have written them (no workflows run), addressed to both parties: many inbox rows in seconds. Every other stay's plan
 * has climbed to the second level. Returns the stays' ids, in the order of their references (`${prefix}-000`, …).
 */
export async function seedMissedDeadlines(
  pool: Pool,
  opts: { institutionId: string; bydelId: string; count: number; prefix: string; today: string },
): Promise<string[]> {
  const sync = createReadModelActivities(pool);
  const ids: string[] = [];
  for (let i = 0; i < opts.count; i++) {
    const id = randomUUID();
    ids.push(id);
    const admittedAt = addOffset(opts.today, { days: -(45 + (i % 20)) });
    const now = new Date().toISOString();
    const milestones: MilestoneRow[] = OVERDUE.map((m, position) =>
      openMilestone(m.key, addOffset(admittedAt, { days: m.days }), position, null),
    );
    const escalations: EscalationRecord[] = milestones.flatMap((m) => [
      { id: randomUUID(), milestone: m.key, kind: 'overdue', dueDate: m.dueDate!, recipient: 'both', createdAt: now },
      ...(i % 2 === 0 && m.key === 'plan-started'
        ? [
            {
              id: randomUUID(),
              milestone: m.key,
              kind: 'second-level' as const,
              dueDate: m.dueDate!,
              recipient: 'both' as const,
              createdAt: now,
            },
          ]
        : []),
    ]);
    const write: ReadModelSync = {
      stay: {
        id,
        residentRef: `${opts.prefix}-${String(i).padStart(3, '0')}`,
        institutionId: opts.institutionId,
        bydelId: opts.bydelId,
        admittedAt,
        status: 'active',
        convener: 'institution',
        revision: 1,
        createdAt: now,
        updatedAt: now,
      },
      milestones,
      audit: [],
      escalations,
    };
    await sync.syncStayReadModel(write);
  }
  return ids;
}
