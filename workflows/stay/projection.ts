import { NO_DEADLINE_AFTER_OFFER } from '../../rules/housing-offer';
import { withDefaults } from '../../rules/interpretations';
import { milestoneRule } from '../../rules/milestones';
import { effectiveRecords } from './corrections';
import { responsibleFor } from './derived-stay';
import type { CommandRecord, DerivedStay, MilestoneRow, ReadModelSync, RecordedBy, StaySnapshot } from './types';

/** The stay as the read model stores it, with the outbox to append. */
export function toReadModel(s: StaySnapshot, d: DerivedStay): ReadModelSync {
  return {
    stay: {
      id: s.stayId,
      residentRef: s.residentRef,
      institutionId: d.institutionId,
      bydelId: d.bydelId,
      admittedAt: s.admittedAt,
      status: d.status,
      convener: d.convener,
      revision: s.revision,
      createdAt: s.createdAt,
      updatedAt: s.updatedAt,
      rulesVersion: s.rulesVersion,
      previousStayId: s.previousStayId,
      transition: d.transition,
      interpretations: withDefaults(s.interpretations),
      recordedBy: recordedBy(effectiveRecords(s.records)),
    },
    milestones: d.milestones
      .map((m, position): MilestoneRow | null => {
        if (!m.openedOn) return null;
        const rule = milestoneRule(m.key);
        return {
          key: m.key,
          dueDate: m.dueDate,
          originalDueDate: m.originalDueDate,
          doneAt: m.doneAt,
          applicable: m.applicable,
          recurring: rule.recurring,
          escalates: rule.onMissed === 'overdue' && m.silencedBy !== NO_DEADLINE_AFTER_OFFER,
          responsible: responsibleFor(rule, d),
          details: rule.recurring
            ? { occurrences: m.occurrences }
            : rule.due.from === 'agreed'
              ? { agreedDates: m.agreedDates ?? [], delivered: m.occurrences }
              : m.details,
          deviation: m.deviation,
          closedBy: m.closedBy,
          position,
          pendingDeviation: m.pendingDeviation ?? null,
          silencedBy: m.silencedBy ?? null,
        };
      })
      .filter((row): row is MilestoneRow => row !== null),
    audit: [...s.outbox.audit],
    escalations: [...s.outbox.escalations],
  };
}

/** Who recorded each completion and event still in effect (a re-dated record keeps its author). */
function recordedBy(effective: CommandRecord[]): RecordedBy {
  const by: RecordedBy = { milestones: {}, events: {} };
  for (const { command: c, actor } of effective) {
    const recorder = { role: actor.role, org: actor.org };
    if (c.type === 'complete-milestone') by.milestones[c.key] = recorder;
    else if (c.type === 'event') by.events[c.event.type] = recorder;
  }
  return by;
}
