import type { IsoDate } from '../../rules/types';
import type { CorrectionCommand as Correction } from './commands/correct-record';
import type { CommandRecord, StayCommand } from './types';

/** The date a record carries, the one a `change-date` correction replaces. */
export const recordDate = (c: StayCommand): IsoDate | null =>
  c.type === 'complete-milestone'
    ? c.doneAt
    : c.type === 'event'
      ? c.event.date
      : c.type === 'mark-insufficient'
        ? c.date
        : null;

function matchesTarget(c: StayCommand, target: Correction['target']): boolean {
  if ('milestone' in target) return c.type === 'complete-milestone' && c.key === target.milestone;
  return c.type === 'event' && c.event.type === target.event;
}

/** The latest still-effective record a correction refers to. */
export function correctionTarget(effective: CommandRecord[], correction: Correction, beforeSeq: number) {
  for (let i = effective.length - 1; i >= 0; i--) {
    const record = effective[i]!;
    if (record.seq < beforeSeq && matchesTarget(record.command, correction.target)) return { record, index: i };
  }
  return null;
}

function withDate(c: StayCommand, date: IsoDate): StayCommand {
  if (c.type === 'complete-milestone') return { ...c, doneAt: date };
  if (c.type === 'event') return { ...c, event: { ...c.event, date } };
  return c;
}

/** The records as they now stand: corrections applied (withdrawn ones dropped, re-dated ones re-dated), in order. */
export function effectiveRecords(records: CommandRecord[]): CommandRecord[] {
  const effective: CommandRecord[] = [];
  for (const record of records) {
    const c = record.command;
    if (c.type !== 'correction') {
      effective.push(record);
      continue;
    }
    const target = correctionTarget(effective, c, record.seq);
    if (!target) continue;
    if (c.action === 'withdraw') effective.splice(target.index, 1);
    else if (c.date) effective[target.index] = { ...target.record, command: withDate(target.record.command, c.date) };
  }
  return effective;
}
