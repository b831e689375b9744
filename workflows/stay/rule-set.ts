import type { StaySnapshot } from './types';

/**
 * Which rules a stay runs by: its `rulesVersion` (rules/milestones.ts RULES_VERSION), set at registration and raised
 * when a running stay adopts newer rules (behind a workflow patch). The pure state asks this instead of calling
 * patched(), so replaying an old history keeps the old rules until the history itself says otherwise.
 */
export type RuleSet = Pick<StaySnapshot, 'rulesVersion' | 'rulesAdoptedAt' | 'rulesAdoptedAfterSeq'>;

/**
 * Version 3 (issue "no false alarms"): a housing offer supersedes the housing track, anchored deadlines follow their
 * anchor, deviations are confirmed by both parties, the cooperation meeting reminds every interval, a discharge
 * without a move-in is followed up, and a closed stay refuses every command.
 */
export const hasFidelityRules = (s: RuleSet): boolean => s.rulesVersion >= 3;

/**
 * Whether a record was accepted by the rules before version 3: the stay had not adopted them yet. The workflow adopts
 * them in its main loop after the workflow task's Updates were accepted, at the same instant, so the record's sequence
 * number tells (`rulesAdoptedAfterSeq`); a stay that adopted them before the eighth release knows only the instant, and
 * a record of that very instant counts as accepted by version 3, as it was taken until then.
 */
export const acceptedBeforeFidelityRules = (s: RuleSet, record: { seq: number; acceptedAt: string }): boolean =>
  !hasFidelityRules(s) ||
  (s.rulesAdoptedAfterSeq !== undefined
    ? record.seq <= s.rulesAdoptedAfterSeq
    : !!s.rulesAdoptedAt && record.acceptedAt < s.rulesAdoptedAt);

/**
 * Whether a record accepted at `acceptedAt` was checked by version 3's rules: records a stay accepted before it adopted
 * them are not re-checked by rules they never had to meet (a correction re-checks everything after it).
 */
export const checkedByFidelityRules = (s: RuleSet, acceptedAt: string): boolean =>
  hasFidelityRules(s) && (!s.rulesAdoptedAt || acceptedAt >= s.rulesAdoptedAt);
