import { milestoneRule } from '../../../rules/milestones';
import { OVERDUE_BEFORE_OFFER } from '../../../rules/housing-offer';
import { type Refusal, refusal } from '../../../rules/refusals';
import type { IsoDate, MilestoneKey } from '../../../rules/types';
import type { AuditWording } from '../audit-wording';
import type { Actor, CommandRecord, DerivedStay, Registration } from '../types';

/**
 * What one command on a stay is, in one module under commands/: when it is refused (`check`), what it changes
 * (`apply`) and how the audit trail says it (`describe`). The fold, the checks and the audit wording dispatch on the
 * command's `type` through command-registry.ts, which takes the modules from the command table (definitions.ts).
 * Commands are replayed from recorded histories: a change to what one does is a change to workflow code.
 */
export type CommandRules<C extends { type: string }> = {
  type: C['type'];
  /** Why the command would be refused on the stay as it stands, or null. Pure and synchronous (Update validators). */
  check(c: C, ctx: CheckContext): Refusal | null;
  /**
   * A rule only commands sent from now on must meet, which a recorded history need not: asked by the Update's
   * validator alone (checks.ts checkNewCommand). Temporal runs no validator on replay, so a history holding a command
   * accepted before the rule existed replays as it was, and no patch is needed; `accept` does not ask it.
   */
  refuseNew?(c: C, ctx: CheckContext): Refusal | null;
  /** What it changes, on a copy of the stay; due dates and the §3 periods are recomputed after it (fold.ts). */
  apply(c: C, d: DerivedStay, ctx: ApplyContext): void;
  /** Its audit entry, from the stay before and after it. */
  describe(c: C, before: DerivedStay, after: DerivedStay): AuditWording;
};

/** A command people send, as a row of the command table: also how the Update's input becomes the stay's command. */
export type SentCommandRules<C extends { type: string }, I> = CommandRules<C> & {
  /** The stay's command, or a refusal where the input names nothing the stay has (an unknown milestone). */
  toCommand(input: I): C | Refusal;
};

/** Refuses a date before admission (or before `notBefore`, when `what` became possible), or after today. */
export type DateCheck = (value: IsoDate, notBefore?: IsoDate, what?: string) => Refusal | null;

/** The stay as it stood when a command was checked, and who sent it. */
export type CheckContext = {
  reg: Registration;
  d: DerivedStay;
  actor: Actor;
  nowMs: number;
  /** The day in Oslo at `nowMs`. */
  today: IsoDate;
  /** The command is checked by rules version 3 (rule-set.ts). */
  newRules: boolean;
  date: DateCheck;
  /**
   * The stay's whole record (corrections included) and the re-check of records after a change: given when a new
   * command is checked, absent when a correction re-checks the records already accepted.
   */
  history?: { records: CommandRecord[]; firstBrokenRule(records: CommandRecord[]): Refusal | null };
};

/** The record being applied: who sent it and when it was accepted. */
export type ApplyContext = { reg: Registration; record: Pick<CommandRecord, 'seq' | 'actor' | 'acceptedAt'> };

/** What people send is refused once the stay has completed (the workflow's own commands check for themselves). */
export const completedStayRefusal = (d: DerivedStay): Refusal | null =>
  d.status === 'completed'
    ? refusal('stay-closed', 'The stay is completed; nothing more can be recorded on it.')
    : null;

/** What only an active stay takes: refused once it ended early or completed. */
export const inactiveStayRefusal = (d: DerivedStay): Refusal | null =>
  completedStayRefusal(d) ?? (d.status !== 'active' ? refusal('stay-closed', `The stay is ${d.status}.`) : null);

/** A milestone that has not opened yet, and when it would. */
export function notOpen(key: MilestoneKey): string {
  const opens = milestoneRule(key).opens;
  const when: Record<string, string> = {
    'on-demand':
      key === 'extra-status-report'
        ? 'when an extra status report is agreed'
        : 'when the bydel marks the status report insufficient',
    'housing-offered': 'when housing is offered',
    'moved-in': 'when the resident has moved in',
    'stay-end': 'when the resident is discharged or the stay ends',
    discharged: 'when the resident is discharged',
  };
  return `Milestone "${key}" is not open for this stay yet${when[opens] ? ` (it opens ${when[opens]})` : ''}.`;
}

/**
 * A deadline the housing offer silenced is not moved (§2: the offer supersedes the housing track, rules/housing-offer.ts):
 * one missed before the offer stays missed and raises nothing more, one kept to record what is still sent has no
 * deadline. A deviation of it (agreed or confirmed) would reopen an alarm the offer ended, or leave one open under a
 * date not yet passed (found by the property tests). For commands sent from now on (`refuseNew`).
 */
export function silencedByOfferRefusal(d: DerivedStay, key: MilestoneKey): Refusal | null {
  const m = d.milestones.find((x) => x.key === key);
  if (!m?.silencedBy) return null;
  const offered = d.transition.housingOffered?.date;
  const why =
    m.silencedBy === OVERDUE_BEFORE_OFFER
      ? `was already overdue (due ${m.dueDate}) when housing was offered on ${offered}; the offer supersedes the housing track (§2), so its missed deadline stays on record and nothing more is raised`
      : `has no deadline after housing was offered on ${offered} (§2)`;
  return refusal('settled-by-event', `"${key}" ${why}. Its deadline is not moved; record it when it is done.`);
}
