import { describe, expect, it } from 'vitest';
import { DEFAULT_INTERPRETATIONS, loadInterpretations } from '../../rules/interpretations';
import { MILESTONE_RULES } from '../../rules/milestones';

describe('interpretations', () => {
  it('defaults to the product readings of the rule book', () => {
    expect(loadInterpretations({})).toEqual({
      statusReportCausesDays: 14,
      cooperationMeetingIntervalMonths: 2,
      exitMeetingDays: 7,
      followUpMeetingDays: 28,
    });
    expect(DEFAULT_INTERPRETATIONS.statusReportCausesDays).toBe(14);
  });

  it('takes overrides from the environment', () => {
    expect(loadInterpretations({ RULE_STATUS_REPORT_CAUSES_DAYS: '10' }).statusReportCausesDays).toBe(10);
  });

  it('refuses a value that is not a positive whole number, naming the variable', () => {
    expect(() => loadInterpretations({ RULE_STATUS_REPORT_CAUSES_DAYS: 'soon' })).toThrow(
      /RULE_STATUS_REPORT_CAUSES_DAYS/,
    );
    expect(() => loadInterpretations({ RULE_COOPERATION_MEETING_INTERVAL_MONTHS: '0' })).toThrow(/between 1 and 365/);
  });
});

describe('the rule table', () => {
  it('cites a Fellesskriv section for every milestone', () => {
    for (const rule of MILESTONE_RULES) expect(rule.section, rule.key).toMatch(/^§\d/);
  });

  it('has one rule per key', () => {
    const keys = MILESTONE_RULES.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
