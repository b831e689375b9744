import { ADMISSION_WINDOW_YEARS, admittedTooLongAgo, earliestAdmission } from '../../rules/admission-window';
import { DEFAULT_INTERPRETATIONS } from '../../rules/interpretations';
import { MILESTONE_RULES, milestoneRule, RULES_VERSION } from '../../rules/milestones';
import { compareDates, isPastDue, osloDate } from '../../rules/oslo-calendar';
import { type Refusal, refusal, unknownMilestone } from '../../rules/refusals';
import { OVERDUE_BEFORE_OFFER, SUPERSEDED_BY_OFFER } from '../../rules/housing-offer';
import { isMilestoneKey, type IsoDate, type MilestoneKey } from '../../rules/types';
import { type AuditWording, describeCommand, describeEscalation, describeRegistration } from './audit-wording';
import { underTheOffer } from './stay-changes';
import { checkCommand, checkNewCommand, closedStayRefusal, isClosed } from './checks';
import { effectiveRecords } from './corrections';
import { milestoneOf } from './derived-stay';
import { apply, fold } from './fold';
import {
  escalationFor,
  isStepDue,
  ladderSchedule,
  ladderTag,
  nextDeadlineAt,
  passingRecurring,
  type ScheduledStep,
  stepInstant,
} from './ladder';
import { toReadModel } from './projection';
import { acceptedBeforeFidelityRules, hasFidelityRules } from './rule-set';
import { currentSnapshot } from './snapshot-upgrade';
import { SYSTEM } from './system-actor';
import type {
  Actor,
  AuditEntry,
  CommandRecord,
  DerivedStay,
  ReadModelSync,
  RegisterStayInput,
  StayCommand,
  StaySnapshot,
  StaySnapshotV1,
} from './types';

export { emptyTransition } from './fold';
export { SYSTEM } from './system-actor';

/**
 * The stay's state, pure: no Temporal calls, time and ids passed in. The state is a fold over the accepted
 * commands (`records`) on top of the registration, so a correction — withdrawing or re-dating an earlier record —
 * recomputes everything that follows from it, and nothing is ever erased from the record. This class keeps the
 * snapshot, the revision and the outbox; the rules live in checks, fold, corrections, ladder and projection.
 */
export class StayState {
  private derived: DerivedStay;
  /** The ladder's steps of `derived`, computed once per derived stay (and ladder flag). */
  private schedule: { of: DerivedStay; ladder: boolean; steps: ScheduledStep[] } | null = null;
  /** Instants of ladder steps already computed, by step and ladder flag. */
  private readonly instants = new Map<string, number>();
  /** followsAnchorMovedAfterOffer of `derived`. */
  private movedAfterOffer: { of: DerivedStay; value: boolean } | null = null;

  private constructor(private readonly s: StaySnapshot) {
    this.derived = fold(s, effectiveRecords(s.records));
  }

  static fromSnapshot(snapshot: StaySnapshot | StaySnapshotV1): StayState {
    return new StayState(currentSnapshot(snapshot));
  }

  /**
   * Registers a stay; onboarding (`completed`) is applied oldest date first, with the same checks as a completion.
   * `rulesVersion`: the rules it runs by — the newest, unless the workflow replays a history registered before them.
   */
  static register(input: RegisterStayInput, nowMs: number, rulesVersion = RULES_VERSION): StayState {
    const at = new Date(nowMs).toISOString();
    const state = new StayState({
      version: 2,
      stayId: input.stayId,
      residentRef: input.residentRef,
      admittedAt: input.admittedAt,
      registeredInstitutionId: input.institutionId,
      registeredBydelId: input.bydelId,
      previousStayId: input.previousStayId ?? null,
      interpretations: { ...DEFAULT_INTERPRETATIONS, ...input.interpretations },
      rulesVersion,
      ...(input.retentionDays ? { retentionDays: input.retentionDays } : {}),
      createdAt: at,
      updatedAt: at,
      records: [],
      raised: [],
      revision: 0,
      auditSeq: 0,
      outbox: { audit: [], escalations: [] },
    });
    state.audit(nowMs, input.actor, describeRegistration(input, rulesVersion));
    for (const [key, doneAt] of onboardingOrder(input.completed ?? {})) {
      const command: StayCommand = {
        type: 'complete-milestone',
        key: key as MilestoneKey,
        doneAt,
        details: null,
        onboarded: true,
      };
      if (!isMilestoneKey(key)) throw new CommandRefused(unknownMilestone(key));
      state.accept(command, input.actor, nowMs);
    }
    state.s.revision = 1;
    return state;
  }

