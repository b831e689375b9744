import { describe, expect, it } from 'vitest';
import { followAnchor, latestDoneBefore } from '../../rules/anchored-deadlines';
import { DEFAULT_INTERPRETATIONS } from '../../rules/interpretations';
import { milestoneRule } from '../../rules/milestones';
import { addOffset } from '../../rules/oslo-calendar';

const i = DEFAULT_INTERPRETATIONS;
const admitted = '2026-01-05';
const mapping = milestoneRule('housing-mapping');
const report = milestoneRule('status-report');

describe('a deadline that follows its anchor', () => {
  it('housing-mapping is due with the first meeting, and follows it when a deviation moves it', () => {
    const own = addOffset(admitted, { days: 28 });
    expect(followAnchor(own, { dueDate: own, originalDueDate: null }, mapping.anchor!, i)).toBe('2026-02-02');
    expect(followAnchor(own, { dueDate: '2026-02-14', originalDueDate: own }, mapping.anchor!, i)).toBe('2026-02-14');
    // moved earlier by agreement: the mapping must still be done before the meeting
    expect(followAnchor(own, { dueDate: '2026-01-25', originalDueDate: own }, mapping.anchor!, i)).toBe('2026-01-25');
  });

  it('the status report stays at 4 months while that is in good time before the housing meeting', () => {
    const own = addOffset(admitted, { months: 4 });
    const meeting = addOffset(admitted, { months: 5 });
    expect(followAnchor(own, { dueDate: meeting, originalDueDate: null }, report.anchor!, i)).toBe('2026-05-05');
  });

  it('moves the status report with a housing-meeting deviation, keeping the month between them', () => {
    const own = addOffset(admitted, { months: 4 }); // 2026-05-05
    // housing meeting 2026-06-05 → 2026-08-05 (+61 days): the report follows by 61 days
    expect(followAnchor(own, { dueDate: '2026-08-05', originalDueDate: '2026-06-05' }, report.anchor!, i)).toBe(
      '2026-07-05',
    );
    // housing meeting brought forward to 2026-05-08: the report must come 7 days before it
    expect(followAnchor(own, { dueDate: '2026-05-08', originalDueDate: '2026-06-05' }, report.anchor!, i)).toBe(
      '2026-04-07',
    );
  });

  it('reads "good time" from the interpretation', () => {
    const own = addOffset(admitted, { months: 4 });
    const wide = { ...i, statusReportGoodTimeDays: 45 };
    // 5 months − 45 days is earlier than 4 months: the report is due then
    expect(followAnchor(own, { dueDate: '2026-06-05', originalDueDate: null }, report.anchor!, wide)).toBe(
      '2026-04-21',
    );
    expect(latestDoneBefore('2026-06-01', report.anchor!, wide)).toBe('2026-04-17');
    expect(latestDoneBefore('2026-06-01', report.anchor!, i)).toBe('2026-05-25');
    expect(latestDoneBefore('2026-02-02', mapping.anchor!, i)).toBe('2026-02-02');
  });
});
