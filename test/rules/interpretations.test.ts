import { describe, expect, it } from 'vitest';
import {
  DEFAULT_INTERPRETATIONS,
  INTERPRETATION_RULES,
  loadInterpretations,
  withDefaults,
} from '../../rules/interpretations';
import { MILESTONE_RULES, milestoneRule } from '../../rules/milestones';

describe('interpretations', () => {
  it('defaults to the product readings of the rule book', () => {
    expect(loadInterpretations({})).toEqual({
      statusReportCausesDays: 14,
      cooperationMeetingIntervalMonths: 2,
      exitMeetingDays: 7,
      followUpMeetingDays: 28,
      statusReportGoodTimeDays: 7,
      dischargedWithoutMoveInDays: 14,
    });
    expect(DEFAULT_INTERPRETATIONS.statusReportCausesDays).toBe(14);
  });

  it('cites the section it interprets (or says the text is silent) and its environment variable', () => {
    for (const r of INTERPRETATION_RULES) {
      expect(r.section, r.key).toMatch(/^(§\d|product$)/);
      expect(r.env, r.key).toMatch(/^RULE_[A-Z_]+$/);
    }
    expect(new Set(INTERPRETATION_RULES.map((r) => r.env)).size).toBe(INTERPRETATION_RULES.length);
  });

  it('gives a stay registered before an interpretation existed its default, keeping what it was registered with', () => {
    const old = {
      statusReportCausesDays: 10,
      cooperationMeetingIntervalMonths: 3,
      exitMeetingDays: 7,
      followUpMeetingDays: 28,
    };
    expect(withDefaults(old)).toEqual({ ...old, statusReportGoodTimeDays: 7, dischargedWithoutMoveInDays: 14 });
  });

  it('takes overrides from the environment', () => {
    expect(loadInterpretations({ RULE_STATUS_REPORT_CAUSES_DAYS: '10' }).statusReportCausesDays).toBe(10);
    expect(loadInterpretations({ RULE_STATUS_REPORT_GOOD_TIME_DAYS: '21' }).statusReportGoodTimeDays).toBe(21);
    expect(loadInterpretations({ RULE_DISCHARGED_WITHOUT_MOVE_IN_DAYS: '10' }).dischargedWithoutMoveInDays).toBe(10);
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

  it('ties each anchored deadline to a milestone that requires it, and names its interpretations', () => {
    for (const rule of MILESTONE_RULES.filter((r) => r.anchor)) {
      expect(milestoneRule(rule.anchor!.milestone).requires, rule.key).toContain(rule.key);
    }
    const keys = new Set(INTERPRETATION_RULES.map((r) => r.key));
    for (const rule of MILESTONE_RULES.filter((r) => r.interpretation))
      expect(keys.has(rule.interpretation!)).toBe(true);
  });

  it('has one rule per key', () => {
    const keys = MILESTONE_RULES.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
