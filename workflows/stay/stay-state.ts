import { milestoneRule, MILESTONE_RULES, RULES_VERSION, type MilestoneRule } from '../../rules/milestones';
import { addOffset, compareDates, isPastDue, osloDate, overdueFrom } from '../../rules/oslo-calendar';
import { refusal, type Refusal } from '../../rules/refusals';
import { isMilestoneKey, type IsoDate, type MilestoneKey, type Party } from '../../rules/types';
import type {
  Actor,
  AuditEntry,
  CompleteMilestoneInput,
  EscalationRecord,
  MarkInsufficientInput,
  MilestoneRow,
  MilestoneState,
  ReadModelSync,
  RegisterStayInput,
  StaySnapshot,
} from './types';

/**
 * The stay's state and its transitions, pure: no Temporal calls, time and ids passed in. The workflow
 * wires it to timers and messages; the API reuses `validateRegistration` so that onboarding input is
 * refused with the same rules before a workflow is started.
 */
export class StayState {
  private constructor(private readonly s: StaySnapshot) {}

  static fromSnapshot(snapshot: StaySnapshot): StayState {
    return new StayState(snapshot);
  }

  /** Registers a stay; onboarding (`completed`) is applied oldest date first, with the same checks as a completion. */
  static register(input: RegisterStayInput, nowMs: number): StayState {
    const at = new Date(nowMs).toISOString();
    const state = new StayState({
      stayId: input.stayId,
      residentRef: input.residentRef,
      institutionId: input.institutionId,
      bydelId: input.bydelId,
      admittedAt: input.admittedAt,
      status: 'active',
      convener: 'institution',
      interpretations: input.interpretations,
      rulesVersion: RULES_VERSION,
      createdAt: at,
      updatedAt: at,
      milestones: MILESTONE_RULES.map((rule) => ({
        key: rule.key,
        openedOn: rule.opens === 'admission' ? input.admittedAt : null,
        dueDate: null,
        originalDueDate: null,
        doneAt: null,
        applicable: true,
        details: null,
        occurrences: [],
        raised: [],
      })),
      revision: 0,
      auditSeq: 0,
      outbox: { audit: [], escalations: [] },
    });
    state.recomputeDueDates();
    state.audit(nowMs, input.actor, 'stay.registered', null, {
      institutionId: input.institutionId,
      bydelId: input.bydelId,
      admittedAt: input.admittedAt,
    });
    for (const [key, doneAt] of StayState.onboardingOrder(input.completed ?? {})) {
      const command: CompleteMilestoneInput = { key, doneAt, details: { onboarded: true }, actor: input.actor };
      const refused = state.checkCompletion(command, nowMs);
      if (refused) throw new CommandRefused(refused);
      state.applyCompletion(command, nowMs, 'milestone.onboarded');
    }
    state.s.revision = 1;
    return state;
  }

  /** The refusal `register` would give, or null: for the API, before it starts a workflow. */
  static validateRegistration(input: RegisterStayInput, nowMs: number): Refusal | null {
    const today = osloDate(nowMs);
    if (compareDates(input.admittedAt, today) > 0) {
      return refusal('date-in-future', `admittedAt ${input.admittedAt} is in the future; register the stay on or after the admission date.`);
    }
    try {
      StayState.register(input, nowMs);
      return null;
    } catch (err) {
      if (err instanceof CommandRefused) return err.refusal;
      throw err;
    }
  }

  private static onboardingOrder(completed: Partial<Record<string, IsoDate>>): [string, IsoDate][] {
    const position = (key: string) => MILESTONE_RULES.findIndex((r) => r.key === key);
    return (Object.entries(completed) as [string, IsoDate][]).sort(
      ([ka, da], [kb, db]) => compareDates(da, db) || position(ka) - position(kb),
    );
  }

  get snapshot(): StaySnapshot {
    return this.s;
  }

  get revision(): number {
    return this.s.revision;
  }

  get hasOutbox(): boolean {
    return this.s.outbox.audit.length > 0 || this.s.outbox.escalations.length > 0;
  }

  // ---- completing milestones -------------------------------------------------------------------------------

