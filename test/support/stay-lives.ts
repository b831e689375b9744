import fc from 'fast-check';
import { DateTime } from 'luxon';
import { expect } from 'vitest';
import { followAnchor } from '../../rules/anchored-deadlines';
import { EXIT_PLAN_PARTS } from '../../rules/exit-plan';
import { lastMeeting, ruleDueDate } from '../../rules/due-dates';
import { OVERDUE_BEFORE_OFFER } from '../../rules/housing-offer';
import { DEFAULT_INTERPRETATIONS } from '../../rules/interpretations';
import { ladderOf, MILESTONE_RULES, milestoneRule, RULES_VERSION } from '../../rules/milestones';
import { addOffset, compareDates, OSLO, osloDate } from '../../rules/oslo-calendar';
import { recurringDueDate } from '../../rules/recurring-deadlines';
import {
  EARLY_END_REASONS,
  type IsoDate,
  MILESTONE_KEYS,
  type MilestoneKey,
  type StayEventType,
} from '../../rules/types';
import { isRefusal, STAY_COMMANDS, type StayCommandName } from '../../workflows/stay/definitions';
import { rulesOf } from '../../workflows/stay/command-registry';
import { CommandRefused, StayState } from '../../workflows/stay/stay-state';
import type { Actor, EscalationRecord, ReadModelSync, RegisterStayInput, StayEvent } from '../../workflows/stay/types';

/**
 * "An escalation is trusted only while it is never a false alarm", and "nothing lost, nothing twice": random stay lives
 * driven through the pure StayState exactly as the workflow drives it (stay-workflow.ts: per workflow task
 * adoptOlderDeviationsKept → adoptRules → adoptLapsingDeviations → adoptOfferKeepsAnchors → rollRecurring → completeIfDue → raiseEscalations → toReadModel + markDelivered, again until quiet; a
 * command is checked by the validator and accepted by the handler before that), with the rule book's invariants checked
 * against an independent reading of the facts through the rules modules (rules/*), after every workflow task.
 *
 * Product readings the invariants take as given (not false alarms):
 * - a completion recorded late but dated on or before its due date: the overdue alarm raised meanwhile was right about
 *   what was recorded then; it resolves when the completion arrives (invariant 2), and no further step is raised;
 * - a housing-track deadline already overdue on the housing offer's date keeps its alarm open but raises nothing
 *   further (rules/housing-offer.ts: "its missed deadline is real");
 * - an extra status report first agreed after the discharge is due as agreed (the discharge closes what was open):
 *   histories recorded before the validator refused it (agree-extra-status-report.ts `refuseNew`) replay that way; the
 *   lives generated here never get one past the validator.
 */

export const HOUR = 3_600_000;
const interpretations = DEFAULT_INTERPRETATIONS;

/** 00:00 in Oslo on a date, asked of the time-zone database (the product computes it itself: oslo-calendar.ts). */
export const midnight = (date: IsoDate): number => DateTime.fromISO(date, { zone: OSLO }).startOf('day').toMillis();
/** Rule book, "Dates": due on D is on time through D and overdue from 00:00 Europe/Oslo on D+1. */
const overdueAt = (due: IsoDate): number => midnight(addOffset(due, { days: 1 }));
const pastDue = (due: IsoDate, now: number): boolean => now >= overdueAt(due);
const later = (a: IsoDate, b: IsoDate): IsoDate => (compareDates(a, b) >= 0 ? a : b);

// ---- the life: facts as the test sent them ---------------------------------------------------------------------

export type ActorKind = 'institution' | 'bydel' | 'admin';
type When = 'back' | 'on-due' | 'day-after-due';

export type Step =
  | { kind: 'advance'; hours: number }
  | { kind: 'outage'; hours: number }
  /** `open`: the n-th milestone open now (mod their number), else `key` (which may well be refused). */
  | {
      kind: 'complete';
      key: MilestoneKey;
      open: number | null;
      when: When;
      daysBack: number;
      waiver: boolean;
      by: ActorKind;
    }
  | {
      kind: 'deviation';
      key: MilestoneKey;
      shift: number;
      agreedBy: 'institution' | 'bydel' | 'both';
      onBehalf: boolean;
      by: ActorKind;
    }
  | { kind: 'confirm'; key: MilestoneKey; by: ActorKind }
  | {
      kind: 'offer';
      daysBack: number;
      booppfolging: boolean;
      condition: boolean;
      moveInAfter: number | null;
      by: ActorKind;
    }
  | { kind: 'discharged'; daysBack: number; by: ActorKind }
  | { kind: 'moved-in'; daysBack: number; by: ActorKind }
  /** Discharged and moved in on the same day (the usual case, §3). */
  | { kind: 'move-out'; daysBack: number }
  | { kind: 'ended-early'; daysBack: number; reason: number; by: ActorKind }
  | { kind: 'bydel-changed'; daysBack: number; to: number; by: ActorKind }
  | { kind: 'insufficient'; daysBack: number; by: ActorKind }
  | { kind: 'extra-report'; daysAhead: number; by: ActorKind }
  | { kind: 'exit-plan'; endsAfter: number | null; by: ActorKind }
  /** The n-th completion or event in effect (mod their number), by whoever recorded it or an administrator. */
  | { kind: 'correct'; record: number; withdraw: boolean; shift: number; admin: boolean };

export type Life = {
  /**
   * Null: registered under the newest rules. Otherwise registered under rules version 2 (by a release before the fifth,
   * whose history the workflow replays without the FIDELITY patch) and adopting the newest rules at the workflow task
   * of this number: the first one the current code runs (stay-workflow.ts).
   */
  rulesV2: { adoptAtTask: number } | null;
  admittedAt: IsoDate;
  /** Hours after 00:00 Oslo on the admission date that the stay is registered (onboarding: weeks or months later). */
  registeredAfterHours: number;
  onboarding: { key: MilestoneKey; daysAfterAdmission: number }[];
  steps: Step[];
};

