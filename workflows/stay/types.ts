import type { ExitPlan } from '../../rules/exit-plan';
import type { Interpretations } from '../../rules/interpretations';
import type { Recorder } from '../../rules/permissions';
import type { Convener, EarlyEndReason, IsoDate, MilestoneKey, Party, StayEventType } from '../../rules/types';
import type { StayCommand } from './command-registry';

/** Who did something. Pseudonymous user ids only; `system` for what the workflow does on its own (timers). */
export type Actor = { sub: string | null; role: 'institution' | 'bydel' | 'admin' | 'system'; org: string | null };

export type StayStatus = 'active' | 'completed' | 'ended';

export type RegisterStayInput = {
  stayId: string;
  residentRef: string;
  institutionId: string;
  bydelId: string;
  admittedAt: IsoDate;
  /** Onboarding of residents admitted before go-live: milestones already done, with their dates. */
  completed?: Partial<Record<MilestoneKey, IsoDate>>;
  /** A move from another VEL institution: the stay this one continues. */
  previousStayId?: string | null;
  interpretations: Interpretations;
  /** Days after the stay closes that its personal data is removed (rules/retention.ts). */
  retentionDays?: number;
  actor: Actor;
};

// ---- the stay's events (§3) ---------------------------------------------------------------------------------

export type StayEvent =
  | {
      type: 'housing-offered';
      date: IsoDate;
      /** The resident has a vedtak (decision) on booppfølging → `housing-follow-up-contact` applies. */
      hasBooppfolgingDecision: boolean;
      /** The housing came with a condition of necessary follow-up → `cooperation-agreement` applies. */
      housingConditionalOnFollowUp: boolean;
      expectedMoveInDate?: IsoDate | null;
      /** Moving to another bydel: that bydel's booppfølger is involved early (§3). */
      receivingBydelId?: string | null;
    }
  | { type: 'discharged'; date: IsoDate }
  | { type: 'moved-in'; date: IsoDate }
  | { type: 'ended-early'; date: IsoDate; reason: EarlyEndReason; toInstitutionId?: string | null }
  | { type: 'bydel-changed'; date: IsoDate; bydelId: string };

// ---- the stay as a fold over accepted commands (each command's own types: commands/) ------------------------------

export type { StayCommand };

/** An accepted command: what the stay's state is computed from. Corrections are records too; nothing is erased. */
export type CommandRecord = { seq: number; actor: Actor; acceptedAt: string; command: StayCommand };

/** A party's user who confirmed a deviation, and when. */
export type Confirmation = { sub: string | null; on: IsoDate };

export type Deviation = {
  dueDate: IsoDate;
  reason: string;
  agreedBy: Party;
  agreedOn: IsoDate;
  /** Rules version 3: who of each party confirmed (absent for deviations agreed before). */
  confirmedBy?: { institution?: Confirmation; bydel?: Confirmation };
  /** Someone stated that both parties agreed, on behalf of both (audited as such). */
  statedOnBehalfOfBoth?: { sub: string | null; role: Actor['role']; org: string | null };
};

/** A deviation proposed with `agreedBy: both` that waits for the other party's confirmation; the date has not moved. */
export type PendingDeviation = {
  dueDate: IsoDate;
  reason: string;
  proposedOn: IsoDate;
  proposedBy: { party: 'institution' | 'bydel'; sub: string | null };
};

