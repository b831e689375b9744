import { describe, expect, it } from 'vitest';
import { recurringDueDate } from '../../rules/recurring-deadlines';

describe('a recurring deadline', () => {
  it('is one interval after the latest meeting', () => {
    expect(recurringDueDate('2026-03-10', { months: 2 }, [])).toBe('2026-05-10');
  });

  it('takes the next interval for every due date that passed without a meeting', () => {
    expect(recurringDueDate('2026-03-10', { months: 2 }, ['2026-05-10'])).toBe('2026-07-10');
    expect(recurringDueDate('2026-03-10', { months: 2 }, ['2026-05-10', '2026-07-10', '2026-09-10'])).toBe(
      '2026-11-10',
    );
  });

  it('counts every interval from the anchor, so month ends do not drift', () => {
    expect(recurringDueDate('2025-12-31', { months: 2 }, [])).toBe('2026-02-28');
    expect(recurringDueDate('2025-12-31', { months: 2 }, ['2026-02-28'])).toBe('2026-04-30');
    expect(recurringDueDate('2025-12-31', { months: 2 }, ['2026-02-28', '2026-04-30'])).toBe('2026-06-30');
  });

  it('ignores passed dates of an earlier anchor (a meeting recorded since)', () => {
    expect(recurringDueDate('2026-06-01', { months: 2 }, ['2026-05-10', '2026-07-10'])).toBe('2026-08-01');
  });
});
