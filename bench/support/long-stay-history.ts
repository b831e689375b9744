import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import type { RetentionActivities } from '../../activities/read-model/anonymise-stay';
import type { ReadModelActivities } from '../../activities/read-model/sync-stay';
import type { ExitPlan } from '../../rules/exit-plan';
import { DEFAULT_INTERPRETATIONS } from '../../rules/interpretations';
import { addOffset, osloDate } from '../../rules/oslo-calendar';
import { createTimeSkippingEnv } from '../../stack/time-skipping';
import { stayWorkflowBundleOptions } from '../../worker/stay-worker';
import {
  agreeDeviationUpdate,
  agreeExtraStatusReportUpdate,
  completeMilestoneUpdate,
  correctRecordUpdate,
  markStatusReportInsufficientUpdate,
  recordEventUpdate,
  stayWorkflowId,
  updateExitPlanUpdate,
} from '../../workflows/stay/definitions';
import type { stayWorkflow } from '../../workflows/stay/stay-workflow';
import type { Actor } from '../../workflows/stay/types';

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error };
const staff: Actor = { sub: 'bench', role: 'institution', org: 'inst-bench' };
const bydel: Actor = { sub: 'bench-b', role: 'bydel', org: 'bydel-bench' };

/**
 * One long, busy stay from registration to the workflow's end on the time-skipping test server: a year at the
 * institution with every deadline of its first half missed up the whole escalation ladder, recurring meetings, extra
 * reports, a deviation, a correction, eight exit-plan edits, the §3 transition and a year of retention. Returns the
 * history's size summed over every run (continue-as-new). History size depends on the workflow code only, so the
 * read model here is a no-op.
 */
