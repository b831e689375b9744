import {
  INSTITUTION_AVAILABILITY,
  LADDER_SECTION,
  ladderOf,
  milestoneRule,
  MILESTONE_RULES,
  PARTICIPATION_END,
  RULES_VERSION,
  type MilestoneRule,
} from '../../rules/milestones';
import { DEFAULT_INTERPRETATIONS } from '../../rules/interpretations';
import { addOffset, compareDates, isPastDue, osloDate, osloMidnight, overdueFrom } from '../../rules/oslo-calendar';
import { refusal, type Refusal } from '../../rules/refusals';
import { isMilestoneKey, type IsoDate, type MilestoneKey, type Party } from '../../rules/types';
import type {
  Actor,
  AuditEntry,
  CommandRecord,
  DerivedStay,
  EscalationRecord,
  MilestoneRow,
  MilestoneState,
  ReadModelSync,
  RegisterStayInput,
  StayCommand,
  StayEvent,
  StaySnapshot,
  StaySnapshotV1,
  Transition,
} from './types';

export const SYSTEM: Actor = { sub: null, role: 'system', org: null };

type Registration = Pick<
  StaySnapshot,
  'admittedAt' | 'registeredInstitutionId' | 'registeredBydelId' | 'interpretations'
>;

/**
 * The stay's state, pure: no Temporal calls, time and ids passed in. The state is a fold over the accepted
 * commands (`records`) on top of the registration, so a correction — withdrawing or re-dating an earlier record —
 * recomputes everything that follows from it, and nothing is ever erased from the record.
 */
export class StayState {
  private derived: DerivedStay;

  private constructor(private readonly s: StaySnapshot) {
    this.derived = fold(s, effectiveRecords(s.records)).derived;
  }

  static fromSnapshot(snapshot: StaySnapshot | StaySnapshotV1): StayState {
    return new StayState('version' in snapshot ? snapshot : upgradeV1(snapshot));
  }

