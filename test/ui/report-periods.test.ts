import { describe, expect, it } from 'vitest';
import { quarterOf, reportPeriods } from '../../ui/src/reports/periods';

/** The report page's ready-made periods: the quarterly report is one click, whatever day it is prepared on. */
describe('report periods', () => {
  it('knows the calendar quarter of a date, with its first and last day', () => {
    expect(quarterOf('2026-01-01')).toEqual({ year: 2026, quarter: 1, from: '2026-01-01', to: '2026-03-31' });
    expect(quarterOf('2026-05-31')).toEqual({ year: 2026, quarter: 2, from: '2026-04-01', to: '2026-06-30' });
    expect(quarterOf('2026-09-30')).toEqual({ year: 2026, quarter: 3, from: '2026-07-01', to: '2026-09-30' });
    expect(quarterOf('2026-12-31')).toEqual({ year: 2026, quarter: 4, from: '2026-10-01', to: '2026-12-31' });
    expect(quarterOf('2028-02-29').to).toBe('2028-03-31');
  });

  it('offers the last whole quarter by name, and the quarter so far', () => {
    const byLabel = (today: string) => Object.fromEntries(reportPeriods(today).map((p) => [p.label, [p.from, p.to]]));
    expect(byLabel('2026-11-30')).toMatchObject({
      'Forrige kvartal (3. kvartal 2026)': ['2026-07-01', '2026-09-30'],
      'Hittil i kvartalet': ['2026-10-01', '2026-11-30'],
      'Hittil i år': ['2026-01-01', '2026-11-30'],
      'I fjor': ['2025-01-01', '2025-12-31'],
    });
    // early in January the last quarter is the previous year's fourth; on a quarter's first day, the one before it
    expect(byLabel('2027-01-05')).toMatchObject({ 'Forrige kvartal (4. kvartal 2026)': ['2026-10-01', '2026-12-31'] });
    expect(byLabel('2026-04-01')).toMatchObject({
      'Forrige kvartal (1. kvartal 2026)': ['2026-01-01', '2026-03-31'],
      'Hittil i kvartalet': ['2026-04-01', '2026-04-01'],
    });
  });
});