export async function measureLongStayHistory(): Promise<{
  events: number;
  bytes: number;
  runs: number;
  commands: number;
  description: string;
}> {
  const env = await createTimeSkippingEnv();
  const taskQueue = 'bench-long-stay';
  const activities: ReadModelActivities & RetentionActivities = {
    syncStayReadModel: async () => {},
    anonymiseStay: async () => {},
  };
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await bundleWorkflowCode({ ...stayWorkflowBundleOptions, logger: quiet }),
    activities,
  });
  let commands = 0;
  try {
    return await worker.runUntil(async () => {
      const today = async () => osloDate(await env.currentTimeMs());
      const stayId = randomUUID();
      const handle: WorkflowHandle<typeof stayWorkflow> = await env.client.workflow.start<typeof stayWorkflow>(
        'stayWorkflow',
        {
          workflowId: stayWorkflowId(stayId),
          taskQueue,
          args: [
            {
              register: {
                stayId,
                residentRef: 'R-BENCH-LIFE',
                institutionId: 'inst-bench',
                bydelId: 'bydel-bench',
                admittedAt: await today(),
                interpretations: DEFAULT_INTERPRETATIONS,
                actor: staff,
              },
            },
          ],
        },
      );
      // every command must be accepted: a refusal would make the figure describe a shorter life
      const run = async (what: string, send: () => Promise<unknown>) => {
        await send().catch((err: Error) => {
          throw new Error(
            `long stay: ${what} refused: ${err.cause instanceof Error ? err.cause.message : err.message}`,
          );
        });
        commands++;
      };
      const done = async (key: string, actor: Actor, details?: Record<string, unknown>) =>
        run(key, async () =>
          handle.executeUpdate(completeMilestoneUpdate, { args: [{ key, doneAt: await today(), details, actor }] }),
        );
      const meeting = () => done('cooperation-meeting', bydel);
      const part = { responsible: 'bydel', status: 'in-progress' } as const;
      const plan = (n: number): ExitPlan => ({
        parts: {
          'contact-persons': part,
          'tasks-before-moving-in': part,
          'chores-in-the-home': part,
          finances: { ...part, status: n > 4 ? 'done' : 'in-progress' },
          neighbourhood: part,
          'activities-and-contact': part,
          'substance-use-management': part,
          'transition-agreement': part,
        },
        contingencyPlanConsidered: n > 2,
      });
      const exitPlan = (n: number) =>
        run(`exit plan ${n}`, () =>
          handle.executeUpdate(updateExitPlanUpdate, { args: [{ plan: plan(n), actor: bydel }] }),
        );

      // months 0–6: every deadline missed through reminder, overdue and second level before it is done
      await env.sleep('45 days');
      await done('plan-started', staff);
      await run('correction', async () =>
        handle.executeUpdate(correctRecordUpdate, {
          args: [
            {
              target: { milestone: 'plan-started' },
              action: 'change-date',
              date: addOffset(await today(), { days: -1 }),
              reason: 'wrong day',
              actor: staff,
            },
          ],
        }),
      );
      await done('housing-mapping', staff, { individualPlan: 'exists' });
      await done('first-meeting', staff, { bydelAttended: true });
      await run('deviation', async () =>
        handle.executeUpdate(agreeDeviationUpdate, {
          args: [
            {
              milestone: 'status-report',
              dueDate: addOffset(await today(), { months: 3, days: 10 }),
              reason: 'agreed later',
              agreedBy: 'both',
              actor: staff,
            },
          ],
        }),
      );
      for (const days of [20, 50]) {
        await run('extra status report', async () =>
          handle.executeUpdate(agreeExtraStatusReportUpdate, {
            args: [{ dueDate: addOffset(await today(), { days }), actor: bydel }],
          }),
        );
      }
      await env.sleep('30 days');
      await meeting();
      await done('extra-status-report', staff);
      await env.sleep('40 days');
      await done('extra-status-report', staff);
      await env.sleep('40 days');
      await done('status-report', staff);
      await run('insufficient', async () =>
        handle.executeUpdate(markStatusReportInsufficientUpdate, { args: [{ date: await today(), actor: bydel }] }),
      );
      await env.sleep('35 days');
      await done('status-report-causes', bydel);
      await done('housing-meeting', staff);
      await meeting();
      await env.sleep('20 days');
      await done('applications', staff);
      // months 7–12: waiting for housing, meetings every two months, the exit plan taking shape
      for (let n = 1; n <= 6; n++) {
        await env.sleep('30 days');
        if (n % 2 === 0) await meeting();
        await exitPlan(n);
      }
      await run('housing offered', async () =>
        handle.executeUpdate(recordEventUpdate, {
          args: [
            {
              event: {
                type: 'housing-offered',
                date: await today(),
                hasBooppfolgingDecision: true,
                housingConditionalOnFollowUp: true,
                expectedMoveInDate: addOffset(await today(), { days: 14 }),
              },
              actor: bydel,
            },
          ],
        }),
      );
      await exitPlan(7);
      await env.sleep('5 days');
      await done('exit-meeting', bydel, { institutionAttended: true });
      await exitPlan(8);
      await env.sleep('9 days');
      await done('housing-follow-up-contact', bydel);
      await done('cooperation-agreement', bydel);
      await run('discharged', async () =>
        handle.executeUpdate(recordEventUpdate, {
          args: [{ event: { type: 'discharged', date: await today() }, actor: staff }],
        }),
      );
      await run('moved in', async () =>
        handle.executeUpdate(recordEventUpdate, {
          args: [{ event: { type: 'moved-in', date: await today() }, actor: bydel }],
        }),
      );
      await env.sleep('20 days');
      await done('final-report', staff, { sentToBydel: true });
      await env.sleep('10 days');
      await done('follow-up-meeting', bydel, { institutionAttended: true, exitPlanReviewed: true });
      // participation ends, the stay completes, retention runs out, the personal data goes: the workflow ends
      await env.sleep('400 days');
      await handle.result();

      let events = 0;
      let bytes = 0;
      let runs = 0;
      let runId: string | undefined = (await handle.describe()).runId;
      const seen = new Set<string>();
      while (runId && !seen.has(runId)) {
        seen.add(runId);
        const history: proto.temporal.api.history.v1.IHistory = await env.client.workflow
          .getHandle(handle.workflowId, runId)
          .fetchHistory();
        events += history.events?.length ?? 0;
        bytes += proto.temporal.api.history.v1.History.encode(history).finish().length;
        runs++;
        // the runs before it were continued-as-new into it
        const first: proto.temporal.api.history.v1.IWorkflowExecutionStartedEventAttributes | null | undefined =
          history.events?.[0]?.workflowExecutionStartedEventAttributes;
        runId = first?.continuedExecutionRunId ?? undefined;
      }
      return {
        events,
        bytes,
        runs,
        commands,
        description: `${commands} commands over ~13 months + 400 days of retention`,
      };
    });
  } finally {
    await env.teardown();
  }
}