/** What the test recorded, in the order it was accepted; corrections act on it as the rule book says (§ "silent"). */
type Fact =
  | { seq: number; type: 'done'; key: MilestoneKey; date: IsoDate; by: ActorKind }
  | { seq: number; type: 'event'; event: StayEvent; by: ActorKind }
  | { seq: number; type: 'insufficient'; date: IsoDate }
  | { seq: number; type: 'deviation'; key: MilestoneKey; date: IsoDate; pending: boolean; on: IsoDate }
  | { seq: number; type: 'confirm'; key: MilestoneKey; on: IsoDate }
  | { seq: number; type: 'extra'; date: IsoDate };

const BYDELER = ['bydel-frogner', 'bydel-grorud', 'bydel-sagene'];
const INSTITUTION = 'inst-1';

export class Facts {
  readonly list: Fact[] = [];
  private seq = 0;
  constructor(readonly admittedAt: IsoDate) {}

  add(fact: Fact extends infer F ? (F extends Fact ? Omit<F, 'seq'> : never) : never): void {
    this.list.push({ ...fact, seq: ++this.seq } as Fact);
  }

  /** A correction acts on the latest completion or event of its target still in effect. */
  correct(target: MilestoneKey | StayEventType, date: IsoDate | null): void {
    for (let i = this.list.length - 1; i >= 0; i--) {
      const f = this.list[i]!;
      const hit = f.type === 'done' ? f.key === target : f.type === 'event' && f.event.type === target;
      if (!hit) continue;
      if (!date) this.list.splice(i, 1);
      else if (f.type === 'done') this.list[i] = { ...f, date };
      else if (f.type === 'event') this.list[i] = { ...f, event: { ...f.event, date } };
      return;
    }
    throw new Error(`the product corrected ${target}, which the test never recorded`);
  }

  event<T extends StayEvent['type']>(type: T): Extract<StayEvent, { type: T }> | null {
    const found = this.list.filter((f) => f.type === 'event' && f.event.type === type).at(-1);
    return found?.type === 'event' ? (found.event as Extract<StayEvent, { type: T }>) : null;
  }

  /** The latest mark "insufficient" (§2.2): it opens the causes anew and drops what was done or agreed for them. */
  private lastMark(): Extract<Fact, { type: 'insufficient' }> | null {
    const m = this.list.filter((f) => f.type === 'insufficient').at(-1);
    return m?.type === 'insufficient' ? m : null;
  }

  private relevant(key: MilestoneKey, f: Fact): boolean {
    return key !== 'status-report-causes' || f.seq > (this.lastMark()?.seq ?? 0);
  }

  /** Completion dates of a milestone in effect (recurring: every occurrence). */
  dones(key: MilestoneKey): IsoDate[] {
    return this.list.flatMap((f) => (f.type === 'done' && f.key === key && this.relevant(key, f) ? [f.date] : []));
  }

  doneAt(key: MilestoneKey): IsoDate | null {
    const rule = milestoneRule(key);
    if (rule.recurring) return null;
    if (rule.due.from === 'agreed') {
      const agreed = this.extraDates();
      const delivered = this.dones(key).sort(compareDates);
      return agreed.length > 0 && delivered.length >= agreed.length ? delivered.at(-1)! : null;
    }
    if (rule.settledBy) {
      // settled by the first of its events once it is open (after a discharge without a move-in)
      const discharged = this.event('discharged');
      if (!discharged) return null;
      const settled = this.list.find(
        (f) => f.type === 'event' && rule.settledBy!.includes(f.event.type) && f.seq > this.seqOf('discharged'),
      );
      if (settled?.type === 'event') return settled.event.date;
      return this.event('moved-in')?.date ?? null;
    }
    return this.dones(key)[0] ?? null;
  }

  /** The sequence number of the latest record in effect of an event, or of the latest mark "insufficient"; 0: none. */
  seqOf(type: StayEventType | 'insufficient' | 'extra', first = type === 'extra'): number {
    const of = this.list.filter((f) =>
      type === 'insufficient' || type === 'extra' ? f.type === type : f.type === 'event' && f.event.type === type,
    );
    return (first ? of[0] : of.at(-1))?.seq ?? 0;
  }

  extraDates(): IsoDate[] {
    return this.list.flatMap((f) => (f.type === 'extra' ? [f.date] : [])).sort(compareDates);
  }

  /**
   * The agreed deviation of a milestone in effect (§1), and the day it was agreed: proposed as agreed by both, it moves
   * the date once the other party confirms.
   */
  deviation(key: MilestoneKey): { date: IsoDate; on: IsoDate } | null {
    let agreed: { date: IsoDate; on: IsoDate } | null = null;
    let pending: IsoDate | null = null;
    for (const f of this.list) {
      if (!this.relevant(key, f)) continue;
      if (f.type === 'deviation' && f.key === key) {
        if (f.pending) pending = f.date;
        else [agreed, pending] = [{ date: f.date, on: f.on }, null];
      }
      if (f.type === 'confirm' && f.key === key && pending) [agreed, pending] = [{ date: pending, on: f.on }, null];
    }
    return agreed;
  }

  causesOpenedOn(): IsoDate | null {
    return this.lastMark()?.date ?? null;
  }
}

// ---- the oracle: the rule book's due date for the facts, from the rules modules -----------------------------------