  /** The refusal `register` would give, or null: for the API, before it starts a workflow. */
  static validateRegistration(input: RegisterStayInput, nowMs: number): Refusal | null {
    const today = osloDate(nowMs);
    if (compareDates(input.admittedAt, today) > 0) {
      return refusal(
        'date-in-future',
        `admittedAt ${input.admittedAt} is in the future; register the stay on or after the admission date.`,
      );
    }
    if (admittedTooLongAgo(input.admittedAt, today)) {
      return refusal(
        'date-too-early',
        `The admission date ${input.admittedAt} is more than ${ADMISSION_WINDOW_YEARS} years ago (before ${earliestAdmission(today)}); check the year.`,
      );
    }
    try {
      StayState.register(input, nowMs);
      return null;
    } catch (err) {
      if (err instanceof CommandRefused) return err.refusal;
      throw err;
    }
  }

  get snapshot(): StaySnapshot {
    return this.s;
  }

  get stay(): DerivedStay {
    return this.derived;
  }

  get revision(): number {
    return this.s.revision;
  }

  get hasOutbox(): boolean {
    return this.s.outbox.audit.length > 0 || this.s.outbox.escalations.length > 0;
  }

  // ---- commands ------------------------------------------------------------------------------------------------

  /**
   * Why `command` by `actor` would be refused now, or null. Pure: used by the Update validators. A closed stay refuses
   * at once whatever rules it runs by: a validator's refusal leaves no trace in history, so this is safe for stays
   * of any version (see closedStayRefusal).
   */
  check(command: StayCommand, actor: Actor, nowMs: number): Refusal | null {
    return (
      closedStayRefusal(this.s, this.derived, command, actor) ??
      checkNewCommand(this.s, this.derived, command, actor, nowMs)
    );
  }

  /**
   * Accepts a command (re-checking it by the stay's rules), records it and recomputes the stay. The closed-stay
   * refusal is re-checked only for stays on rules version 3: an older history may hold a command accepted on a closed
   * stay, which its replay must accept again.
   */
  accept(command: StayCommand, actor: Actor, nowMs: number): void {
    const refused =
      (hasFidelityRules(this.s) ? closedStayRefusal(this.s, this.derived, command, actor) : null) ??
      checkCommand(this.s, this.derived, command, actor, nowMs);
    if (refused) throw new CommandRefused(refused);
    const wasClosed = this.isClosed;
    const record: CommandRecord = {
      seq: this.s.records.length + 1,
      actor,
      acceptedAt: new Date(nowMs).toISOString(),
      command,
    };
    const before = this.derived;
    this.s.records.push(record);
    // A command that corrects nothing leaves the records before it as they were: applying it to the stay as it stands
    // gives what folding every record again gives. A correction may change any earlier record: fold them all.
    this.derived =
      command.type === 'correction' ? fold(this.s, effectiveRecords(this.s.records)) : apply(this.s, before, record);
    this.audit(nowMs, actor, describeCommand(command, before, this.derived));
    if (wasClosed && !this.isClosed) {
      this.audit(nowMs, actor, ['stay.reopened', null, { by: command.type, status: this.derived.status }]);
    }
    this.bump(nowMs);
  }

