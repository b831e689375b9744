import { describe, expect, it } from 'vitest';
import { DEADLINE_KEYS, monthsOf, onTimeShare, percentileOfCounts } from '../../rules/report-definitions';

const counts = (...values: number[]) => {
  const m = new Map<number, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
};

describe('percentileOfCounts', () => {
  it('interpolates linearly between the closest ranks, as percentile_cont does', () => {
    expect(percentileOfCounts(counts(7, 31), 0.5)).toBe(19);
    expect(percentileOfCounts(counts(7, 31), 0.9)).toBe(28.6);
    // 2, 3, 7, 14, 19, 31: median between 7 and 14; p90 at rank 4.5, between 19 and 31
    expect(percentileOfCounts(counts(31, 2, 19, 7, 3, 14), 0.5)).toBe(10.5);
    expect(percentileOfCounts(counts(31, 2, 19, 7, 3, 14), 0.9)).toBe(25);
    expect(percentileOfCounts(counts(5), 0.9)).toBe(5);
  });

  it('counts a value as often as it occurs', () => {
    // 1, 1, 1, 10: rank 1.5 → 1; rank 2.7 → 1 + 0.7 × 9 = 7.3
    expect(
      percentileOfCounts(
        new Map([
          [10, 1],
          [1, 3],
        ]),
        0.5,
      ),
    ).toBe(1);
    expect(
      percentileOfCounts(
        new Map([
          [10, 1],
          [1, 3],
        ]),
        0.9,
      ),
    ).toBe(7.3);
    expect(
      percentileOfCounts(
        new Map([
          [4, 0],
          [6, 2],
        ]),
        0.5,
      ),
    ).toBe(6);
  });

  it('has no percentile of nothing', () => {
    expect(percentileOfCounts(new Map(), 0.5)).toBeNull();
  });
});

describe('report definitions', () => {
  it('shares on time to four decimals, none of nothing', () => {
    expect(onTimeShare(8, 6)).toBe(0.5714);
    expect(onTimeShare(0, 0)).toBeNull();
    expect(onTimeShare(0, 3)).toBe(0);
  });

  it('counts only deadlines whose miss escalates, not the recommended cooperation meeting', () => {
    expect(DEADLINE_KEYS).toContain('first-meeting');
    expect(DEADLINE_KEYS).not.toContain('cooperation-meeting');
  });

  it('lists every month of a period', () => {
    expect(monthsOf('2025-11-15', '2026-02-01')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsOf('2025-03-01', '2025-03-31')).toEqual(['2025-03']);
  });
});