/** The due date the rules give a milestone for the facts at `now`, before the housing offer's effect. */
function ruleDue(facts: Facts, key: MilestoneKey, now: number): IsoDate | null {
  const rule = milestoneRule(key);
  const deviation = facts.deviation(key);
  if (deviation && !rule.recurring) return deviation.date;
  const offer = facts.event('housing-offered');
  const movedIn = facts.event('moved-in');
  const discharged = facts.event('discharged');
  const ended = facts.event('ended-early');
  if (rule.due.from === 'agreed') return facts.extraDates()[facts.dones(key).length] ?? null;
  const anchors = {
    admittedAt: facts.admittedAt,
    openedOn: key === 'status-report-causes' ? facts.causesOpenedOn() : facts.admittedAt,
    lastMeeting: lastMeeting((k) => (milestoneRule(k).recurring ? facts.dones(k) : [facts.doneAt(k)])),
    housingOfferedOn: offer?.date ?? null,
    moveIn: movedIn?.date ?? offer?.expectedMoveInDate ?? null,
    stayEnd: discharged?.date ?? ended?.date ?? null,
    dischargedOn: discharged?.date ?? null,
  };
  if (rule.recurring && rule.due.from === 'last-meeting') {
    // §2 "ca. hver annen måned": one interval after the latest meeting (before any, after the first meeting's
    // deadline), and every interval again while none is held — so the current due date is never in the past
    // an agreed deviation moves one interval: until its date has passed, or a meeting is held after it was agreed
    if (
      deviation &&
      !pastDue(deviation.date, now) &&
      !(anchors.lastMeeting && compareDates(anchors.lastMeeting, deviation.on) > 0)
    )
      return deviation.date;
    const anchor = anchors.lastMeeting ?? ruleDue(facts, rule.due.untilFirst, now);
    if (!anchor) return null;
    const passed: IsoDate[] = [];
    for (;;) {
      const due = recurringDueDate(anchor, rule.due.offset(interpretations), passed);
      if (!pastDue(due, now)) return due;
      passed.push(due);
    }
  }
  const own = ruleDueDate(rule, anchors, interpretations);
  if (!own || !rule.anchor) return own;
  // a deadline tied to another follows it when an agreed deviation moves it (rules/anchored-deadlines.ts)
  const anchorKey = rule.anchor.milestone;
  const anchorDue = ruleDue(facts, anchorKey, now);
  if (!anchorDue || !applies(facts, anchorKey, anchorDue)) return own;
  const anchorOwn =
    facts.deviation(anchorKey) && !milestoneRule(anchorKey).recurring ? ruleDueWithout(facts, anchorKey, now) : null;
  return followAnchor(own, { dueDate: anchorDue, originalDueDate: anchorOwn }, rule.anchor, interpretations);
}

function ruleDueWithout(facts: Facts, key: MilestoneKey, now: number): IsoDate | null {
  const copy = new Facts(facts.admittedAt);
  for (const f of facts.list) if (!(f.type === 'deviation' && f.key === key)) copy.list.push(f);
  return ruleDue(copy, key, now);
}

/** §2 and the offer: the housing track not overdue on the offer date is superseded (rules/housing-offer.ts). */
function supersededByOffer(facts: Facts, key: MilestoneKey, due: IsoDate | null): boolean {
  const offer = facts.event('housing-offered');
  const rule = milestoneRule(key);
  if (!offer || !rule.onHousingOffered || facts.doneAt(key)) return false;
  // marked insufficient after the offer: superseded at once (§2.2 causes are housing track)
  if (key === 'status-report-causes' && facts.seqOf('insufficient') > facts.seqOf('housing-offered')) return true;
  return !due || compareDates(due, offer.date) >= 0;
}

/** Whether a milestone is part of the stay yet (rule `opens`). */
function opened(facts: Facts, key: MilestoneKey): boolean {
  switch (milestoneRule(key).opens) {
    case 'admission':
      return true;
    case 'on-demand':
      return key === 'extra-status-report' ? facts.extraDates().length > 0 : !!facts.causesOpenedOn();
    case 'housing-offered':
      return !!facts.event('housing-offered');
    case 'moved-in':
      return !!facts.event('moved-in');
    case 'stay-end':
      return !!facts.event('discharged') || !!facts.event('ended-early');
    case 'discharged':
      // asked after a discharge without a move-in (rules version 3)
      return (
        !!facts.event('discharged') && !(facts.seqOf('moved-in') && facts.seqOf('moved-in') < facts.seqOf('discharged'))
      );
  }
}

/** Whether a milestone still applies to the stay (its row is applicable), by the rule book. */
function applies(facts: Facts, key: MilestoneKey, due: IsoDate | null): boolean {
  const rule = milestoneRule(key);
  const offer = facts.event('housing-offered');
  const done = facts.doneAt(key);
  if (!opened(facts, key)) return false;
  if (rule.applicableWhen === 'booppfolging-decision' && !offer?.hasBooppfolgingDecision) return false;
  if (rule.applicableWhen === 'follow-up-condition' && !offer?.housingConditionalOnFollowUp) return false;
  // rule book, "silent": a stay that ends early closes what no longer applies; the final report is still due
  if (!done && facts.event('ended-early') && key !== 'final-report') return false;
  // the discharge closes the in-stay milestones that were open (§3); product reading: an extra status report first
  // agreed after the discharge is a new agreement, due as agreed
  if (!done && facts.event('discharged') && rule.phase === 'stay') {
    if (key !== 'extra-status-report' || facts.seqOf('extra') < facts.seqOf('discharged')) return false;
  }
  if (rule.onHousingOffered === 'superseded' && supersededByOffer(facts, key, due)) return false;
  return true;
}

