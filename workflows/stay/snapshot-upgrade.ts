import { DEFAULT_INTERPRETATIONS } from '../../rules/interpretations';
import { compareDates } from '../../rules/oslo-calendar';
import { SYSTEM } from './system-actor';
import type { CommandRecord, StayCommand, StaySnapshot, StaySnapshotV1 } from './types';

/** Any snapshot a continue-as-new may carry, as the current version. */
export const currentSnapshot = (snapshot: StaySnapshot | StaySnapshotV1): StaySnapshot =>
  'version' in snapshot ? snapshot : upgradeV1(snapshot);

/** A snapshot written by the first release (before the transition) becomes registration + records. */
function upgradeV1(v1: StaySnapshotV1): StaySnapshot {
  const records: CommandRecord[] = [];
  const push = (command: StayCommand) =>
    records.push({ seq: records.length + 1, actor: SYSTEM, acceptedAt: v1.updatedAt, command });
  const byDate = [...v1.milestones].sort((a, b) => compareDates(a.doneAt ?? '9999', b.doneAt ?? '9999'));
  for (const m of byDate) {
    if (m.key === 'status-report-causes' && m.openedOn) push({ type: 'mark-insufficient', date: m.openedOn });
    if (m.doneAt) push({ type: 'complete-milestone', key: m.key, doneAt: m.doneAt, details: m.details });
    for (const date of m.occurrences) push({ type: 'complete-milestone', key: m.key, doneAt: date, details: null });
  }
  return {
    version: 2,
    stayId: v1.stayId,
    residentRef: v1.residentRef,
    admittedAt: v1.admittedAt,
    registeredInstitutionId: v1.institutionId,
    registeredBydelId: v1.bydelId,
    previousStayId: null,
    interpretations: { ...DEFAULT_INTERPRETATIONS, ...v1.interpretations },
    rulesVersion: v1.rulesVersion,
    createdAt: v1.createdAt,
    updatedAt: v1.updatedAt,
    records,
    raised: v1.milestones.flatMap((m) => m.raised.map((tag) => `${m.key}|${tag.replace(':', '|')}`)),
    revision: v1.revision,
    auditSeq: v1.auditSeq,
    outbox: v1.outbox,
  };
}