  /**
   * A running stay adopts the newest rules (the workflow calls this behind a patch, from its next workflow task on).
   * The stay is recomputed by them: milestones a housing offer supersedes close, and the alarms they raised resolve in
   * the read model (they stay in the history). Returns true when it changed anything.
   */
  adoptRules(nowMs: number): boolean {
    if (this.s.rulesVersion >= RULES_VERSION) return false;
    const before = this.derived;
    const from = this.s.rulesVersion;
    this.s.rulesVersion = RULES_VERSION;
    this.s.rulesAdoptedAt = new Date(nowMs).toISOString();
    this.s.rulesAdoptedAfterSeq = this.s.records.at(-1)?.seq ?? 0;
    this.derived = fold(this.s, effectiveRecords(this.s.records));
    this.audit(nowMs, SYSTEM, [
      'rules.adopted',
      null,
      { from, to: RULES_VERSION, ...underTheOffer(before, this.derived) },
    ]);
    this.bump(nowMs);
    return true;
  }

  /** An agreed deviation of a recurring deadline is in effect (what adoptLapsingDeviations is about). */
  get hasRecurringDeviation(): boolean {
    return this.derived.milestones.some((m) => m.deviation && milestoneRule(m.key).recurring);
  }

  /**
   * The seventh release (the workflow calls this behind a patch, from its next workflow task on): an agreed deviation of
   * a recurring deadline lapses once its interval is over (fold.ts `lapsed`). Before it, such a deviation whose date had
   * passed held the due date there, and rollRecurring never finished its workflow task. Returns true when it changed
   * the stay.
   */
  adoptLapsingDeviations(nowMs: number): boolean {
    return this.adoptAmendment('recurringDeviationsLapse', nowMs, [
      'rules.amended',
      null,
      { amendment: 'recurring-deviation-lapses', section: '§2' },
    ]);
  }

  /**
   * A deadline the housing offer silenced as already overdue follows an anchor the offer superseded (what
   * adoptOfferKeepsAnchors is about).
   */
  get followsSupersededAnchor(): boolean {
    return this.derived.milestones.some((m) => {
      const anchor = milestoneRule(m.key).anchor;
      return (
        m.silencedBy === OVERDUE_BEFORE_OFFER &&
        !!anchor &&
        milestoneOf(this.derived, anchor.milestone).closedBy === SUPERSEDED_BY_OFFER
      );
    });
  }

  /**
   * The seventh release (the workflow calls this behind a patch, from its next workflow task on): a deadline the
   * housing offer found overdue keeps the due date its anchor's deviation gave it (fold.ts followAnchors). Before it,
   * the offer's superseding the anchor put it back on the rule's own, later date, and its alarm for the date missed
   * resolved by itself (found by the property tests). Returns true when it changed the stay.
   */
  adoptOfferKeepsAnchors(nowMs: number): boolean {
    return this.adoptAmendment('offerKeepsAnchors', nowMs, ['rules.offer-keeps-deadline', null, { section: '§2' }]);
  }

  /**
   * A deadline the housing offer found overdue would be moved past it by a deviation recorded after the offer, of its
   * own or of its superseded anchor (what adoptOfferAnchorsAsOffered is about): the stay folded with the ninth release's
   * amendment differs from the stay folded without it, both keeping the seventh release's. Folds only for a stay with
   * such a deadline and a deviation (rare), once per state.
   */
  get followsAnchorMovedAfterOffer(): boolean {
    if (
      this.s.offerAnchorsAsOffered ||
      !this.derived.milestones.some((m) => m.silencedBy === OVERDUE_BEFORE_OFFER) ||
      !this.s.records.some((r) => r.command.type === 'deviation')
    )
      return false;
    const cached = this.movedAfterOffer;
    if (cached?.of === this.derived) return cached.value;
    const records = effectiveRecords(this.s.records);
    const withAmendment = fold({ ...this.s, offerKeepsAnchors: true, offerAnchorsAsOffered: true }, records);
    const without = fold({ ...this.s, offerKeepsAnchors: true }, records);
    const value = JSON.stringify(followedDates(withAmendment)) !== JSON.stringify(followedDates(without));
    this.movedAfterOffer = { of: this.derived, value };
    return value;
  }