/** The milestones that may raise an alarm now, with the due date the rules give them (rule book tables). */
export function expectedAlarming(facts: Facts, now: number): Map<MilestoneKey, IsoDate> {
  const alarming = new Map<MilestoneKey, IsoDate>();
  const offer = facts.event('housing-offered');
  for (const rule of MILESTONE_RULES) {
    const due = ruleDue(facts, rule.key, now);
    if (!due || facts.doneAt(rule.key) || !applies(facts, rule.key, due)) continue;
    // after the offer nothing on the housing track raises any further alarm (§2; rules/housing-offer.ts)
    if (offer && rule.onHousingOffered) continue;
    alarming.set(rule.key, due);
  }
  return alarming;
}

// ---- the driver: the workflow's order, per workflow task -------------------------------------------------------

export type Raised = EscalationRecord & { at: number };

/**
 * What the workflow's main loop adopts first in each pass (stay-workflow.ts: the rules, then each release's amendment
 * where it applies; the patches answer "yes" for a stay living through its tasks now).
 */
export function adoptReleases(state: StayState, now: number): void {
  if (state.hasDeviationAgreedUnderOlderRules) state.adoptOlderDeviationsKept(now);
  state.adoptRules(now);
  if (state.hasRecurringDeviation) state.adoptLapsingDeviations(now);
  if (state.followsAnchorMovedAfterOffer) state.adoptOfferAnchorsAsOffered(now);
  if (state.followsSupersededAnchor) state.adoptOfferKeepsAnchors(now);
}

/** Where a life's stay is written, and who watches its workflow tasks (the read-model property test). */
export type DriverOptions = {
  stayId?: string;
  residentRef?: string;
  /** Escalation ids (the workflow's uuid4). */
  newId?: () => string;
  /** After every workflow task, with the read-model writes it made, in order (none when it changed nothing). */
  onTask?: (d: Driver, syncs: ReadModelSync[]) => void;
};

export class Driver {
  readonly state: StayState;
  readonly facts: Facts;
  now: number;
  /** Every escalation the workflow delivered, in order. */
  readonly raised: Raised[] = [];
  readModel: ReadModelSync;
  private deliveredRevision = 0;
  /** The timer that was set when the worker went down (its instant), while it is down. */
  private lateTimer: number | null = null;
  private ids = 0;
  readonly log: string[] = [];
  /** Workflow tasks run so far; a stay registered under rules version 2 adopts the newest at `life.rulesV2`'s. */
  private tasks = 0;
  /**
   * Whether the workflow task runs as a release before the fifth ran it (its history replays): a stay under rules
   * version 2 before the task that adopts the newest. Its loop neither adopts rules nor rolls the cooperation meeting on.
   */
  private replaying = false;

  constructor(
    readonly life: Life,
    private readonly options: DriverOptions = {},
  ) {
    this.facts = new Facts(life.admittedAt);
    this.now = midnight(life.admittedAt) + life.registeredAfterHours * HOUR;
    const today = osloDate(this.now);
    const completed: Partial<Record<MilestoneKey, IsoDate>> = {};
    for (const o of life.onboarding) {
      const date = addOffset(life.admittedAt, { days: o.daysAfterAdmission });
      if (compareDates(date, today) > 0 || completed[o.key]) continue;
      const candidate = { ...completed, [o.key]: date };
      if (!StayState.validateRegistration(this.registration(candidate), this.now)) completed[o.key] = date;
    }
    this.state = StayState.register(this.registration(completed), this.now, life.rulesV2 ? 2 : RULES_VERSION);
    this.boundSystemCommands();
    const order = Object.entries(completed).sort(([ka, a], [kb, b]) => compareDates(a, b) || ka.localeCompare(kb));
    for (const [key, date] of order)
      this.facts.add({ type: 'done', key: key as MilestoneKey, date, by: 'institution' });
    this.log.push(`registered ${JSON.stringify(completed)} at ${new Date(this.now).toISOString()}`);
    this.readModel = this.state.toReadModel();
    this.workflowTask();
  }

  /**
   * A workflow task must end: the workflow's deadlock detector fails a task that runs for more than 2 s, and the stay
   * would retry it for ever (every alarm lost). The workflow records at most a handful of commands of its own per task
   * (a recurring interval per interval passed, the completion); far more means it never stops.
   */
  private boundSystemCommands(): void {
    const accept = this.state.accept.bind(this.state);
    this.state.accept = (command, actor, nowMs) => {
      if (actor.role === 'system' && ++this.systemCommands > 200)
        throw new Error(
          `the workflow task at ${osloLocal(nowMs)} never ends: ${JSON.stringify(command)}\n${this.explain()}`,
        );
      accept(command, actor, nowMs);
    };
  }

  private systemCommands = 0;

  private registration(completed: Partial<Record<MilestoneKey, IsoDate>>): RegisterStayInput {
    return {
      stayId: this.options.stayId ?? '00000000-0000-4000-8000-00000000abcd',
      residentRef: this.options.residentRef ?? 'R-PROP',
      institutionId: INSTITUTION,
      bydelId: BYDELER[0]!,
      admittedAt: this.life.admittedAt,
      completed,
      interpretations,
      actor: this.actor('institution'),
    };
  }

  actor(kind: ActorKind): Actor {
    if (kind === 'institution') return { sub: 'inst-user', role: 'institution', org: INSTITUTION };
    if (kind === 'bydel') return { sub: 'bydel-user', role: 'bydel', org: this.state?.stay.bydelId ?? BYDELER[0]! };
    return { sub: 'admin-user', role: 'admin', org: null };
  }

  get today(): IsoDate {
    return osloDate(this.now);
  }

