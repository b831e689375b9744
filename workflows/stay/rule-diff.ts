import {
  INTERPRETATION_RULES,
  type InterpretationKey,
  type Interpretations,
  withDefaults,
} from '../../rules/interpretations';
import { milestoneRule } from '../../rules/milestones';
import type { IsoDate, MilestoneKey } from '../../rules/types';
import { StayState } from './stay-state';
import type { StaySnapshot, StaySnapshotV1 } from './types';

/** A rule set: the version of the rule table and the interpretations (rules/interpretations.ts). */
export type RuleSetValues = { rulesVersion: number; interpretations: Interpretations };

export type DeadlineChange = {
  milestone: MilestoneKey;
  /** The Fellesskriv section of the milestone's rule. */
  section: string;
  underStay: IsoDate | null;
  underTarget: IsoDate | null;
  /** Not done and still applicable: a change to it would be felt. */
  open: boolean;
};

export type RuleDiff = {
  stay: RuleSetValues;
  target: RuleSetValues;
  /** The interpretations whose values differ. */
  interpretations: { key: InterpretationKey; stay: number; target: number }[];
  changes: DeadlineChange[];
};

/**
 * Which of a stay's deadlines would fall on other dates under another rule set: the stay's own records folded once
 * with the rules it runs by and once with the target's (the workflow's own fold, so the answer is what the workflow
 * would do). A rules version the stay has not adopted is adopted as `adoptRules` would, now. Agreed deviations keep
 * their agreed dates under any rules.
 */
export function ruleDiff(snapshot: StaySnapshot | StaySnapshotV1, target: RuleSetValues, nowMs: number): RuleDiff {
  const own = StayState.fromSnapshot(snapshot);
  const s = own.snapshot;
  const adopts = target.rulesVersion > s.rulesVersion;
  const other = StayState.fromSnapshot({
    ...s,
    interpretations: target.interpretations,
    rulesVersion: Math.max(s.rulesVersion, target.rulesVersion),
    ...(adopts
      ? {
          rulesAdoptedAt: new Date(nowMs).toISOString(),
          rulesAdoptedAfterSeq: s.records.at(-1)?.seq ?? 0,
          // the amendments of the fold the workflow adopts with the rules (stay-workflow.ts, in the same task), each
          // changing only a stay it applies to: the preview is what the workflow would do
          olderDeviationsKept: true,
          recurringDeviationsLapse: true,
          offerAnchorsAsOffered: true,
          offerKeepsAnchors: true,
        }
      : {}),
  });
  const stayInterpretations = withDefaults(s.interpretations);
  const changes: DeadlineChange[] = [];
  for (const m of own.stay.milestones) {
    const t = other.stay.milestones.find((x) => x.key === m.key);
    const underTarget = t?.dueDate ?? null;
    if (m.dueDate === underTarget) continue;
    changes.push({
      milestone: m.key,
      section: milestoneRule(m.key).section,
      underStay: m.dueDate,
      underTarget,
      open: m.applicable && !m.doneAt,
    });
  }
  return {
    stay: { rulesVersion: s.rulesVersion, interpretations: stayInterpretations },
    target: { rulesVersion: Math.max(s.rulesVersion, target.rulesVersion), interpretations: target.interpretations },
    interpretations: INTERPRETATION_RULES.filter(
      (r) => stayInterpretations[r.key] !== target.interpretations[r.key],
    ).map((r) => ({ key: r.key, stay: stayInterpretations[r.key], target: target.interpretations[r.key] })),
    changes,
  };
}

/** Whether a stay with these rules could have any deadline change under the target (nothing differs: none can). */
export const rulesDiffer = (
  stay: { rulesVersion: number; interpretations: Partial<Interpretations> },
  target: RuleSetValues,
) => {
  const own = withDefaults(stay.interpretations);
  return (
    stay.rulesVersion < target.rulesVersion ||
    INTERPRETATION_RULES.some((r) => own[r.key] !== target.interpretations[r.key])
  );
};