  /**
   * The ninth release (the workflow calls this behind a patch, before the seventh release's amendment or from its next
   * workflow task on): a deadline the housing offer found overdue keeps following its superseded anchor's deadline as
   * the offer found it (fold.ts followAnchors), and a deviation of its own recorded after the offer moves nothing
   * (commands/agree-deviation.ts). Before it, such a deviation (rules version 2 took one) moved it on, past the offer's
   * date: its alarm for the date missed resolved and nothing was raised again (found by the property tests, seed
   * 800310734). Returns true when it changed the stay.
   */
  adoptOfferAnchorsAsOffered(nowMs: number): boolean {
    return this.adoptAmendment('offerAnchorsAsOffered', nowMs, [
      'rules.offer-keeps-anchor-date',
      null,
      { section: '§2' },
    ]);
  }

  /**
   * A deviation recorded as agreed by both under rules version 2, by one party, that version 3 would take for a
   * proposal (what adoptOlderDeviationsKept is about).
   */
  get hasDeviationAgreedUnderOlderRules(): boolean {
    return (
      !this.s.olderDeviationsKept &&
      this.s.records.some(
        (r) =>
          r.command.type === 'deviation' &&
          r.command.agreedBy === 'both' &&
          !r.command.onBehalfOfBoth &&
          r.actor.role !== 'admin' &&
          acceptedBeforeFidelityRules(this.s, r),
      )
    );
  }

  /**
   * The eighth release (the workflow calls this behind a patch, before adopting rules version 3 or from its next workflow
   * task on): a deviation rules version 2 took as agreed by both keeps its date under version 3. Before it, the adoption
   * turned it into a proposal awaiting the other party's confirmation: the agreed date went back to the rule's, and the
   * deadline the parties had agreed to move raised its alarms (found by the property tests, seed -1075975863).
   * Returns true when it changed the stay.
   */
  adoptOlderDeviationsKept(nowMs: number): boolean {
    return this.adoptAmendment('olderDeviationsKept', nowMs, ['rules.deviation-kept', null, { section: '§1' }]);
  }

  /**
   * Turns on a release's amendment of the fold (a flag of the snapshot) once, refolding the stay by it; audited, and a
   * new revision, only when the stay comes out different.
   */
  private adoptAmendment(
    flag: 'recurringDeviationsLapse' | 'offerKeepsAnchors' | 'olderDeviationsKept' | 'offerAnchorsAsOffered',
    nowMs: number,
    wording: AuditWording,
  ): boolean {
    if (this.s[flag]) return false;
    this.s[flag] = true;
    const before = this.derived;
    this.derived = fold(this.s, effectiveRecords(this.s.records));
    if (JSON.stringify(before) === JSON.stringify(this.derived)) return false;
    this.audit(nowMs, SYSTEM, wording);
    this.bump(nowMs);
    return true;
  }

  /**
   * Rules version 3: a recurring deadline (the cooperation meeting) that passed without an occurrence starts its next
   * interval — a new due date and a new reminder, never silence and never `overdue`. Returns how many passed.
   */
  rollRecurring(nowMs: number): number {
    if (!hasFidelityRules(this.s) || this.isClosed) return 0;
    let passed = 0;
    for (;;) {
      const due = passingRecurring(this.derived).find((m) => isPastDue(m.dueDate!, nowMs));
      if (!due) return passed;
      this.accept({ type: 'recurring-due-passed', milestone: due.key, dueDate: due.dueDate! }, SYSTEM, nowMs);
      passed++;
    }
  }

  // ---- deadlines and the end of the stay ----------------------------------------------------------------------

  /** Raises what is due on the escalation ladder (see ladder.ts), each step once. */
  raiseEscalations(nowMs: number, newId: () => string, ladder = true): number {
    let raised = 0;
    for (const step of this.ladderSchedule(ladder)) {
      if (!isStepDue(step, nowMs, ladder)) continue;
      const tag = ladderTag(step);
      if (this.s.raised.includes(tag)) continue;
      this.s.raised.push(tag);
      const escalation = escalationFor(step, this.derived, newId(), nowMs);
      this.s.outbox.escalations.push(escalation);
      this.audit(nowMs, SYSTEM, describeEscalation(escalation));
      raised++;
    }
    if (raised > 0) this.bump(nowMs);
    return raised;
  }