  /**
   * One workflow task's main loop at `this.now` (stay-workflow.ts), until it waits: what it raised. Checks the
   * invariants of every escalation as it is raised and of the read model as it is written.
   */
  workflowTask(): Raised[] {
    const raised: Raised[] = [];
    const syncs: ReadModelSync[] = [];
    this.systemCommands = 0;
    const newId = this.options.newId ?? (() => `esc-${++this.ids}`);
    this.replaying =
      this.state.snapshot.rulesVersion < RULES_VERSION && this.tasks < (this.life.rulesV2?.adoptAtTask ?? 0);
    const adopting = this.state.snapshot.rulesVersion < RULES_VERSION && !this.replaying;
    this.tasks++;
    for (;;) {
      if (!this.replaying) {
        adoptReleases(this.state, this.now);
        this.state.rollRecurring(this.now);
      }
      this.state.completeIfDue(this.now);
      this.state.raiseEscalations(this.now, newId, true);
      if (this.state.revision > this.deliveredRevision || this.state.hasOutbox) {
        const sync = this.state.toReadModel();
        for (const e of sync.escalations) {
          const r = { ...e, at: this.now };
          this.checkRaised(r);
          raised.push(r);
          this.raised.push(r);
        }
        if (adopting) this.checkAdoption(sync);
        this.readModel = sync;
        syncs.push(sync);
        this.state.markDelivered(sync);
        this.deliveredRevision = Math.max(this.deliveredRevision, sync.stay.revision);
        continue;
      }
      break;
    }
    this.checkReadModel();
    this.checkContinued();
    this.options.onTask?.(this, syncs);
    return raised;
  }

  /**
   * (8) A continue-as-new from here (stay-workflow.ts: from a quiet, delivered state, the snapshot as the new run's
   * input, through the JSON payload converter) continues the same stay: its first workflow task changes and raises
   * nothing, and it writes the same read model and wakes at the same instant.
   */
  private checkContinued(): void {
    if (this.state.hasOutbox) return;
    const continued = StayState.fromSnapshot(JSON.parse(JSON.stringify(this.state.snapshot)));
    const revision = continued.revision;
    if (!this.replaying) {
      adoptReleases(continued, this.now);
      expect(continued.rollRecurring(this.now), 'a continued run rolls nothing').toBe(0);
    }
    continued.completeIfDue(this.now);
    expect(
      continued.raiseEscalations(this.now, () => 'continued', true),
      'a continued run raises nothing',
    ).toBe(0);
    expect(continued.revision, `a continued run changed the stay\n${this.explain()}`).toBe(revision);
    expect(JSON.stringify(continued.toReadModel()), 'a continued run writes another read model').toBe(
      JSON.stringify(this.state.toReadModel()),
    );
    if (!this.state.isClosed)
      expect(continued.nextDeadlineAt(this.now, true), 'a continued run wakes at another instant').toBe(
        this.state.nextDeadlineAt(this.now, true),
      );
  }

  /** The next instant the workflow's timer wakes it, or null (closed, or nothing due). */
  private nextWake(): number | null {
    if (this.state.isClosed) return null;
    return this.state.nextDeadlineAt(this.now, true);
  }

  /** Time passes: the workflow wakes at each deadline on the way (its one timer), as Temporal fires it. */
  advance(hours: number): void {
    const until = this.now + hours * HOUR;
    this.fireLateTimer();
    for (;;) {
      const next = this.nextWake();
      if (next !== null) expect(next, 'nextDeadlineAt is never in the past').toBeGreaterThan(this.now);
      if (next === null || next > until) break;
      this.now = next;
      this.workflowTask();
    }
    this.now = until;
  }

  /** The worker is down: time passes without a task; the timers that came due fire when it is back. */
  outage(hours: number): void {
    this.lateTimer ??= this.nextWake();
    this.now += hours * HOUR;
  }

  private fireLateTimer(): void {
    const at = this.lateTimer;
    this.lateTimer = null;
    if (at !== null && at <= this.now) this.workflowTask();
  }

  /**
   * A command as an Update: the validator checks it (a refusal leaves no trace), the handler accepts it, and the main
   * loop runs in the same workflow task. A late timer fires in that task too, after the Update (the SDK delivers
   * updates before timers).
   */
  send<N extends StayCommandName>(
    name: N,
    input: Record<string, unknown> & { actor: Actor },
    accepted: () => void = () => {},
  ): void {
    const rules = STAY_COMMANDS[name].rules as {
      toCommand(i: unknown): Parameters<StayState['check']>[0] | { code: string };
    };
    const command = rules.toCommand(input);
    if (isRefusal(command as object)) return;
    const c = command as Parameters<StayState['check']>[0];
    const before = { revision: this.state.revision, model: JSON.stringify(this.state.toReadModel()) };
    const refused = this.state.check(c, input.actor, this.now);
    if (refused) {
      // The handler refuses it too, unless the refusal is a rule for new commands only (`refuseNew`, which only the
      // validator asks, so that histories accepted before it replay): tried on a copy, the stay itself is untouched.
      const copy = StayState.fromSnapshot(structuredClone(this.state.snapshot));
      let handlerRefused = false;
      try {
        copy.accept(c, input.actor, this.now);
      } catch (err) {
        if (!(err instanceof CommandRefused)) throw err;
        handlerRefused = true;
      }
      // Product reading (StayState.check/accept): a closed stay refuses in the validator whatever rules it runs by; under
      // rules version 2 the handler accepts, so that older histories holding such a command replay.
      const validatorOnly = !!rulesOf(c).refuseNew || (refused.code === 'stay-closed' && !this.underV3);
      if (!handlerRefused) expect(validatorOnly, `only the validator refused ${name} (${refused.code})`).toBe(true);
      expect(this.state.revision, `refused ${name} (${refused.code}) changed the revision`).toBe(before.revision);
      expect(JSON.stringify(this.state.toReadModel()), `refused ${name} changed the stay`).toBe(before.model);
      this.log.push(`refused ${name} ${JSON.stringify(c)}: ${refused.code}`);
      return;
    }
    this.state.accept(c, input.actor, this.now);
    this.log.push(`${osloLocal(this.now)} accepted ${name} ${JSON.stringify(c)} by ${input.actor.role}`);
    accepted();
    this.lateTimer = null;
    this.workflowTask();
  }

