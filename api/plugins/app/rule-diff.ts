import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Pool } from 'pg';
import { INTERPRETATION_RULES, type Interpretations } from '../../../rules/interpretations';
import { RULES_VERSION, milestoneRule } from '../../../rules/milestones';
import { compareDates } from '../../../rules/oslo-calendar';
import type { MilestoneKey } from '../../../rules/types';
import type { RuleDiff, RuleDiffSummary } from '../../../schemas/admin';
import { staySnapshotQuery, stayWorkflowId } from '../../../workflows/stay/definitions';
import { ruleDiff, type RuleSetValues, rulesDiffer } from '../../../workflows/stay/rule-diff';
import { notFound } from '../../problem';
import { retiredProblem } from './workflow-history';

/** Workflows asked at once for the summary: enough to be quick, few enough not to crowd out the stays' own work. */
const CONCURRENCY = 8;
/** A workflow no worker answers for (its task queue gone) must not hold the answer up: it counts as unreadable. */
const QUERY_TIMEOUT_MS = 5_000;

const unitOf = new Map(INTERPRETATION_RULES.map((r) => [r.key, r]));

/**
 * The rule-version view (administrators): a stay's deadlines under the rules it runs by and under the current or a
 * proposed rule set, and across the active stays how many would see which open deadline move. The stay's records come
 * from its workflow (a Query answers from its state, nothing is written), and the comparison is the workflow's own
 * fold (workflows/stay/rule-diff.ts); the read model only picks the stays whose rules differ at all.
 */
export function createRuleDiff(client: Client, pool: Pool, running: Interpretations) {
  const targetOf = (overrides: Partial<Interpretations>): RuleSetValues => ({
    rulesVersion: RULES_VERSION,
    interpretations: {
      ...running,
      ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
    },
  });

  const snapshotOf = (stayId: string) =>
    client.withAbortSignal(AbortSignal.timeout(QUERY_TIMEOUT_MS), () =>
      client.workflow.getHandle(stayWorkflowId(stayId)).query(staySnapshotQuery),
    );

  return {
    async forStay(stayId: string, overrides: Partial<Interpretations>): Promise<RuleDiff> {
      const found = await pool.query<{ anonymised: boolean }>(
        'SELECT anonymised_at IS NOT NULL AS anonymised FROM stays WHERE id = $1',
        [stayId],
      );
      if (!found.rows[0]) throw notFound('No such stay.');
      if (found.rows[0].anonymised) throw retiredProblem();
      let snapshot: Awaited<ReturnType<typeof snapshotOf>>;
      try {
        snapshot = await snapshotOf(stayId);
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw notFound("The stay's workflow no longer exists.");
        throw err;
      }
      const diff = ruleDiff(snapshot, targetOf(overrides), Date.now());
      return {
        stayId,
        ...diff,
        interpretations: diff.interpretations.map((i) => ({
          ...i,
          section: unitOf.get(i.key)!.section,
          unit: unitOf.get(i.key)!.unit,
        })),
      };
    },

    async summary(overrides: Partial<Interpretations>): Promise<RuleDiffSummary> {
      const target = targetOf(overrides);
      const stays = await pool.query<{
        id: string;
        rules_version: number | null;
        interpretations: Partial<Interpretations> | null;
      }>(`SELECT id, rules_version, interpretations FROM stays WHERE status = 'active' AND anonymised_at IS NULL`);
      const candidates = stays.rows
        .filter((s) =>
          rulesDiffer({ rulesVersion: s.rules_version ?? 1, interpretations: s.interpretations ?? {} }, target),
        )
        .map((s) => s.id);
      const counts = new Map<MilestoneKey, RuleDiffSummary['milestones'][number]>();
      let affected = 0;
      let unreadable = 0;
      const queue = [...candidates];
      const work = async () => {
        for (let id = queue.shift(); id; id = queue.shift()) {
          let diff: ReturnType<typeof ruleDiff>;
          try {
            diff = ruleDiff(await snapshotOf(id), target, Date.now());
          } catch {
            unreadable += 1;
            continue;
          }
          const open = diff.changes.filter((c) => c.open);
          if (open.length > 0) affected += 1;
          for (const c of open) {
            const row = counts.get(c.milestone) ?? {
              milestone: c.milestone,
              section: milestoneRule(c.milestone).section,
              stays: 0,
              earlier: 0,
              later: 0,
              appears: 0,
              disappears: 0,
            };
            row.stays += 1;
            if (!c.underStay) row.appears += 1;
            else if (!c.underTarget) row.disappears += 1;
            else if (compareDates(c.underTarget, c.underStay) < 0) row.earlier += 1;
            else row.later += 1;
            counts.set(c.milestone, row);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, candidates.length) }, work));
      return {
        target,
        openStays: stays.rows.length,
        staysOnOtherRules: candidates.length - unreadable,
        staysAffected: affected,
        unreadable,
        milestones: [...counts.values()].sort((a, b) => b.stays - a.stays || a.milestone.localeCompare(b.milestone)),
      };
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    ruleDiff: ReturnType<typeof createRuleDiff>;
  }
}

export default fp(
  async (app: FastifyInstance, opts: { client: Client; pool: Pool; interpretations: Interpretations }) => {
    app.decorate('ruleDiff', createRuleDiff(opts.client, opts.pool, opts.interpretations));
  },
  { name: 'rule-diff' },
);
