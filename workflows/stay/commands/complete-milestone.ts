import { latestDoneBefore } from '../../../rules/anchored-deadlines';
import { SUPERSEDED_BY_OFFER } from '../../../rules/housing-offer';
import { withDefaults } from '../../../rules/interpretations';
import { MILESTONE_RULES, milestoneRule } from '../../../rules/milestones';
import { addOffset, compareDates, daysBetween } from '../../../rules/oslo-calendar';
import { type Refusal, refusal, unknownMilestone } from '../../../rules/refusals';
import { type IsoDate, isMilestoneKey, type MilestoneKey } from '../../../rules/types';
import { milestoneOf } from '../derived-stay';
import type { Actor, DerivedStay, Registration } from '../types';
import { completedStayRefusal, notOpen, type SentCommandRules } from './command-rules';

/** The Update's input (wire format: stored in workflow histories, so fields are only ever added). */
export type CompleteMilestoneInput = {
  key: string;
  doneAt: IsoDate;
  /** Milestone-specific record (validated by the API against rules/milestone-details). */
  details?: Record<string, unknown>;
  actor: Actor;
};

export type CompleteMilestoneCommand = {
  type: 'complete-milestone';
  key: MilestoneKey;
  doneAt: IsoDate;
  details: Record<string, unknown> | null;
  /** Recorded at registration, for a resident admitted before go-live. */
  onboarded?: boolean;
};

/** A milestone done (a recurring one: one more occurrence), with what its record says. */
export const completeMilestone: SentCommandRules<CompleteMilestoneCommand, CompleteMilestoneInput> = {
  type: 'complete-milestone',

  toCommand: (i) =>
    isMilestoneKey(i.key)
      ? { type: 'complete-milestone', key: i.key, doneAt: i.doneAt, details: i.details ?? null }
      : unknownMilestone(i.key),

  check(c, { reg, d, newRules, date }) {
    const completed = completedStayRefusal(d);
    if (completed) return completed;
    const t = d.transition;
    const m = milestoneOf(d, c.key);
    const rule = milestoneRule(c.key);
    if (d.status === 'ended' && c.key !== 'final-report') {
      return refusal('stay-closed', 'The stay has ended early; only the final report is still due.');
    }
    if (newRules && rule.settledBy)
      return refusal(
        'settled-by-event',
        `"${c.key}" is not completed on its own: record the ${rule.settledBy.map((e) => `"${e}"`).join(' or ')} event (POST /api/stays/:id/events/:type).`,
      );
    if (!m.openedOn) return refusal('not-open', notOpen(c.key));
    // a milestone the housing offer superseded can still be recorded, if it was done after all
    if (!m.applicable && !(newRules && m.closedBy === SUPERSEDED_BY_OFFER))
      return refusal(
        'not-open',
        `Milestone "${c.key}" does not apply to this stay${m.closedBy ? ` (${m.closedBy})` : ''}.`,
      );
    if (m.doneAt)
      return refusal(
        'already-done',
        `Milestone "${c.key}" was already completed on ${m.doneAt}. A correction is a separate action.`,
      );
    if (rule.recurring && m.occurrences.includes(c.doneAt)) {
      return refusal('already-done', `A ${c.key} on ${c.doneAt} is already recorded.`);
    }
    const dateRefusal = date(c.doneAt, m.openedOn, `"${c.key}"`);
    if (dateRefusal) return dateRefusal;
    for (const prerequisite of rule.requires) {
      const p = milestoneOf(d, prerequisite);
      // superseded by the housing offer: no longer a prerequisite of anything
      if (newRules && !p.doneAt && p.closedBy === SUPERSEDED_BY_OFFER) continue;
      if (!p.doneAt) {
        return refusal(
          'prerequisite-missing',
          `"${c.key}" requires "${prerequisite}" to be completed first (Fellesskriv ${rule.section}).`,
        );
      }
      if (compareDates(p.doneAt, c.doneAt) > 0) {
        return refusal(
          'date-before-prerequisite',
          `"${c.key}" on ${c.doneAt} would be before "${prerequisite}" (done ${p.doneAt}); it must come after it (Fellesskriv ${rule.section}).`,
        );
      }
    }
    if (newRules && !c.onboarded) {
      const late = notInGoodTime(reg, d, c.key, c.doneAt, c.details);
      if (late) return late;
    }
    if (c.key === 'exit-meeting' && !t.exitPlan && !c.onboarded) {
      return refusal(
        'prerequisite-missing',
        'Record the exit plan (PUT /api/stays/:id/exit-plan) with the exit meeting (Fellesskriv §3.2).',
      );
    }
    return null;
  },

  apply(c, d) {
    const m = milestoneOf(d, c.key);
    const rule = milestoneRule(c.key);
    if (rule.recurring || rule.due.from === 'agreed') m.occurrences = [...m.occurrences, c.doneAt].sort(compareDates);
    else {
      m.doneAt = c.doneAt;
      m.details = c.onboarded ? { onboarded: true } : c.details;
      // done after all, though the housing offer had superseded it: it is recorded as done
      if (m.closedBy === SUPERSEDED_BY_OFFER) Object.assign(m, { applicable: true, closedBy: null });
    }
  },

  describe: (c) => [
    c.onboarded ? 'milestone.onboarded' : 'milestone.completed',
    c.key,
    { doneAt: c.doneAt, section: milestoneRule(c.key).section, ...(c.details ?? {}) },
  ],
};

/**
 * A milestone whose completion checks that what it requires came in good time before it (rule `anchor` of the
 * required one, e.g. the status report "i god tid før" the housing meeting, §2.2), unless the completion records that
 * the parties agreed to go ahead anyway (the anchor's `waiver`, §1).
 */
function notInGoodTime(
  reg: Registration,
  d: DerivedStay,
  key: MilestoneKey,
  doneAt: IsoDate,
  details: Record<string, unknown> | null,
): Refusal | null {
  const i = withDefaults(reg.interpretations);
  for (const dependent of MILESTONE_RULES) {
    const anchor = dependent.anchor;
    if (anchor?.milestone !== key || !milestoneRule(key).requires.includes(dependent.key)) continue;
    const p = milestoneOf(d, dependent.key);
    if (!p.doneAt) continue;
    const latest = latestDoneBefore(doneAt, anchor, i);
    if (compareDates(p.doneAt, latest) <= 0) continue;
    if (anchor.waiver && details?.[anchor.waiver] === true) continue;
    const gap = -daysBetween(doneAt, latest);
    return refusal(
      'not-in-good-time',
      `"${dependent.key}" was done on ${p.doneAt}, less than ${gap} days before "${key}" on ${doneAt}; Fellesskriv ${dependent.section} asks for it in good time before (the product reads that as ${gap} days). Record "${key}" on ${addOffset(p.doneAt, { days: gap })} or later${anchor.waiver ? `, or — if both parties agreed to hold it anyway (§1) — with "${anchor.waiver}": true` : ''}.`,
    );
  }
  return null;
}