  // ---- invariants ----------------------------------------------------------------------------------------------

  /** An escalation as it is raised: never a false alarm, never twice. */
  private checkRaised(e: Raised): void {
    const rule = milestoneRule(e.milestone);
    const l = ladderOf(rule);
    const what = `${e.kind} ${e.milestone} due ${e.dueDate} raised ${osloLocal(e.at)}`;
    // (3) at most once per milestone, kind and due date over the whole life
    const twice = this.raised.find((r) => r.milestone === e.milestone && r.kind === e.kind && r.dueDate === e.dueDate);
    expect(twice, `raised twice: ${what}`).toBeUndefined();
    // (4) a recommendation (the recurring cooperation meeting, §2) only ever reminds
    if (rule.onMissed === 'reminder') expect(e.kind, `${what}: a recommendation only reminds`).toBe('reminder');
    // (1) not before 00:00 Oslo on D+1 (overdue), D+1+N (second level), D−N (reminder)
    if (e.kind === 'overdue') expect(e.at >= overdueAt(e.dueDate), `${what}: before D+1 00:00 Oslo`).toBe(true);
    if (e.kind === 'second-level')
      expect(e.at >= overdueAt(addOffset(e.dueDate, { days: l.secondLevelDaysAfter! })), what).toBe(true);
    if (e.kind === 'reminder')
      expect(e.at >= midnight(addOffset(e.dueDate, { days: -l.reminderDaysBefore! })), what).toBe(true);
    // (1)(2)(6) the facts say it is open, it still applies, and this is the due date the rules give it
    if (!this.underV3) return;
    const expected = expectedAlarming(this.facts, e.at).get(e.milestone);
    expect(expected, `${what}: the facts give no open deadline (false alarm)`).toBeDefined();
    expect(e.dueDate, `${what}: the rules give ${expected}`).toBe(expected);
  }

  /** The task that adopts the newest rules: it writes them, and the audit trail says so (from which, to which). */
  private checkAdoption(sync: ReadModelSync): void {
    expect(sync.stay.rulesVersion, 'the read model has the rules adopted').toBe(RULES_VERSION);
    const adopted = sync.audit.filter((a) => a.action === 'rules.adopted');
    expect(adopted.map((a) => [a.actor.role, a.details?.from, a.details?.to])).toEqual([['system', 2, RULES_VERSION]]);
    this.log.push(`${osloLocal(this.now)} adopted rules ${RULES_VERSION}`);
  }

  /**
   * Product reading: under rules version 2 a housing offer supersedes nothing, one party records a deviation "agreed by
   * both", and a closed stay takes commands — what version 3 calls a false alarm, version 2 raised (that is why version 3
   * exists). Until the stay adopts version 3 only what holds under any rules is checked: never twice, never early, a
   * recommendation only reminds, no lost alarm for the stay's own due dates. From the adoption on, everything is checked
   * against the rule book as version 3 reads it, with the facts recorded before it.
   */
  private get underV3(): boolean {
    return this.state.snapshot.rulesVersion >= RULES_VERSION;
  }

  /** The read model after a workflow task. */
  private checkReadModel(): void {
    const rows = new Map(this.readModel.milestones.map((m) => [m.key, m]));
    const expected = expectedAlarming(this.facts, this.now);
    const closed = this.state.isClosed || this.readModel.stay.status === 'completed';
    // (3) running the task's sequence again at the same instant changes nothing
    const revision = this.state.revision;
    expect(this.state.raiseEscalations(this.now, () => 'again', true)).toBe(0);
    expect(this.state.rollRecurring(this.now)).toBe(0);
    expect(this.state.revision).toBe(revision);
    for (const row of this.readModel.milestones) {
      const open = row.applicable && !row.doneAt;
      // (2) an alarm stays open only while its milestone is open, applies, and has this due date (inbox STATE_SQL)
      if (!open || !row.dueDate || closed || row.silencedBy) {
        if (open && row.silencedBy === OVERDUE_BEFORE_OFFER)
          // deliberate (rules/housing-offer.ts): what was overdue on the offer date stays as it was, its alarm open
          expect(
            compareDates(row.dueDate!, this.facts.event('housing-offered')!.date) < 0,
            `${row.key} due ${row.dueDate} silenced as overdue before the offer of ${this.facts.event('housing-offered')!.date}\n${this.explain()}`,
          ).toBe(true);
        continue;
      }
      // (6) every open milestone's due date is the one the rules give for the facts
      if (this.underV3)
        expect({ key: row.key, due: row.dueDate }, this.explain()).toEqual({
          key: row.key,
          due: expected.get(row.key),
        });
      // (7) no lost alarm: past D+1 00:00 an open deadline has its overdue alarm; otherwise the timer wakes in time
      const rule = milestoneRule(row.key);
      const kind = rule.onMissed === 'overdue' ? 'overdue' : 'reminder';
      const instant =
        kind === 'overdue'
          ? overdueAt(row.dueDate)
          : midnight(addOffset(row.dueDate, { days: -ladderOf(rule).reminderDaysBefore! }));
      const alarm = this.raised.find((r) => r.milestone === row.key && r.kind === kind && r.dueDate === row.dueDate);
      if (this.now >= instant) expect(alarm, `lost alarm: ${kind} ${row.key} due ${row.dueDate}`).toBeDefined();
      else expect(this.nextWake()! <= instant, `the timer sleeps past ${kind} ${row.key} ${row.dueDate}`).toBe(true);
    }
    // (2) what the facts close is closed in the read model: done, no longer applicable, or without a deadline
    if (this.underV3)
      for (const [key, row] of rows) {
        const alarming = !closed && row.applicable && !row.doneAt && row.dueDate && !row.silencedBy;
        if (alarming) expect(expected.has(key), `${key} is open in the read model; the facts closed it`).toBe(true);
      }
    if (this.underV3)
      for (const key of expected.keys())
        if (!closed && rows.has(key)) expect(rows.get(key)!.applicable, `${key} applies`).toBe(true);
  }

