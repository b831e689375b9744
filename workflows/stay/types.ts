import type { Interpretations } from '../../rules/interpretations';
import type { Convener, IsoDate, MilestoneKey, Party } from '../../rules/types';

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
  interpretations: Interpretations;
  actor: Actor;
};

export type CompleteMilestoneInput = {
  key: string;
  doneAt: IsoDate;
  /** Milestone-specific record (validated by the API against rules/milestone-details). */
  details?: Record<string, unknown>;
  actor: Actor;
};

export type MarkInsufficientInput = { date: IsoDate; actor: Actor };

export type MilestoneState = {
  key: MilestoneKey;
  /** When it became part of the stay; null while an on-demand milestone has not been opened. */
  openedOn: IsoDate | null;
  dueDate: IsoDate | null;
  /** The due date the rules gave, when an agreed deviation moved it; otherwise null. */
  originalDueDate: IsoDate | null;
  doneAt: IsoDate | null;
  applicable: boolean;
  details: Record<string, unknown> | null;
  /** Recurring milestones: the dates of the occurrences held. */
  occurrences: IsoDate[];
  /** Escalations already raised, as `${kind}:${dueDate}`, so none is raised twice. */
  raised: string[];
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
  stayId: string;
  residentRef: string;
  institutionId: string;
  bydelId: string;
  admittedAt: IsoDate;
  status: StayStatus;
  convener: Convener;
  interpretations: Interpretations;
  rulesVersion: number;
  createdAt: string;
  updatedAt: string;
  milestones: MilestoneState[];
  revision: number;
  auditSeq: number;
  /** Audit entries and escalations not yet written to the read model. */
  outbox: { audit: AuditEntry[]; escalations: EscalationRecord[] };
};

export type StayWorkflowInput = { register: RegisterStayInput } | { continued: StaySnapshot };

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
  position: number;
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
  };
  milestones: MilestoneRow[];
  audit: AuditEntry[];
  escalations: EscalationRecord[];
};

export type CommandResult = { stayId: string; revision: number };
