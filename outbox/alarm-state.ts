/**
 * When an alarm (a deadline's escalation) is settled, from the stay as the read model holds it: the milestone was
 * done, no longer applies or is gone, its due date moved (a deviation, the next recurring date), or the stay is over.
 * One rule for the inbox ("resolved") and for notifications (a queued one about a settled alarm is never sent: it
 * would be a false alarm). `alarm`: a row with `due_date` (deadline_alarms or escalations); `milestone`: its
 * stay_milestones row (LEFT JOIN on stay and key); `stay`: its stays row.
 */
export const alarmSettledSql = (alarm: string, milestone: string, stay: string) =>
  `(${milestone}.key IS NULL OR ${milestone}.done_at IS NOT NULL OR NOT ${milestone}.applicable
    OR ${milestone}.due_date IS DISTINCT FROM ${alarm}.due_date OR ${stay}.status = 'completed')`;
