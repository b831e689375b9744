import type { Interpretations } from './interpretations';
import { MILESTONE_RULES, type MilestoneRule, milestoneRule } from './milestones';
import type { Offset } from './oslo-calendar';

const span = (o: Offset): string => {
  const parts = [
    o.months ? `${Math.abs(o.months)} month${Math.abs(o.months) === 1 ? '' : 's'}` : '',
    o.days ? `${Math.abs(o.days)} day${Math.abs(o.days) === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : 'the same day';
};
const plus = (from: string, o: Offset) => (o.days || o.months ? `${from} + ${span(o)}` : from);

/**
 * A milestone's deadline in words, counted with the given interpretations (the running configuration for the API's
 * documentation, a stay's own for the stay): the API documents what it runs, never a compiled-in default.
 */
export function describeDeadline(rule: MilestoneRule, i: Interpretations): string {
  const due = rule.due;
  let text: string;
  switch (due.from) {
    case 'admission':
      text = plus('admission', due.offset);
      break;
    case 'opened':
      text = `${span(due.offset(i))} after it is opened`;
      break;
    case 'last-meeting':
      text = `${span(due.offset(i))} after the latest meeting (before any, after the ${due.untilFirst} deadline), then every ${span(due.offset(i))} while none is held`;
      break;
    case 'housing-offered':
      text = plus('housing offered', due.offset(i));
      break;
    case 'move-in':
      text = plus('the move-in date', due.offset(i));
      break;
    case 'stay-end':
      text = plus('the end of the stay', due.offset);
      break;
    case 'discharge':
      text = plus('discharge', due.offset(i));
      break;
    case 'agreed':
      text = 'on each date agreed for the stay';
      break;
  }
  if (rule.anchor) {
    const o = rule.anchor.offset(i);
    const before = (o.days ?? 0) < 0 || (o.months ?? 0) < 0;
    text += `; ${before ? `at least ${span(o)} before` : 'no later than'} the ${rule.anchor.milestone} deadline, moving with it`;
  }
  if (rule.onMissed === 'reminder') text += ' (a reminder, never overdue)';
  return `${text} (${rule.section}${rule.interpretation ? ', product interpretation' : ''})`;
}

/** Every milestone key with its deadline in words, for the API's documentation. */
export const describeDeadlines = (i: Interpretations): string =>
  MILESTONE_RULES.map((r) => `\`${r.key}\`: ${describeDeadline(milestoneRule(r.key), i)}`).join('; ');
