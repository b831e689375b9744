import { addOffset, type Offset } from './oslo-calendar';
import type { IsoDate } from './types';

/**
 * The current due date of a recurring deadline (the cooperation meeting, §2): one interval after its anchor (the
 * latest meeting), then one more interval for each due date that passed without a meeting — so a stay without
 * meetings gets a new due date, and a new reminder, every interval instead of silence. Counted from the anchor
 * (k × interval), so month ends do not drift (31 Dec + 2 months = 28 Feb, + 4 months = 30 Apr).
 */
export function recurringDueDate(anchor: IsoDate, interval: Offset, passed: readonly IsoDate[]): IsoDate {
  for (let k = 1; ; k++) {
    const due = addOffset(anchor, { days: (interval.days ?? 0) * k, months: (interval.months ?? 0) * k });
    if (!passed.includes(due)) return due;
  }
}