  explain(): string {
    return this.log.slice(-12).join('\n');
  }
}

export const osloLocal = (ms: number): string => DateTime.fromMillis(ms, { zone: OSLO }).toFormat("yyyy-MM-dd'T'HH:mm");

/** Plays one step of a life; input values are read against the stay as it stands, so shrinking keeps them valid. */
function play(d: Driver, step: Step): void {
  const s = d.state.stay;
  const back = (days: number, from: IsoDate = d.life.admittedAt) => later(addOffset(d.today, { days: -days }), from);
  switch (step.kind) {
    case 'advance':
      d.advance(step.hours);
      return;
    case 'outage':
      d.outage(step.hours);
      return;
    case 'complete': {
      const open = s.milestones.filter((x) => x.openedOn && x.applicable && !x.doneAt);
      const key = step.open !== null && open.length > 0 ? open[step.open % open.length]!.key : step.key;
      const m = s.milestones.find((x) => x.key === key)!;
      const rule = milestoneRule(key);
      let from = m.openedOn ?? d.life.admittedAt;
      for (const p of rule.requires) {
        const done = s.milestones.find((x) => x.key === p)!.doneAt;
        if (done) from = later(from, done);
      }
      let doneAt = back(step.daysBack, from);
      if (step.when !== 'back' && m.dueDate) {
        const target = step.when === 'on-due' ? m.dueDate : addOffset(m.dueDate, { days: 1 });
        if (compareDates(target, d.today) <= 0) doneAt = target;
      }
      const details = step.waiver ? { statusReportLateAgreed: true } : {};
      d.send('completeMilestone', { key, doneAt, details, actor: d.actor(step.by) }, () =>
        d.facts.add({ type: 'done', key, date: doneAt, by: step.by }),
      );
      return;
    }
    case 'deviation': {
      const m = s.milestones.find((x) => x.key === step.key)!;
      const dueDate = addOffset(m.dueDate ?? d.today, { days: step.shift });
      const actor = d.actor(step.by);
      const input = { milestone: step.key, dueDate, reason: 'agreed', agreedBy: step.agreedBy, actor };
      // §1 "avtales": under rules version 3 the other party confirms what one proposes as agreed by both; version 2 took
      // it as agreed, and a deviation agreed before the stay adopted version 3 keeps its date (rule-diff.ts)
      const pending =
        step.agreedBy === 'both' &&
        actor.role !== 'admin' &&
        !step.onBehalf &&
        d.state.snapshot.rulesVersion >= RULES_VERSION;
      d.send('agreeDeviation', step.onBehalf ? { ...input, onBehalfOfBoth: true } : input, () =>
        d.facts.add({ type: 'deviation', key: step.key, date: dueDate, pending, on: d.today }),
      );
      return;
    }
    case 'confirm':
      d.send('confirmDeviation', { milestone: step.key, actor: d.actor(step.by) }, () =>
        d.facts.add({ type: 'confirm', key: step.key, on: d.today }),
      );
      return;
    case 'offer': {
      const date = back(step.daysBack);
      const event: StayEvent = {
        type: 'housing-offered',
        date,
        hasBooppfolgingDecision: step.booppfolging,
        housingConditionalOnFollowUp: step.condition,
        ...(step.moveInAfter === null ? {} : { expectedMoveInDate: addOffset(date, { days: step.moveInAfter }) }),
      };
      record(d, event, step.by);
      return;
    }
    case 'discharged':
      record(d, { type: 'discharged', date: back(step.daysBack) }, step.by);
      return;
    case 'moved-in':
      record(d, { type: 'moved-in', date: back(step.daysBack) }, step.by);
      return;
    case 'move-out': {
      const date = back(step.daysBack);
      record(d, { type: 'discharged', date }, 'institution');
      record(d, { type: 'moved-in', date }, 'bydel');
      return;
    }
    case 'ended-early': {
      const reason = EARLY_END_REASONS[step.reason % EARLY_END_REASONS.length]!;
      record(d, { type: 'ended-early', date: back(step.daysBack), reason }, step.by);
      return;
    }
    case 'bydel-changed': {
      const bydelId = BYDELER[step.to % BYDELER.length]!;
      record(d, { type: 'bydel-changed', date: back(step.daysBack), bydelId }, step.by);
      return;
    }
    case 'insufficient': {
      const date = back(step.daysBack);
      d.send('markStatusReportInsufficient', { date, actor: d.actor(step.by) }, () =>
        d.facts.add({ type: 'insufficient', date }),
      );
      return;
    }
    case 'extra-report': {
      const dueDate = addOffset(d.today, { days: step.daysAhead });
      d.send('agreeExtraStatusReport', { dueDate, actor: d.actor(step.by) }, () =>
        d.facts.add({ type: 'extra', date: dueDate }),
      );
      return;
    }
    case 'exit-plan': {
      const part = { responsible: 'bydel', status: 'in-progress' };
      const plan = {
        parts: Object.fromEntries(EXIT_PLAN_PARTS.map((p) => [p, part])),
        contingencyPlanConsidered: true,
        ...(step.endsAfter === null ? {} : { participationEndsOn: addOffset(d.today, { days: step.endsAfter }) }),
      };
      d.send('updateExitPlan', { plan, actor: d.actor(step.by) });
      return;
    }
    case 'correct': {
      const records = d.facts.list.filter((f) => f.type === 'done' || f.type === 'event');
      const f = records[step.record % Math.max(1, records.length)];
      if (f?.type !== 'done' && f?.type !== 'event') return;
      const [target, was] = f.type === 'done' ? [f.key, f.date] : [f.event.type, f.event.date];
      const moved = addOffset(was, { days: step.shift });
      const date = step.withdraw ? null : compareDates(moved, d.today) > 0 ? d.today : later(moved, d.life.admittedAt);
      const input = {
        target: f.type === 'done' ? { milestone: target } : { event: target },
        action: step.withdraw ? 'withdraw' : 'change-date',
        date,
        reason: 'typo',
        actor: d.actor(step.admin ? 'admin' : f.by),
      };
      d.send('correct', input, () => d.facts.correct(target, date));
      return;
    }
  }
}

