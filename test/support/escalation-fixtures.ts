import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createReadModelActivities } from '../../activities/read-model/sync-stay';
import type { IsoDate, MilestoneKey } from '../../rules/types';
import type { EscalationRecord, MilestoneRow, ReadModelSync } from '../../workflows/stay/types';

/** A milestone row as the read model holds one still open on `dueDate` (the institution's, escalating). */
export const openMilestone = (
  key: MilestoneKey,
  dueDate: IsoDate,
  position: number,
  originalDueDate: IsoDate | null = dueDate,
): MilestoneRow => ({
  key,
  dueDate,
  originalDueDate,
  doneAt: null,
  applicable: true,
  recurring: false,
  escalates: true,
  responsible: 'institution',
  details: null,
  deviation: null,
  closedBy: null,
  position,
});

/**
 * Raises escalations through the real read-model activity (the one the stay workflow calls), as a stay
 * workflow would after its timers fired: the stay row with each escalated milestone still open on its (last) due
 * date, then the escalation and its outbox rows in one transaction. On a stay already written (`stay.id` again) the
 * stay and its milestones stay as they were (the revision guard); the escalations are added.
 */
export async function raiseEscalations(
  pool: Pool,
  stay: { id?: string; institutionId: string; bydelId: string },
  escalations: Array<Pick<EscalationRecord, 'milestone' | 'kind' | 'dueDate' | 'recipient'>>,
) {
  const id = stay.id ?? randomUUID();
  const now = new Date().toISOString();
  const records: EscalationRecord[] = escalations.map((e) => ({ ...e, id: randomUUID(), createdAt: now }));
  const sync: ReadModelSync = {
    stay: {
      id,
      residentRef: 'R-TEST-0001',
      institutionId: stay.institutionId,
      bydelId: stay.bydelId,
      admittedAt: '2026-01-05',
      status: 'active',
      convener: 'institution',
      revision: 1,
      createdAt: now,
      updatedAt: now,
    },
    milestones: [...new Map(escalations.map((e) => [e.milestone, e.dueDate])).entries()].map(([key, dueDate], i) =>
      openMilestone(key, dueDate, i),
    ),
    audit: [],
    escalations: records,
  };
  await createReadModelActivities(pool).syncStayReadModel(sync);
  return { stayId: id, escalations: records, sync };
}