  /**
   * Completes the stay once the institution's participation has ended (§3.3) and the follow-up meeting and the final
   * report are done or not applicable. Returns true when it did.
   */
  completeIfDue(nowMs: number): boolean {
    const d = this.derived;
    const t = d.transition;
    if (d.status !== 'active' || !t.dischargedOn || !t.movedInOn || !t.participationEndsOn) return false;
    if (!isPastDue(t.participationEndsOn, nowMs)) return false;
    const settled = (key: MilestoneKey) => {
      const m = milestoneOf(d, key);
      return !!m.doneAt || !m.applicable;
    };
    if (!settled('follow-up-meeting') || !settled('final-report')) return false;
    this.accept({ type: 'stay-completed', date: osloDate(nowMs) }, SYSTEM, nowMs);
    return true;
  }

  /** The workflow's work is over: completed, or ended early with the final report done. */
  get isClosed(): boolean {
    return isClosed(this.derived);
  }

  /** The next instant something is due (a ladder step, participation ending, a recurring interval), or null. */
  nextDeadlineAt(nowMs: number, ladder = true): number | null {
    return nextDeadlineAt(this.derived, this.ladderSchedule(ladder), nowMs, hasFidelityRules(this.s));
  }

  private ladderSchedule(ladder: boolean): ScheduledStep[] {
    const cached = this.schedule;
    if (cached?.of === this.derived && cached.ladder === ladder) return cached.steps;
    const steps = ladderSchedule(this.derived, ladder, (step, l) => {
      // most due dates outlive a command: their instants (Oslo calendar arithmetic) are computed once per stay
      const key = `${ladderTag(step)}|${l}`;
      let at = this.instants.get(key);
      if (at === undefined) {
        at = stepInstant(step, l);
        if (this.instants.size >= 1_000) this.instants.clear();
        this.instants.set(key, at);
      }
      return at;
    });
    this.schedule = { of: this.derived, ladder, steps };
    return steps;
  }

  // ---- read model ----------------------------------------------------------------------------------------------

  /** The stay as the read model stores it, with the outbox to append. */
  toReadModel(): ReadModelSync {
    return toReadModel(this.s, this.derived);
  }

  /** Removes what a successful read-model write delivered (it may have been a prefix of a longer outbox by now). */
  markDelivered(sync: ReadModelSync): void {
    const auditSeqs = new Set(sync.audit.map((a) => a.seq));
    const escalationIds = new Set(sync.escalations.map((e) => e.id));
    this.s.outbox.audit = this.s.outbox.audit.filter((a) => !auditSeqs.has(a.seq));
    this.s.outbox.escalations = this.s.outbox.escalations.filter((e) => !escalationIds.has(e.id));
  }

  private audit(nowMs: number, actor: Actor, [action, milestone, details]: AuditWording): void {
    this.s.auditSeq += 1;
    const entry: AuditEntry = {
      seq: this.s.auditSeq,
      at: new Date(nowMs).toISOString(),
      actor,
      action,
      milestone,
      details,
    };
    this.s.outbox.audit.push(entry);
  }

  private bump(nowMs: number): void {
    this.s.revision += 1;
    this.s.updatedAt = new Date(nowMs).toISOString();
  }
}

/** A command refused by the rules; carries the refusal for the validator / API to report. */
export class CommandRefused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
    this.name = 'CommandRefused';
  }
}

/** The due dates of a stay's deadlines (what the ninth release's amendment may change). */
const followedDates = (d: DerivedStay) => d.milestones.map((m) => [m.dueDate, m.originalDueDate, m.movedWith ?? null]);

function onboardingOrder(completed: Partial<Record<string, IsoDate>>): [string, IsoDate][] {
  const position = (key: string) => MILESTONE_RULES.findIndex((r) => r.key === key);
  return (Object.entries(completed) as [string, IsoDate][]).sort(
    ([ka, da], [kb, db]) => compareDates(da, db) || position(ka) - position(kb),
  );
}