  checkCompletion(input: CompleteMilestoneInput, nowMs: number): Refusal | null {
    if (this.s.status !== 'active') {
      return refusal('stay-closed', `The stay is ${this.s.status}; milestones can no longer be completed.`);
    }
    if (!isMilestoneKey(input.key)) {
      return refusal('unknown-milestone', `There is no milestone "${input.key}". Known milestones: ${MILESTONE_RULES.map((r) => r.key).join(', ')}.`);
    }
    const m = this.milestone(input.key);
    const rule = milestoneRule(input.key);
    if (!m.openedOn) {
      return refusal('not-open', `Milestone "${input.key}" is not open for this stay${input.key === 'status-report-causes' ? ' (it opens when the bydel marks the status report insufficient)' : ''}.`);
    }
    if (!m.applicable) return refusal('not-open', `Milestone "${input.key}" does not apply to this stay.`);
    if (m.doneAt) {
      return refusal('already-done', `Milestone "${input.key}" was already completed on ${m.doneAt}. A correction is a separate action.`);
    }
    if (rule.recurring && m.occurrences.includes(input.doneAt)) {
      return refusal('already-done', `A ${input.key} on ${input.doneAt} is already recorded.`);
    }
    const dateRefusal = this.checkDate(input.doneAt, nowMs, m.openedOn);
    if (dateRefusal) return dateRefusal;
    for (const prerequisite of rule.requires) {
      const p = this.milestone(prerequisite);
      if (!p.doneAt) {
        return refusal('prerequisite-missing', `"${input.key}" requires "${prerequisite}" to be completed first (Fellesskriv ${rule.section}).`);
      }
      if (compareDates(p.doneAt, input.doneAt) > 0) {
        return refusal(
          'date-before-prerequisite',
          `"${input.key}" on ${input.doneAt} would be before "${prerequisite}" (done ${p.doneAt}); it must come after it (Fellesskriv ${rule.section}).`,
        );
      }
    }
    return null;
  }

  complete(input: CompleteMilestoneInput, nowMs: number): void {
    const refused = this.checkCompletion(input, nowMs);
    if (refused) throw new CommandRefused(refused);
    this.applyCompletion(input, nowMs, 'milestone.completed');
    this.bump(nowMs);
  }

  private applyCompletion(input: CompleteMilestoneInput, nowMs: number, action: string): void {
    const key = input.key as MilestoneKey;
    const m = this.milestone(key);
    const rule = milestoneRule(key);
    if (rule.recurring) {
      m.occurrences = [...m.occurrences, input.doneAt].sort(compareDates);
    } else {
      m.doneAt = input.doneAt;
      m.details = input.details ?? null;
    }
    if (rule.isMeeting) this.recomputeDueDates();
    this.audit(nowMs, input.actor, action, key, { doneAt: input.doneAt, ...(input.details ?? {}) });
  }

  // ---- status report marked insufficient (§2.2) -------------------------------------------------------------

  checkInsufficient(input: MarkInsufficientInput, nowMs: number): Refusal | null {
    if (this.s.status !== 'active') return refusal('stay-closed', `The stay is ${this.s.status}.`);
    const report = this.milestone('status-report');
    if (!report.doneAt) {
      return refusal('prerequisite-missing', 'The status report has not been completed yet, so it cannot be marked insufficient.');
    }
    const causes = this.milestone('status-report-causes');
    if (causes.openedOn && !causes.doneAt) {
      return refusal('already-done', `The status report is already marked insufficient (on ${causes.openedOn}); map the causes first.`);
    }
    return this.checkDate(input.date, nowMs, report.doneAt);
  }

  markStatusReportInsufficient(input: MarkInsufficientInput, nowMs: number): void {
    const refused = this.checkInsufficient(input, nowMs);
    if (refused) throw new CommandRefused(refused);
    const causes = this.milestone('status-report-causes');
    causes.openedOn = input.date;
    causes.doneAt = null;
    causes.details = null;
    this.recomputeDueDates();
    this.audit(nowMs, input.actor, 'status-report.marked-insufficient', 'status-report', { date: input.date });
    this.bump(nowMs);
  }

  // ---- deadlines ----------------------------------------------------------------------------------------------

  /** Raises each missed deadline once: `overdue` for a binding deadline, `reminder` for a recommendation. */
  raiseMissedDeadlines(nowMs: number, newId: () => string): number {
    let raised = 0;
    for (const m of this.openMilestones()) {
      const rule = milestoneRule(m.key);
      if (!m.dueDate || !isPastDue(m.dueDate, nowMs)) continue;
      const tag = `${rule.onMissed}:${m.dueDate}`;
      if (m.raised.includes(tag)) continue;
      m.raised.push(tag);
      const escalation: EscalationRecord = {
        id: newId(),
        milestone: m.key,
        kind: rule.onMissed,
        dueDate: m.dueDate,
        recipient: this.responsibleFor(rule),
        createdAt: new Date(nowMs).toISOString(),
      };
      this.s.outbox.escalations.push(escalation);
      this.audit(nowMs, SYSTEM, `escalation.${rule.onMissed}`, m.key, { dueDate: m.dueDate, recipient: escalation.recipient });
      raised++;
    }
    if (raised > 0) this.bump(nowMs);
    return raised;
  }

