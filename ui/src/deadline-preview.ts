// The deadlines a stay will get, before it is registered: pure, so it is unit-tested in node.
import { followAnchor } from '../../rules/anchored-deadlines';
import { lastMeeting, ruleDueDate } from '../../rules/due-dates';
import type { Interpretations } from '../../rules/interpretations';
import { MILESTONE_RULES, type MilestoneRule } from '../../rules/milestones';
import { compareDates } from '../../rules/oslo-calendar';
import type { IsoDate, MilestoneKey } from '../../rules/types';
import { everyMonths, formatDate } from './format';

/** Milestones that can be recorded as already done when onboarding a resident admitted before go-live. */
export const ONBOARDABLE = MILESTONE_RULES.filter((r) => r.opens === 'admission' && !r.recurring);

export type PreviewRow = {
  rule: MilestoneRule;
  due: string | null;
  note?: string;
  tone: 'done' | 'overdue' | 'pending' | 'later';
};

/**
 * The deadlines the stay will get, counted by the function the workflow counts with (rules/due-dates.ts) and the
 * interpretations the stay will be registered with, so the preview and the registered stay agree to the day.
 */
export function previewDeadlines(
  admittedAt: string,
  completed: Record<string, string>,
  today: string,
  interpretations: Interpretations,
): PreviewRow[] {
  const dues = new Map<MilestoneKey, IsoDate | null>();
  const base = {
    admittedAt,
    openedOn: null,
    lastMeeting: lastMeeting((key) => [completed[key]]),
    housingOfferedOn: null,
    moveIn: null,
    stayEnd: null,
  };
  for (const rule of MILESTONE_RULES) {
    // a recurring deadline already passed at registration starts its next interval, as the workflow does at once
    const passed: IsoDate[] = [];
    for (;;) {
      const due = ruleDueDate(
        rule,
        { ...base, recurring: { dueOf: (k) => dues.get(k) ?? null, passed } },
        interpretations,
      );
      dues.set(rule.key, due);
      if (!rule.recurring || !due || compareDates(due, today) >= 0) break;
      passed.push(due);
    }
  }
  // deadlines tied to another come no later than it allows (the status report in good time before the housing meeting)
  for (const rule of MILESTONE_RULES) {
    const own = dues.get(rule.key);
    const anchor = rule.anchor && dues.get(rule.anchor.milestone);
    if (rule.anchor && own && anchor)
      dues.set(rule.key, followAnchor(own, { dueDate: anchor, originalDueDate: null }, rule.anchor, interpretations));
  }
  return MILESTONE_RULES.map((rule) => {
    const due = dues.get(rule.key) ?? null;
    const done = completed[rule.key];
    if (done) return { rule, due, tone: 'done', note: `Registreres som fullført ${formatDate(done)}` };
    if (!due) return { rule, due, tone: 'later', note: laterNote(rule, interpretations) };
    if (rule.recurring) return { rule, due, tone: 'pending', note: laterNote(rule, interpretations) };
    if (rule.onMissed === 'overdue' && compareDates(due, today) < 0)
      return { rule, due, tone: 'overdue', note: 'Fristen er allerede passert: blir varslet som forfalt' };
    return { rule, due, tone: 'pending' };
  });
}

const days = (o: { days?: number; months?: number }) =>
  o.months ? `${o.months} måneder` : o.days ? `${o.days} dager` : 'samme dag';

/** When a deadline that is not counted from admission starts to run (the anchors of rules/milestones.ts). */
export function laterNote(rule: MilestoneRule, i: Interpretations): string {
  switch (rule.due.from) {
    case 'opened':
      return `Åpnes hvis bydelen melder statusrapporten mangelfull (frist ${days(rule.due.offset(i))})`;
    case 'last-meeting':
      return `Omtrent ${days(rule.due.offset(i))} etter siste samarbeidsmøte, så påminnelse ${everyMonths(rule.due.offset(i).months ?? 1)} så lenge ingen møter holdes`;
    case 'discharge':
      return `${days(rule.due.offset(i))} etter utskrivingen, hvis verken innflytting eller annen avslutning er registrert (påminnelse til bydelen)`;
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
