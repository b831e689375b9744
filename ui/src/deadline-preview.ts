// The deadlines a stay will get, before it is registered: pure, so it is unit-tested in node.
import { DEFAULT_INTERPRETATIONS } from '../../rules/interpretations';
import { MILESTONE_RULES, type MilestoneRule } from '../../rules/milestones';
import { addOffset, compareDates } from '../../rules/oslo-calendar';
import { formatDate } from './format';

/** Milestones that can be recorded as already done when onboarding a resident admitted before go-live. */
export const ONBOARDABLE = MILESTONE_RULES.filter((r) => r.opens === 'admission' && !r.recurring);

export type PreviewRow = {
  rule: MilestoneRule;
  due: string | null;
  note?: string;
  tone: 'done' | 'overdue' | 'pending' | 'later';
};

/**
 * The deadlines the stay will get, computed with the rule table and the calendar arithmetic the workflow uses
 * (rules/milestones.ts, rules/oslo-calendar.ts), so the preview and the registered stay agree to the day.
 */
export function previewDeadlines(admittedAt: string, completed: Record<string, string>, today: string): PreviewRow[] {
  const meetings = MILESTONE_RULES.filter((r) => r.isMeeting && completed[r.key]).map((r) => completed[r.key]!);
  const lastMeeting = meetings.sort(compareDates).at(-1) ?? null;
  return MILESTONE_RULES.map((rule) => {
    const due =
      rule.due.from === 'admission'
        ? addOffset(admittedAt, rule.due.offset)
        : rule.due.from === 'last-meeting' && lastMeeting
          ? addOffset(lastMeeting, rule.due.offset(DEFAULT_INTERPRETATIONS))
          : null;
    const done = completed[rule.key];
    if (done) return { rule, due, tone: 'done', note: `Registreres som fullført ${formatDate(done)}` };
    if (!due) return { rule, due, tone: 'later', note: laterNote(rule) };
    if (rule.onMissed === 'overdue' && compareDates(due, today) < 0)
      return { rule, due, tone: 'overdue', note: 'Fristen er allerede passert: blir varslet som forfalt' };
    return { rule, due, tone: 'pending' };
  });
}

const days = (o: { days?: number; months?: number }) =>
  o.months ? `${o.months} måneder` : o.days ? `${o.days} dager` : 'samme dag';

/** When a deadline that is not counted from admission starts to run (the anchors of rules/milestones.ts). */
export function laterNote(rule: MilestoneRule): string {
  const i = DEFAULT_INTERPRETATIONS;
  switch (rule.due.from) {
    case 'opened':
      return `Åpnes hvis bydelen melder statusrapporten mangelfull (frist ${days(rule.due.offset(i))})`;
    case 'last-meeting':
      return `Omtrent ${days(rule.due.offset(i))} etter siste samarbeidsmøte`;
    case 'housing-offered':
      return `${days(rule.due.offset(i))} etter at bolig er tilbudt`;
    case 'move-in':
      return `Ved innflytting${rule.due.offset(i).days ? ` (+${days(rule.due.offset(i))})` : ''}`;
    case 'stay-end':
      return `${days(rule.due.offset)} etter at oppholdet slutter`;
    case 'agreed':
      return 'Når en ekstra statusrapport avtales';
    default:
      return '';
  }
}
