import { isPastDue } from './oslo-calendar';
import type { IsoDate } from './types';

export type MilestoneStatus = 'pending' | 'done' | 'overdue' | 'not-applicable';

/**
 * A milestone's status at an instant. Computed when read, not stored: a deadline passes at midnight without
 * anything being written. A reminder-only milestone (a recommendation) is never overdue.
 */
export function milestoneStatus(
  m: { dueDate: IsoDate | null; doneAt: IsoDate | null; applicable: boolean; escalates: boolean },
  nowMs: number,
): MilestoneStatus {
  if (!m.applicable) return 'not-applicable';
  if (m.doneAt) return 'done';
  if (m.escalates && m.dueDate && isPastDue(m.dueDate, nowMs)) return 'overdue';
  return 'pending';
}