function record(d: Driver, event: StayEvent, by: ActorKind): void {
  d.send('recordEvent', { event, actor: d.actor(by) }, () => d.facts.add({ type: 'event', event, by }));
}

/** Plays a whole life; returns the driver (its escalations, its read model) for comparison. */
export function live(life: Life, options: DriverOptions = {}): Driver {
  const d = new Driver(life, options);
  for (const step of life.steps) play(d, step);
  // and then a long time with nothing recorded: every deadline still open must be raised
  d.advance(24 * 200);
  return d;
}

// ---- the generators ----------------------------------------------------------------------------------------------

/** Month ends (31 Jan + 1 month = 28/29 Feb), leap days, and the days around Oslo's DST changes. */
const SPECIAL_ADMISSIONS = [
  '2026-01-31',
  '2024-01-31',
  '2025-12-31',
  '2026-08-31',
  '2026-10-31',
  '2024-02-29',
  '2026-02-28',
  '2026-03-29', // summer time starts in Oslo (02:00 → 03:00)
  '2026-03-28',
  '2026-03-30',
  '2026-10-25', // summer time ends (03:00 → 02:00)
  '2026-10-24',
  '2027-03-28',
  '2027-10-31', // both a month end and the end of summer time
  '2025-09-28', // + 1 month lands on the day summer time ends
] as const;

const admission = fc.oneof(
  fc.constantFrom(...SPECIAL_ADMISSIONS),
  fc.integer({ min: 0, max: 3 * 365 }).map((n) => addOffset('2024-01-01', { days: n })),
);

const actorKind = fc.constantFrom<ActorKind>('institution', 'bydel', 'admin');
const key = fc.constantFrom(...MILESTONE_KEYS);
const daysBack = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 45 }));

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 18,
    arbitrary: fc
      .oneof(
        fc.integer({ min: 1, max: 48 }),
        fc.integer({ min: 24, max: 24 * 30 }),
        fc.integer({ min: 24 * 30, max: 24 * 120 }),
      )
      .map((hours) => ({ kind: 'advance' as const, hours })),
  },
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 24 * 40 }).map((hours) => ({ kind: 'outage' as const, hours })) },
  {
    weight: 18,
    arbitrary: fc.record({
      kind: fc.constant('complete' as const),
      key,
      open: fc.option(fc.nat(), { freq: 4 }),
      when: fc.constantFrom<When>('back', 'on-due', 'day-after-due'),
      daysBack,
      waiver: fc.boolean(),
      by: actorKind,
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('deviation' as const),
      key,
      shift: fc.integer({ min: -20, max: 120 }),
      agreedBy: fc.constantFrom('institution' as const, 'bydel' as const, 'both' as const),
      onBehalf: fc.boolean(),
      by: actorKind,
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('confirm' as const), key, by: actorKind }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('offer' as const),
      daysBack,
      booppfolging: fc.boolean(),
      condition: fc.boolean(),
      moveInAfter: fc.option(fc.integer({ min: 0, max: 60 })),
      by: actorKind,
    }),
  },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('discharged' as const), daysBack, by: actorKind }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('moved-in' as const), daysBack, by: actorKind }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('move-out' as const), daysBack }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('ended-early' as const), daysBack, reason: fc.nat(), by: actorKind }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('bydel-changed' as const), daysBack, to: fc.nat(), by: actorKind }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('insufficient' as const), daysBack, by: actorKind }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('extra-report' as const),
      daysAhead: fc.integer({ min: 0, max: 60 }),
      by: actorKind,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('exit-plan' as const),
      endsAfter: fc.option(fc.integer({ min: 0, max: 90 })),
      by: actorKind,
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('correct' as const),
      record: fc.nat(),
      withdraw: fc.boolean(),
      shift: fc.integer({ min: -10, max: 10 }).filter((n) => n !== 0),
      admin: fc.boolean(),
    }),
  },
);

export const life: fc.Arbitrary<Life> = fc.record({
  rulesV2: fc.oneof(
    { weight: 2, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.record({ adoptAtTask: fc.integer({ min: 1, max: 16 }) }) },
  ),
  admittedAt: admission,
  registeredAfterHours: fc.oneof(fc.integer({ min: 8, max: 20 }), fc.integer({ min: 8, max: 24 * 240 })),
  onboarding: fc.array(
    fc.record({
      key: fc.constantFrom<MilestoneKey>(
        'plan-started',
        'housing-mapping',
        'first-meeting',
        'status-report',
        'housing-meeting',
        'applications',
      ),
      daysAfterAdmission: fc.integer({ min: 0, max: 200 }),
    }),
    { maxLength: 6 },
  ),
  steps: fc.array(step, { minLength: 1, maxLength: 30 }),
});
