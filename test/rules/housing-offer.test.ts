import { describe, expect, it } from 'vitest';
import { offerEffect } from '../../rules/housing-offer';
import { MILESTONE_RULES, milestoneRule } from '../../rules/milestones';

const open = (dueDate: string | null) => ({ dueDate, doneAt: null, applicable: true, openedOn: '2026-01-05' });

describe('housing offered early', () => {
  it('puts exactly the in-stay housing track under the offer', () => {
    expect(
      MILESTONE_RULES.filter((r) => r.onHousingOffered)
        .map((r) => `${r.key}:${r.onHousingOffered}`)
        .sort(),
    ).toEqual([
      'applications:open-without-deadline',
      'housing-meeting:superseded',
      'status-report-causes:superseded',
      'status-report:superseded',
    ]);
    for (const r of MILESTONE_RULES.filter((r) => r.onHousingOffered)) expect(r.phase).toBe('stay');
  });

  it('supersedes what is not yet overdue on the offer date, silences what already is', () => {
    const report = milestoneRule('status-report');
    expect(offerEffect(report, open('2026-05-05'), '2026-04-10')).toBe('superseded');
    // due on the offer date itself is not overdue yet
    expect(offerEffect(report, open('2026-04-10'), '2026-04-10')).toBe('superseded');
    expect(offerEffect(report, open('2026-04-09'), '2026-04-10')).toBe('silenced');
    expect(offerEffect(milestoneRule('applications'), open('2026-07-05'), '2026-04-10')).toBe('open-without-deadline');
  });

  it('leaves done, closed, unopened and non-track milestones alone', () => {
    const report = milestoneRule('status-report');
    expect(offerEffect(report, { ...open('2026-05-05'), doneAt: '2026-04-01' }, '2026-04-10')).toBe('unchanged');
    expect(offerEffect(report, { ...open('2026-05-05'), applicable: false }, '2026-04-10')).toBe('unchanged');
    expect(offerEffect(report, { ...open(null), openedOn: null }, '2026-04-10')).toBe('unchanged');
    expect(offerEffect(milestoneRule('plan-started'), open('2026-01-19'), '2026-04-10')).toBe('unchanged');
  });
});