export type MilestoneState = {
  key: MilestoneKey;
  /** When it became part of the stay; null while it has not been opened. */
  openedOn: IsoDate | null;
  dueDate: IsoDate | null;
  /** The due date the rules gave, when an agreed deviation moved it; otherwise null. */
  originalDueDate: IsoDate | null;
  doneAt: IsoDate | null;
  applicable: boolean;
  /** Why it no longer applies (`discharged`, `ended-early`, `not-in-offer`). */
  closedBy: string | null;
  details: Record<string, unknown> | null;
  /** Recurring milestones: the dates of the occurrences held (extra status reports: the reports delivered). */
  occurrences: IsoDate[];
  /** Extra status reports: the due dates agreed, in order. */
  agreedDates?: IsoDate[];
  deviation: Deviation | null;
  /** Rules version 3: a deviation proposed by one party, awaiting the other's confirmation. */
  pendingDeviation?: PendingDeviation | null;
  /** Rules version 3, recurring: due dates that passed without an occurrence (the next interval counts on). */
  passedDueDates?: IsoDate[];
  /**
   * Rules version 3: why it raises no further alarm although open — `housing-offered` (overdue before the offer, or
   * open without a deadline after it).
   */
  silencedBy?: string | null;
  /** Rules version 3: the milestone whose agreed deviation moved this deadline along (rule `anchor`). */
  movedWith?: MilestoneKey | null;
  /**
   * Rules version 3, since the ninth release: its deadline when the housing offer superseded it (what a deadline tied to
   * it that the offer found overdue keeps following); null when it had none.
   */
  atOffer?: { dueDate: IsoDate; originalDueDate: IsoDate | null } | null;
};

export type Transition = {
  housingOffered: Extract<StayEvent, { type: 'housing-offered' }> | null;
  dischargedOn: IsoDate | null;
  movedInOn: IsoDate | null;
  endedEarly: Extract<StayEvent, { type: 'ended-early' }> | null;
  bydelChanges: { date: IsoDate; from: string; to: string }[];
  exitPlan: ExitPlan | null;
  /** The institution's 4-week availability after discharge (§3). */
  availability: { from: IsoDate; until: IsoDate } | null;
  /** End of the institution's participation (§3.3): move-out + 28 days, or the date the exit plan agreed. */
  participationEndsOn: IsoDate | null;
  completedOn: IsoDate | null;
};

/** What the stay is now: derived from registration + records, never edited directly. */
export type DerivedStay = {
  institutionId: string;
  bydelId: string;
  convener: Convener;
  status: StayStatus;
  milestones: MilestoneState[];
  transition: Transition;
};

export type AuditEntry = {
  seq: number;
  at: string;
  actor: Actor;
  action: string;
  milestone: MilestoneKey | null;
  details: Record<string, unknown> | null;
};

export type EscalationKind = 'reminder' | 'overdue' | 'second-level';

export type EscalationRecord = {
  id: string;
  milestone: MilestoneKey;
  kind: EscalationKind;
  dueDate: IsoDate;
  recipient: Party;
  createdAt: string;
};

/** Everything the workflow owns about a stay; also the continue-as-new input. */
export type StaySnapshot = {
  version: 2;
  stayId: string;
  residentRef: string;
  admittedAt: IsoDate;
  registeredInstitutionId: string;
  registeredBydelId: string;
  previousStayId: string | null;
  interpretations: Interpretations;
  rulesVersion: number;
  /** When the stay adopted its current rules version after registration (records before it were checked by older rules). */
  rulesAdoptedAt?: string;
  /**
   * The sequence number of the last record accepted before the stay adopted its current rules (set by adoptRules since
   * the eighth release): the records of the workflow task that adopts them were accepted by the older rules, at the
   * adoption's instant.
   */
  rulesAdoptedAfterSeq?: number;
  /**
   * Since the seventh release (behind a patch): an agreed deviation of a recurring deadline moves only the interval it
   * was agreed for (fold.ts). Absent in stays that have not run a workflow task since.
   */
  recurringDeviationsLapse?: boolean;
  /**
   * Since the seventh release (behind a patch): a deadline the housing offer silenced as already overdue keeps the due
   * date its anchor's deviation gave it, also once the offer supersedes the anchor (fold.ts followAnchors).
   */
  offerKeepsAnchors?: boolean;
  /**
   * Since the eighth release (behind a patch): a deviation recorded as agreed by both while the stay ran by rules version
   * 2 stays agreed once it adopts version 3 (commands/agree-deviation.ts), instead of waiting for a confirmation.
   */
  olderDeviationsKept?: boolean;
  /**
   * Since the ninth release (behind a patch): a deadline the housing offer found overdue follows its superseded anchor's
   * deadline as the offer found it, not a deviation of the anchor recorded after the offer (fold.ts followAnchors).
   */
  offerAnchorsAsOffered?: boolean;
  /** Absent for stays registered before retention existed: they get the default. */
  retentionDays?: number;
  createdAt: string;
  updatedAt: string;
  records: CommandRecord[];
  /** Escalations already raised, as `${milestone}|${kind}|${dueDate}`, so none is raised twice. */
  raised: string[];
  revision: number;
  auditSeq: number;
  /** Audit entries and escalations not yet written to the read model. */
  outbox: { audit: AuditEntry[]; escalations: EscalationRecord[] };
};