  /** The next instant a deadline passes, or null when nothing is pending. */
  nextDeadlineAt(nowMs: number): number | null {
    let next: number | null = null;
    for (const m of this.openMilestones()) {
      if (!m.dueDate) continue;
      const at = overdueFrom(m.dueDate);
      if (at > nowMs && (next === null || at < next)) next = at;
    }
    return next;
  }

  private openMilestones(): MilestoneState[] {
    return this.s.milestones.filter((m) => m.openedOn && m.applicable && !m.doneAt);
  }

  private recomputeDueDates(): void {
    const lastMeeting = this.lastMeetingDate();
    for (const m of this.s.milestones) {
      if (!m.openedOn) continue;
      const rule = milestoneRule(m.key);
      const due = rule.due;
      const computed =
        due.from === 'admission'
          ? addOffset(this.s.admittedAt, due.offset)
          : due.from === 'opened'
            ? addOffset(m.openedOn, due.offset(this.s.interpretations))
            : lastMeeting
              ? addOffset(lastMeeting, due.offset(this.s.interpretations))
              : null;
      m.dueDate = computed;
    }
  }

  private lastMeetingDate(): IsoDate | null {
    let last: IsoDate | null = null;
    for (const m of this.s.milestones) {
      if (!milestoneRule(m.key).isMeeting) continue;
      for (const d of [m.doneAt, ...m.occurrences]) {
        if (d && (!last || compareDates(d, last) > 0)) last = d;
      }
    }
    return last;
  }

  // ---- read model --------------------------------------------------------------------------------------------

  /** The stay as the read model stores it, with the outbox to append. */
  toReadModel(): ReadModelSync {
    const s = this.s;
    return {
      stay: {
        id: s.stayId,
        residentRef: s.residentRef,
        institutionId: s.institutionId,
        bydelId: s.bydelId,
        admittedAt: s.admittedAt,
        status: s.status,
        convener: s.convener,
        revision: s.revision,
        createdAt: s.createdAt,
        updatedAt: s.updatedAt,
      },
      milestones: s.milestones
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
            responsible: this.responsibleFor(rule),
            details: rule.recurring ? { occurrences: m.occurrences } : m.details,
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

  // ---- helpers -----------------------------------------------------------------------------------------------

  private checkDate(date: IsoDate, nowMs: number, notBefore: IsoDate): Refusal | null {
    const today = osloDate(nowMs);
    if (compareDates(date, this.s.admittedAt) < 0) {
      return refusal('date-before-admission', `The date ${date} is before the admission date ${this.s.admittedAt}.`);
    }
    if (compareDates(date, notBefore) < 0) {
      return refusal('date-before-prerequisite', `The date ${date} is before ${notBefore}, when this became due to be done.`);
    }
    if (compareDates(date, today) > 0) {
      return refusal('date-in-future', `The date ${date} is in the future (today is ${today} in Oslo); record it on or after the day it happened.`);
    }
    return null;
  }

  private responsibleFor(rule: MilestoneRule): Party {
    return rule.responsible === 'convener' ? this.s.convener : rule.responsible;
  }

  private milestone(key: MilestoneKey): MilestoneState {
    const m = this.s.milestones.find((x) => x.key === key);
    if (!m) throw new Error(`stay has no milestone ${key}`);
    return m;
  }

  private audit(nowMs: number, actor: Actor, action: string, milestone: MilestoneKey | null, details: Record<string, unknown> | null): void {
    this.s.auditSeq += 1;
    const entry: AuditEntry = { seq: this.s.auditSeq, at: new Date(nowMs).toISOString(), actor, action, milestone, details };
    this.s.outbox.audit.push(entry);
  }

  private bump(nowMs: number): void {
    this.s.revision += 1;
    this.s.updatedAt = new Date(nowMs).toISOString();
  }
}

export const SYSTEM: Actor = { sub: null, role: 'system', org: null };

/** A command refused by the rules; carries the refusal for the validator / API to report. */
export class CommandRefused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
    this.name = 'CommandRefused';
  }
}