  /** Registers a stay; onboarding (`completed`) is applied oldest date first, with the same checks as a completion. */
  static register(input: RegisterStayInput, nowMs: number): StayState {
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
      rulesVersion: RULES_VERSION,
      ...(input.retentionDays ? { retentionDays: input.retentionDays } : {}),
      createdAt: at,
      updatedAt: at,
      records: [],
      raised: [],
      revision: 0,
      auditSeq: 0,
      outbox: { audit: [], escalations: [] },
    });
    state.audit(nowMs, input.actor, 'stay.registered', null, {
      institutionId: input.institutionId,
      bydelId: input.bydelId,
      admittedAt: input.admittedAt,
      rulesVersion: RULES_VERSION,
      ...(input.previousStayId ? { previousStayId: input.previousStayId } : {}),
    });
    for (const [key, doneAt] of onboardingOrder(input.completed ?? {})) {
      const command: StayCommand = {
        type: 'complete-milestone',
        key: key as MilestoneKey,
        doneAt,
        details: null,
        onboarded: true,
      };
      if (!isMilestoneKey(key)) throw new CommandRefused(refusal('unknown-milestone', unknownMilestone(key)));
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

  /** Why `command` by `actor` would be refused now, or null. Pure: used by the Update validators. */
  check(command: StayCommand, actor: Actor, nowMs: number): Refusal | null {
    if (command.type === 'correction') return this.checkCorrection(command, actor, nowMs);
    return checkCommand(this.s, this.derived, command, actor, osloDate(nowMs));
  }

  /** Accepts a command (re-checking it), records it and recomputes the stay. */
  accept(command: StayCommand, actor: Actor, nowMs: number): void {
    const refused = this.check(command, actor, nowMs);
    if (refused) throw new CommandRefused(refused);
    const record: CommandRecord = {
      seq: this.s.records.length + 1,
      actor,
      acceptedAt: new Date(nowMs).toISOString(),
      command,
    };
    const before = this.derived;
    this.s.records.push(record);
    this.derived = fold(this.s, effectiveRecords(this.s.records)).derived;
    const [action, milestone, details] = describe(command, before, this.derived);
    this.audit(nowMs, actor, action, milestone, details);
    this.bump(nowMs);
  }

  private checkCorrection(
    command: Extract<StayCommand, { type: 'correction' }>,
    actor: Actor,
    nowMs: number,
  ): Refusal | null {
    if (this.derived.status === 'completed')
      return refusal('stay-closed', 'The stay is completed; it can no longer be corrected.');
    if (!command.reason.trim()) return refusal('no-change', 'A correction needs a reason.');
    const candidate: CommandRecord = {
      seq: this.s.records.length + 1,
      actor,
      acceptedAt: new Date(nowMs).toISOString(),
      command,
    };
    const target = correctionTarget(effectiveRecords(this.s.records), command, candidate.seq);
    if (!target) {
      const what =
        'milestone' in command.target
          ? `a completion of "${command.target.milestone}"`
          : `a "${command.target.event}" event`;
      return refusal('nothing-to-correct', `There is no ${what} on this stay to correct.`);
    }
    const author = target.record.actor;
    if (actor.role !== 'admin' && !(author.role === actor.role && author.org === actor.org)) {
      return refusal('not-permitted', 'Only the organisation that recorded it, or an administrator, can correct it.');
    }
    if (command.action === 'change-date') {
      if (!command.date) return refusal('no-change', 'A date correction needs the corrected date.');
      if (command.date === recordDate(target.record.command))
        return refusal('no-change', `The date is already ${command.date}.`);
    }
    const refolded = fold(this.s, effectiveRecords([...this.s.records, candidate]), true);
    if (refolded.refusal) {
      return refusal(
        'correction-breaks-rules',
        `After this correction the stay would break a rule: ${refolded.refusal.message}`,
      );
    }
    return null;
  }

  // ---- deadlines and the end of the stay ----------------------------------------------------------------------

  /**
   * Raises what is due on the escalation ladder, each once per milestone, kind and due date: a reminder before the
   * due date, `overdue` from 00:00 Oslo the day after, a second level to both parties later (rules `ladderOf`).
   * Without `ladder` (stays replaying the first two releases) only the missed deadline itself is raised.
   */
  raiseEscalations(nowMs: number, newId: () => string, ladder = true): number {
    let raised = 0;
    for (const { milestone: m, kind, dueDate } of this.ladderSteps(ladder)) {
      if (nowMs < kindAt(kind, dueDate, milestoneRule(m.key), ladder)) continue;
      // an overdue escalation supersedes the reminder: never remind of what is already overdue
      if (kind === 'reminder' && ladder && milestoneRule(m.key).onMissed === 'overdue' && isPastDue(dueDate, nowMs))
        continue;
      const tag = `${m.key}|${kind}|${dueDate}`;
      if (this.s.raised.includes(tag)) continue;
      this.s.raised.push(tag);
      const rule = milestoneRule(m.key);
      const escalation: EscalationRecord = {
        id: newId(),
        milestone: m.key,
        kind,
        dueDate,
        recipient: kind === 'second-level' ? 'both' : responsibleFor(rule, this.derived),
        createdAt: new Date(nowMs).toISOString(),
      };
      this.s.outbox.escalations.push(escalation);
      this.audit(nowMs, SYSTEM, `escalation.${kind}`, m.key, {
        dueDate,
        recipient: escalation.recipient,
        section: kind === 'second-level' ? LADDER_SECTION : rule.section,
      });
      raised++;
    }
    if (raised > 0) this.bump(nowMs);
    return raised;
  }

  /** The ladder's steps for every open milestone with a due date. */
  private ladderSteps(
    ladder: boolean,
  ): { milestone: MilestoneState; kind: EscalationRecord['kind']; dueDate: IsoDate }[] {
    const steps: { milestone: MilestoneState; kind: EscalationRecord['kind']; dueDate: IsoDate }[] = [];
    for (const m of this.openMilestones()) {
      if (!m.dueDate) continue;
      const rule = milestoneRule(m.key);
      if (!ladder) {
        steps.push({ milestone: m, kind: rule.onMissed, dueDate: m.dueDate });
        continue;
      }
      const l = ladderOf(rule);
      if (l.reminderDaysBefore !== null) steps.push({ milestone: m, kind: 'reminder', dueDate: m.dueDate });
      if (rule.onMissed === 'overdue') steps.push({ milestone: m, kind: 'overdue', dueDate: m.dueDate });
      if (l.secondLevelDaysAfter !== null) steps.push({ milestone: m, kind: 'second-level', dueDate: m.dueDate });
    }
    return steps;
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
    const d = this.derived;
    if (d.status === 'completed') return true;
    if (d.status !== 'ended') return false;
    const report = milestoneOf(d, 'final-report');
    return !!report.doneAt || !report.applicable;
  }

  /** The next instant something is due (a ladder step, participation ending), or null. */
  nextDeadlineAt(nowMs: number, ladder = true): number | null {
    const instants: number[] = this.ladderSteps(ladder).map(({ milestone, kind, dueDate }) =>
      kindAt(kind, dueDate, milestoneRule(milestone.key), ladder),
    );
    const t = this.derived.transition;
    if (this.derived.status === 'active' && t.participationEndsOn) instants.push(overdueFrom(t.participationEndsOn));
    let next: number | null = null;
    for (const at of instants) if (at > nowMs && (next === null || at < next)) next = at;
    return next;
  }

  private openMilestones(): MilestoneState[] {
    if (this.derived.status === 'completed') return [];
    return this.derived.milestones.filter((m) => m.openedOn && m.applicable && !m.doneAt);
  }

  // ---- read model ----------------------------------------------------------------------------------------------

  /** The stay as the read model stores it, with the outbox to append. */
  toReadModel(): ReadModelSync {
    const s = this.s;
    const d = this.derived;
    return {
      stay: {
        id: s.stayId,
        residentRef: s.residentRef,
        institutionId: d.institutionId,
        bydelId: d.bydelId,
        admittedAt: s.admittedAt,
        status: d.status,
        convener: d.convener,
        revision: s.revision,
        createdAt: s.createdAt,
        updatedAt: s.updatedAt,
        rulesVersion: s.rulesVersion,
        previousStayId: s.previousStayId,
        transition: d.transition,
      },
      milestones: d.milestones
        .map((m, position): MilestoneRow | null => {
          if (!m.openedOn) return null;
          const rule = milestoneRule(m.key);
          return {
            key: m.key,
            dueDate: m.dueDate,
            originalDueDate: m.originalDueDate,
            doneAt: m.doneAt,
            applicable: m.applicable,
            recurring: rule.recurring,
            escalates: rule.onMissed === 'overdue',
            responsible: responsibleFor(rule, d),
            details: rule.recurring
              ? { occurrences: m.occurrences }
              : rule.due.from === 'agreed'
                ? { agreedDates: m.agreedDates ?? [], delivered: m.occurrences }
                : m.details,
            deviation: m.deviation,
            closedBy: m.closedBy,
            position,
          };
        })
        .filter((row): row is MilestoneRow => row !== null),
      audit: [...s.outbox.audit],
      escalations: [...s.outbox.escalations],
    };
  }

  /** Removes what a successful read-model write delivered (it may have been a prefix of a longer outbox by now). */
  markDelivered(sync: ReadModelSync): void {
    const auditSeqs = new Set(sync.audit.map((a) => a.seq));
    const escalationIds = new Set(sync.escalations.map((e) => e.id));
    this.s.outbox.audit = this.s.outbox.audit.filter((a) => !auditSeqs.has(a.seq));
    this.s.outbox.escalations = this.s.outbox.escalations.filter((e) => !escalationIds.has(e.id));
  }

  private audit(
    nowMs: number,
    actor: Actor,
    action: string,
    milestone: MilestoneKey | null,
    details: Record<string, unknown> | null,
  ): void {
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

// ---- the fold ---------------------------------------------------------------------------------------------------

/**
 * Computes the stay from its registration and records. With `checked`, every record is re-checked against the
 * state before it (as of the day it was accepted), and the first one that no longer holds is reported.
 */
function fold(
  reg: Registration,
  records: CommandRecord[],
  checked = false,
): { derived: DerivedStay; refusal?: Refusal } {
  let d = initialStay(reg);
  for (const record of records) {
    if (checked) {
      const refused = checkCommand(reg, d, record.command, record.actor, osloDate(Date.parse(record.acceptedAt)));
      if (refused) return { derived: d, refusal: refused };
    }
    d = apply(reg, d, record);
  }
  return { derived: d };
}

/** A stay before any §3 event (also what the read model shows for stays written before the transition release). */
export const emptyTransition = (): Transition => ({
  housingOffered: null,
  dischargedOn: null,
  movedInOn: null,
  endedEarly: null,
  bydelChanges: [],
  exitPlan: null,
  availability: null,
  participationEndsOn: null,
  completedOn: null,
});

function initialStay(reg: Registration): DerivedStay {
  const d: DerivedStay = {
    institutionId: reg.registeredInstitutionId,
    bydelId: reg.registeredBydelId,
    convener: 'institution',
    status: 'active',
    milestones: MILESTONE_RULES.map((rule) => ({
      key: rule.key,
      openedOn: rule.opens === 'admission' ? reg.admittedAt : null,
      dueDate: null,
      originalDueDate: null,
      doneAt: null,
      applicable: true,
      closedBy: null,
      details: null,
      occurrences: [],
      deviation: null,
    })),
    transition: emptyTransition(),
  };
  recompute(reg, d);
  return d;
}

/** Applies one (already checked) command to a copy of the stay. */
function apply(reg: Registration, prev: DerivedStay, record: CommandRecord): DerivedStay {
  const command = record.command;
  // plain data, so a JSON copy is exact (and available in the workflow sandbox)
  const d: DerivedStay = JSON.parse(JSON.stringify(prev));
  const t = d.transition;
  switch (command.type) {
    case 'complete-milestone': {
      const m = milestoneOf(d, command.key);
      const rule = milestoneRule(command.key);
      if (rule.recurring || rule.due.from === 'agreed')
        m.occurrences = [...m.occurrences, command.doneAt].sort(compareDates);
      else {
        m.doneAt = command.doneAt;
        m.details = command.onboarded ? { onboarded: true } : command.details;
      }
      break;
    }
    case 'mark-insufficient': {
      const causes = milestoneOf(d, 'status-report-causes');
      Object.assign(causes, { openedOn: command.date, doneAt: null, details: null, deviation: null });
      break;
    }
    case 'deviation': {
      milestoneOf(d, command.milestone).deviation = {
        dueDate: command.dueDate,
        reason: command.reason,
        agreedBy: command.agreedBy,
        agreedOn: osloDate(Date.parse(record.acceptedAt)),
      };
      break;
    }
    case 'exit-plan':
      t.exitPlan = command.plan;
      break;
    case 'extra-status-report': {
      const m = milestoneOf(d, 'extra-status-report');
      m.openedOn ??= osloDate(Date.parse(record.acceptedAt));
      m.agreedDates = [...(m.agreedDates ?? []), command.dueDate].sort(compareDates);
      break;
    }
    case 'stay-completed':
      d.status = 'completed';
      t.completedOn = command.date;
      break;
    case 'correction':
      break; // applied by effectiveRecords()
    case 'event':
      applyEvent(d, command.event);
      break;
  }
  recompute(reg, d);
  return d;
}

function applyEvent(d: DerivedStay, event: StayEvent): void {
  const t = d.transition;
  const open = (key: MilestoneKey, on: IsoDate) => {
    const m = milestoneOf(d, key);
    if (!m.openedOn) m.openedOn = on;
  };
  const close = (reason: string, keep: (m: MilestoneState) => boolean) => {
    for (const m of d.milestones) {
      if (m.openedOn && m.applicable && !m.doneAt && !keep(m)) {
        m.applicable = false;
        m.closedBy = reason;
      }
    }
  };
  switch (event.type) {
    case 'housing-offered':
      t.housingOffered = event;
      // §2: from the offer, the bydel convenes — whether or not the resident keeps the institution place
      d.convener = 'bydel';
      for (const rule of MILESTONE_RULES.filter((r) => r.opens === 'housing-offered')) {
        open(rule.key, event.date);
        const applies =
          rule.applicableWhen === 'booppfolging-decision'
            ? event.hasBooppfolgingDecision
            : rule.applicableWhen === 'follow-up-condition'
              ? event.housingConditionalOnFollowUp
              : true;
        if (!applies) Object.assign(milestoneOf(d, rule.key), { applicable: false, closedBy: 'not-in-offer' });
      }
      break;
    case 'moved-in':
      t.movedInOn = event.date;
      open('follow-up-meeting', event.date);
      break;
    case 'discharged':
      t.dischargedOn = event.date;
      open('final-report', event.date);
      close('discharged', (m) => milestoneRule(m.key).phase === 'transition');
      break;
    case 'ended-early':
      t.endedEarly = event;
      d.status = 'ended';
      open('final-report', event.date);
      // §3.3: the final report is still due; nothing else is
      close('ended-early', (m) => m.key === 'final-report');
      break;
    case 'bydel-changed':
      t.bydelChanges = [...t.bydelChanges, { date: event.date, from: d.bydelId, to: event.bydelId }];
      d.bydelId = event.bydelId;
      break;
  }
}

/** Due dates, deviations and the §3 periods, from the rules table. */
function recompute(reg: Registration, d: DerivedStay): void {
  const t = d.transition;
  const i = reg.interpretations;
  const lastMeeting = lastMeetingDate(d);
  const moveIn = t.movedInOn ?? t.housingOffered?.expectedMoveInDate ?? null;
  const stayEnd = t.dischargedOn ?? t.endedEarly?.date ?? null;
  for (const m of d.milestones) {
    if (!m.openedOn) continue;
    const due = milestoneRule(m.key).due;
    let computed: IsoDate | null;
    switch (due.from) {
      case 'admission':
        computed = addOffset(reg.admittedAt, due.offset);
        break;
      case 'opened':
        computed = addOffset(m.openedOn, due.offset(i));
        break;
      case 'last-meeting':
        computed = lastMeeting ? addOffset(lastMeeting, due.offset(i)) : null;
        break;
      case 'housing-offered':
        computed = t.housingOffered ? addOffset(t.housingOffered.date, due.offset(i)) : null;
        break;
      case 'move-in':
        computed = moveIn ? addOffset(moveIn, due.offset(i)) : null;
        break;
      case 'stay-end':
        computed = stayEnd ? addOffset(stayEnd, due.offset) : null;
        break;
      case 'agreed': {
        // the k-th report delivered meets the k-th agreed date; done once every agreed report is in
        const agreed = m.agreedDates ?? [];
        computed = agreed[m.occurrences.length] ?? null;
        m.doneAt = agreed.length > 0 && m.occurrences.length >= agreed.length ? m.occurrences.at(-1)! : null;
        break;
      }
    }
    m.dueDate = m.deviation ? m.deviation.dueDate : computed;
    m.originalDueDate = m.deviation ? computed : null;
  }
  t.availability = t.dischargedOn
    ? { from: t.dischargedOn, until: addOffset(t.dischargedOn, INSTITUTION_AVAILABILITY.offset) }
    : null;
  t.participationEndsOn =
    t.exitPlan?.participationEndsOn ?? (t.dischargedOn ? addOffset(t.dischargedOn, PARTICIPATION_END.offset) : null);
}

function lastMeetingDate(d: DerivedStay): IsoDate | null {
  let last: IsoDate | null = null;
  for (const m of d.milestones) {
    if (!milestoneRule(m.key).isMeeting) continue;
    for (const date of [m.doneAt, ...m.occurrences]) if (date && (!last || compareDates(date, last) > 0)) last = date;
  }
  return last;
}

// ---- checks -----------------------------------------------------------------------------------------------------

function checkCommand(
  reg: Registration,
  d: DerivedStay,
  command: StayCommand,
  actor: Actor,
  today: IsoDate,
): Refusal | null {
  if (command.type === 'stay-completed')
    return actor.role === 'system' ? null : refusal('not-permitted', 'Only the workflow completes a stay.');
  if (command.type === 'correction') return null; // checked against the whole record by checkCorrection
  if (d.status === 'completed')
    return refusal('stay-closed', 'The stay is completed; nothing more can be recorded on it.');
  const date = (value: IsoDate, notBefore: IsoDate = reg.admittedAt, what = 'this'): Refusal | null => {
    if (compareDates(value, reg.admittedAt) < 0) {
      return refusal('date-before-admission', `The date ${value} is before the admission date ${reg.admittedAt}.`);
    }
    if (compareDates(value, notBefore) < 0) {
      return refusal(
        'date-before-prerequisite',
        `The date ${value} is before ${notBefore}, when ${what} became possible.`,
      );
    }
    if (compareDates(value, today) > 0) {
      return refusal(
        'date-in-future',
        `The date ${value} is in the future (today is ${today} in Oslo); record it on or after the day it happened.`,
      );
    }
    return null;
  };
  const t = d.transition;
  switch (command.type) {
    case 'complete-milestone': {
      const m = milestoneOf(d, command.key);
      const rule = milestoneRule(command.key);
      if (d.status === 'ended' && command.key !== 'final-report') {
        return refusal('stay-closed', 'The stay has ended early; only the final report is still due.');
      }
      if (!m.openedOn) return refusal('not-open', notOpen(command.key));
      if (!m.applicable)
        return refusal(
          'not-open',
          `Milestone "${command.key}" does not apply to this stay${m.closedBy ? ` (${m.closedBy})` : ''}.`,
        );
      if (m.doneAt)
        return refusal(
          'already-done',
          `Milestone "${command.key}" was already completed on ${m.doneAt}. A correction is a separate action.`,
        );
      if (rule.recurring && m.occurrences.includes(command.doneAt)) {
        return refusal('already-done', `A ${command.key} on ${command.doneAt} is already recorded.`);
      }
      const dateRefusal = date(command.doneAt, m.openedOn, `"${command.key}"`);
      if (dateRefusal) return dateRefusal;
      for (const prerequisite of rule.requires) {
        const p = milestoneOf(d, prerequisite);
        if (!p.doneAt) {
          return refusal(
            'prerequisite-missing',
            `"${command.key}" requires "${prerequisite}" to be completed first (Fellesskriv ${rule.section}).`,
          );
        }
        if (compareDates(p.doneAt, command.doneAt) > 0) {
          return refusal(
            'date-before-prerequisite',
            `"${command.key}" on ${command.doneAt} would be before "${prerequisite}" (done ${p.doneAt}); it must come after it (Fellesskriv ${rule.section}).`,
          );
        }
      }
      if (command.key === 'exit-meeting' && !t.exitPlan && !command.onboarded) {
        return refusal(
          'prerequisite-missing',
          'Record the exit plan (PUT /api/stays/:id/exit-plan) with the exit meeting (Fellesskriv §3.2).',
        );
      }
      return null;
    }
    case 'mark-insufficient': {
      if (d.status !== 'active') return refusal('stay-closed', `The stay is ${d.status}.`);
      const report = milestoneOf(d, 'status-report');
      if (!report.doneAt)
        return refusal(
          'prerequisite-missing',
          'The status report has not been completed yet, so it cannot be marked insufficient.',
        );
      const causes = milestoneOf(d, 'status-report-causes');
      if (causes.openedOn && !causes.doneAt && causes.applicable) {
        return refusal(
          'already-done',
          `The status report is already marked insufficient (on ${causes.openedOn}); map the causes first.`,
        );
      }
      return date(command.date, report.doneAt, 'the status report');
    }
    case 'deviation': {
      if (!isMilestoneKey(command.milestone)) return refusal('unknown-milestone', unknownMilestone(command.milestone));
      const m = milestoneOf(d, command.milestone);
      if (!m.openedOn) return refusal('not-open', notOpen(command.milestone));
      if (!m.applicable) return refusal('not-open', `Milestone "${command.milestone}" does not apply to this stay.`);
      if (m.doneAt)
        return refusal(
          'already-done',
          `Milestone "${command.milestone}" is already done (${m.doneAt}); a deviation moves open deadlines only.`,
        );
      if (m.dueDate === command.dueDate)
        return refusal('no-change', `"${command.milestone}" is already due on ${command.dueDate}.`);
      if (compareDates(command.dueDate, m.openedOn) < 0) {
        return refusal(
          'date-before-prerequisite',
          `The agreed date ${command.dueDate} is before ${m.openedOn}, when "${command.milestone}" opened.`,
        );
      }
      if (!command.reason.trim()) return refusal('no-change', 'An agreed deviation needs its reason (Fellesskriv §1).');
      return null;
    }
    case 'extra-status-report': {
      if (d.status !== 'active') return refusal('stay-closed', `The stay is ${d.status}.`);
      const m = milestoneOf(d, 'extra-status-report');
      if ((m.agreedDates ?? []).includes(command.dueDate))
        return refusal('already-done', `An extra status report due ${command.dueDate} is already agreed.`);
      if (compareDates(command.dueDate, today) < 0)
        return refusal(
          'date-before-prerequisite',
          `The agreed due date ${command.dueDate} has already passed (today is ${today}); agree a date from today on.`,
        );
      return null;
    }
    case 'exit-plan':
      if (d.status !== 'active') return refusal('stay-closed', `The stay is ${d.status}.`);
      if (command.plan.participationEndsOn && compareDates(command.plan.participationEndsOn, reg.admittedAt) < 0) {
        return refusal('date-before-admission', 'The agreed end of participation is before the admission date.');
      }
      return null;
    case 'event':
      return checkEvent(reg, d, command.event, date);
  }
}

function checkEvent(
  reg: Registration,
  d: DerivedStay,
  event: StayEvent,
  date: (v: IsoDate, notBefore?: IsoDate, what?: string) => Refusal | null,
): Refusal | null {
  const t = d.transition;
  if (d.status !== 'active')
    return refusal('stay-closed', `The stay is ${d.status}; "${event.type}" can no longer be recorded.`);
  switch (event.type) {
    case 'housing-offered':
      if (t.housingOffered)
        return refusal(
          'already-done',
          `Housing was already offered on ${t.housingOffered.date}. A correction is a separate action.`,
        );
      if (event.expectedMoveInDate && compareDates(event.expectedMoveInDate, event.date) < 0) {
        return refusal(
          'date-before-prerequisite',
          `The expected move-in date ${event.expectedMoveInDate} is before the offer (${event.date}).`,
        );
      }
      return date(event.date);
    case 'discharged':
      if (t.dischargedOn) return refusal('already-done', `The resident was already discharged on ${t.dischargedOn}.`);
      if (!t.housingOffered) {
        return refusal(
          'prerequisite-missing',
          'Record "housing-offered" first — or, if the resident leaves without housing, record "ended-early" with reason "discharged-without-housing".',
        );
      }
      return date(event.date, t.housingOffered.date, 'the housing offer');
    case 'moved-in':
      if (t.movedInOn) return refusal('already-done', `The move-in was already recorded on ${t.movedInOn}.`);
      if (!t.housingOffered) return refusal('prerequisite-missing', 'Record "housing-offered" before the move-in.');
      return date(event.date, t.housingOffered.date, 'the housing offer');
    case 'ended-early':
      if (t.dischargedOn)
        return refusal(
          'already-done',
          `The resident was discharged on ${t.dischargedOn}; the stay is not ending early.`,
        );
      return date(event.date);
    case 'bydel-changed':
      if (event.bydelId === d.bydelId)
        return refusal('no-change', `The stay already belongs to bydel ${event.bydelId}.`);
      return date(event.date, t.bydelChanges.at(-1)?.date ?? reg.admittedAt, 'the previous change of bydel');
  }
}

// ---- corrections ------------------------------------------------------------------------------------------------

const recordDate = (c: StayCommand): IsoDate | null =>
  c.type === 'complete-milestone'
    ? c.doneAt
    : c.type === 'event'
      ? c.event.date
      : c.type === 'mark-insufficient'
        ? c.date
        : null;

function matchesTarget(c: StayCommand, target: Extract<StayCommand, { type: 'correction' }>['target']): boolean {
  if ('milestone' in target) return c.type === 'complete-milestone' && c.key === target.milestone;
  return c.type === 'event' && c.event.type === target.event;
}

/** The latest still-effective record a correction refers to. */
function correctionTarget(
  effective: CommandRecord[],
  correction: Extract<StayCommand, { type: 'correction' }>,
  beforeSeq: number,
) {
  for (let i = effective.length - 1; i >= 0; i--) {
    const record = effective[i]!;
    if (record.seq < beforeSeq && matchesTarget(record.command, correction.target)) return { record, index: i };
  }
  return null;
}

function withDate(c: StayCommand, date: IsoDate): StayCommand {
  if (c.type === 'complete-milestone') return { ...c, doneAt: date };
  if (c.type === 'event') return { ...c, event: { ...c.event, date } };
  return c;
}

/** The records as they now stand: corrections applied (withdrawn ones dropped, re-dated ones re-dated), in order. */
function effectiveRecords(records: CommandRecord[]): CommandRecord[] {
  const effective: CommandRecord[] = [];
  for (const record of records) {
    const c = record.command;
    if (c.type !== 'correction') {
      effective.push(record);
      continue;
    }
    const target = correctionTarget(effective, c, record.seq);
    if (!target) continue;
    if (c.action === 'withdraw') effective.splice(target.index, 1);
    else if (c.date) effective[target.index] = { ...target.record, command: withDate(target.record.command, c.date) };
  }
  return effective;
}

// ---- helpers ----------------------------------------------------------------------------------------------------

/** When a ladder step is due: reminders at 00:00 Oslo N days before, overdue at 00:00 the day after, second level N days later. */
function kindAt(kind: EscalationRecord['kind'], dueDate: IsoDate, rule: MilestoneRule, ladder: boolean): number {
  const l = ladderOf(rule);
  if (kind === 'reminder' && ladder) return osloMidnight(addOffset(dueDate, { days: -(l.reminderDaysBefore ?? 0) }));
  if (kind === 'second-level') return overdueFrom(addOffset(dueDate, { days: l.secondLevelDaysAfter ?? 0 }));
  return overdueFrom(dueDate);
}

/** The audit entry for an accepted command: action, milestone, and what changed (before → after). */
function describe(
  c: StayCommand,
  before: DerivedStay,
  after: DerivedStay,
): [string, MilestoneKey | null, Record<string, unknown> | null] {
  const section = (key: MilestoneKey) => milestoneRule(key).section;
  switch (c.type) {
    case 'complete-milestone':
      return [
        c.onboarded ? 'milestone.onboarded' : 'milestone.completed',
        c.key,
        { doneAt: c.doneAt, section: section(c.key), ...(c.details ?? {}) },
      ];
    case 'mark-insufficient':
      return ['status-report.marked-insufficient', 'status-report', { date: c.date, section: '§2.2' }];
    case 'deviation': {
      const m = milestoneOf(before, c.milestone);
      return [
        'deviation.agreed',
        c.milestone,
        { from: m.dueDate, to: c.dueDate, reason: c.reason, agreedBy: c.agreedBy, section: '§1' },
      ];
    }
    case 'extra-status-report':
      return ['extra-status-report.agreed', 'extra-status-report', { dueDate: c.dueDate, section: '§2.2' }];
    case 'exit-plan': {
      // what changed, part by part (before → after); the whole plan is in the stay itself
      const prev = before.transition.exitPlan;
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const [part, value] of Object.entries(c.plan.parts)) {
        const old = prev?.parts[part as keyof typeof prev.parts] ?? null;
        if (JSON.stringify(old) !== JSON.stringify(value)) changes[part] = { from: old, to: value };
      }
      for (const key of ['contingencyPlanConsidered', 'keepPlace', 'participationEndsOn'] as const) {
        const from = prev?.[key] ?? null;
        const to = c.plan[key] ?? null;
        if (JSON.stringify(from) !== JSON.stringify(to)) changes[key] = { from, to };
      }
      return ['exit-plan.updated', null, { section: '§3.2', created: prev === null, changes }];
    }
    case 'stay-completed':
      return ['stay.completed', null, { date: c.date, section: '§3.3' }];
    case 'correction':
      return [
        `correction.${c.action}`,
        'milestone' in c.target && isMilestoneKey(c.target.milestone) ? c.target.milestone : null,
        {
          target: c.target,
          ...(c.date ? { date: c.date } : {}),
          reason: c.reason,
          convener: { from: before.convener, to: after.convener },
        },
      ];
    case 'event': {
      const e = c.event;
      const details: Record<string, unknown> = { ...e, section: e.type === 'bydel-changed' ? '§2' : '§3' };
      delete details.type;
      if (e.type === 'bydel-changed') details.from = before.bydelId;
      if (before.convener !== after.convener) details.convener = { from: before.convener, to: after.convener };
      return [`event.${e.type}`, null, details];
    }
  }
}

function responsibleFor(rule: MilestoneRule, d: DerivedStay): Party {
  return rule.responsible === 'convener' ? d.convener : rule.responsible;
}

function milestoneOf(d: DerivedStay, key: MilestoneKey): MilestoneState {
  const m = d.milestones.find((x) => x.key === key);
  if (!m) throw new Error(`stay has no milestone ${key}`);
  return m;
}

const unknownMilestone = (key: string) =>
  `There is no milestone "${key}". Known milestones: ${MILESTONE_RULES.map((r) => r.key).join(', ')}.`;

function notOpen(key: MilestoneKey): string {
  const opens = milestoneRule(key).opens;
  const when: Record<string, string> = {
    'on-demand':
      key === 'extra-status-report'
        ? 'when an extra status report is agreed'
        : 'when the bydel marks the status report insufficient',
    'housing-offered': 'when housing is offered',
    'moved-in': 'when the resident has moved in',
    'stay-end': 'when the resident is discharged or the stay ends',
  };
  return `Milestone "${key}" is not open for this stay yet${when[opens] ? ` (it opens ${when[opens]})` : ''}.`;
}

function onboardingOrder(completed: Partial<Record<string, IsoDate>>): [string, IsoDate][] {
  const position = (key: string) => MILESTONE_RULES.findIndex((r) => r.key === key);
  return (Object.entries(completed) as [string, IsoDate][]).sort(
    ([ka, da], [kb, db]) => compareDates(da, db) || position(ka) - position(kb),
  );
}

/** A snapshot written by the first release (before the transition) becomes registration + records. */
function upgradeV1(v1: StaySnapshotV1): StaySnapshot {
  const records: CommandRecord[] = [];
  const push = (command: StayCommand) =>
    records.push({ seq: records.length + 1, actor: SYSTEM, acceptedAt: v1.updatedAt, command });
  const byDate = [...v1.milestones].sort((a, b) => compareDates(a.doneAt ?? '9999', b.doneAt ?? '9999'));
  for (const m of byDate) {
    if (m.key === 'status-report-causes' && m.openedOn) push({ type: 'mark-insufficient', date: m.openedOn });
    if (m.doneAt) push({ type: 'complete-milestone', key: m.key, doneAt: m.doneAt, details: m.details });
    for (const date of m.occurrences) push({ type: 'complete-milestone', key: m.key, doneAt: date, details: null });
  }
  return {
    version: 2,
    stayId: v1.stayId,
    residentRef: v1.residentRef,
    admittedAt: v1.admittedAt,
    registeredInstitutionId: v1.institutionId,
    registeredBydelId: v1.bydelId,
    previousStayId: null,
    interpretations: { ...DEFAULT_INTERPRETATIONS, ...v1.interpretations },
    rulesVersion: v1.rulesVersion,
    createdAt: v1.createdAt,
    updatedAt: v1.updatedAt,
    records,
    raised: v1.milestones.flatMap((m) => m.raised.map((tag) => `${m.key}|${tag.replace(':', '|')}`)),
    revision: v1.revision,
    auditSeq: v1.auditSeq,
    outbox: v1.outbox,
  };
}