/** What the fold starts from: the registration and the rules the stay runs by, never changed by a command. */
export type Registration = Pick<
  StaySnapshot,
  | 'admittedAt'
  | 'registeredInstitutionId'
  | 'registeredBydelId'
  | 'interpretations'
  | 'rulesVersion'
  | 'rulesAdoptedAt'
  | 'rulesAdoptedAfterSeq'
  | 'recurringDeviationsLapse'
  | 'offerKeepsAnchors'
  | 'olderDeviationsKept'
  | 'offerAnchorsAsOffered'
>;

/** The first version's snapshot (continue-as-new input of stays started before the transition release). */
export type StaySnapshotV1 = {
  stayId: string;
  residentRef: string;
  institutionId: string;
  bydelId: string;
  admittedAt: IsoDate;
  interpretations: Interpretations;
  rulesVersion: number;
  createdAt: string;
  updatedAt: string;
  milestones: {
    key: MilestoneKey;
    openedOn: IsoDate | null;
    doneAt: IsoDate | null;
    details: Record<string, unknown> | null;
    occurrences: IsoDate[];
    raised: string[];
  }[];
  revision: number;
  auditSeq: number;
  outbox: { audit: AuditEntry[]; escalations: EscalationRecord[] };
};

export type StayWorkflowInput = { register: RegisterStayInput } | { continued: StaySnapshot | StaySnapshotV1 };

export type MilestoneRow = {
  key: MilestoneKey;
  dueDate: IsoDate | null;
  originalDueDate: IsoDate | null;
  doneAt: IsoDate | null;
  applicable: boolean;
  recurring: boolean;
  escalates: boolean;
  responsible: Party;
  details: Record<string, unknown> | null;
  deviation: Deviation | null;
  closedBy: string | null;
  position: number;
  pendingDeviation?: PendingDeviation | null;
  silencedBy?: string | null;
};

/** What one read-model write carries: the stay as of `revision`, plus the audit entries and escalations to append. */
export type ReadModelSync = {
  stay: {
    id: string;
    residentRef: string;
    institutionId: string;
    bydelId: string;
    admittedAt: IsoDate;
    status: StayStatus;
    convener: Convener;
    revision: number;
    createdAt: string;
    updatedAt: string;
    rulesVersion?: number;
    previousStayId?: string | null;
    transition?: Transition;
    /** The interpretations the stay runs with (rules/interpretations.ts). */
    interpretations?: Interpretations;
    /** Absent in writes scheduled by workers before it was sent; the read model then replays the audit trail. */
    recordedBy?: RecordedBy;
  };
  milestones: MilestoneRow[];
  audit: AuditEntry[];
  escalations: EscalationRecord[];
};

/** Who recorded each completion and event now in effect: that organisation (or an administrator) may correct it. */
export type RecordedBy = {
  milestones: Partial<Record<MilestoneKey, Recorder>>;
  events: Partial<Record<StayEventType, Recorder>>;
};

export type CommandResult = { stayId: string; revision: number };
