/**
 * Records histories of the stay workflow into test/fixtures/histories/, for the replay test that guards
 * running (months-long) stays against non-deterministic changes. Run after a deliberate, patched change:
 *   npm run record-histories -- vN   (v5 and later also record the paths of rules version 3)
 * Keep the old files: each one is a stay that may still be running somewhere.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { DEFAULT_INTERPRETATIONS } from '../rules/interpretations';
import { addOffset, osloDate } from '../rules/oslo-calendar';
import { createTimeSkippingEnv } from '../stack/time-skipping';
import { quietBundleLogger } from '../worker/workflow-bundle';
import { stayWorkflowBundleOptions } from '../worker/stay-worker';
import type { RetentionActivities } from '../activities/read-model/anonymise-stay';
import type { ReadModelActivities } from '../activities/read-model/sync-stay';
import {
  agreeDeviationUpdate,
  confirmDeviationUpdate,
  completeMilestoneUpdate,
  correctRecordUpdate,
  markStatusReportInsufficientUpdate,
  recordEventUpdate,
  staySnapshotQuery,
  stayWorkflowId,
  updateExitPlanUpdate,
} from '../workflows/stay/definitions';
import { StayState } from '../workflows/stay/stay-state';
import { stayWorkflow } from '../workflows/stay/stay-workflow';
import type { IsoDate, MilestoneKey } from '../rules/types';
import type { Actor, RegisterStayInput } from '../workflows/stay/types';
import { rulesV2ReleaseBundle, seventhReleaseBundle } from '../stack/earlier-releases/bundle';

const outDir = new URL('../test/fixtures/histories/', import.meta.url).pathname;
const staff: Actor = { sub: 'recorder', role: 'institution', org: 'inst-rec' };
const bydel: Actor = { sub: 'recorder-b', role: 'bydel', org: 'bydel-rec' };

// History records activity results; the replay never runs activities, so a no-op read model suffices here.
const activities: ReadModelActivities & RetentionActivities = {
  syncStayReadModel: async () => {},
  anonymiseStay: async () => {},
};

const env = await createTimeSkippingEnv();
const taskQueue = 'record-histories';
const worker = await Worker.create({
  connection: env.nativeConnection,
  taskQueue,
  workflowBundle: await bundleWorkflowCode({ ...stayWorkflowBundleOptions, logger: quietBundleLogger }),
  activities,
});

const today = async () => osloDate(await env.currentTimeMs());

async function start(name: string, over: Partial<RegisterStayInput>, queue = taskQueue) {
  const stayId = randomUUID();
  const handle = await env.client.workflow.start(stayWorkflow, {
    workflowId: stayWorkflowId(stayId),
    taskQueue: queue,
    args: [
      {
        register: {
          stayId,
          residentRef: `R-REC-${name}`,
          institutionId: 'inst-rec',
          bydelId: 'bydel-rec',
          admittedAt: await today(),
          interpretations: DEFAULT_INTERPRETATIONS,
          actor: staff,
          ...over,
        },
      },
    ],
  });
  return handle;
}

/** Writes a stay's history as `stay-<name>-<version>.json`. */
async function save(name: string, handle: Awaited<ReturnType<typeof start>>): Promise<void> {
  const history = await handle.fetchHistory();
  const file = `${outDir}stay-${name}-${version}.json`;
  mkdirSync(outDir, { recursive: true });
  writeFileSync(file, historyToJSON(history));
  console.log(`recorded ${history.events?.length} events -> ${file}`);
}

type Stay = Awaited<ReturnType<typeof start>>;

/** Records `key` done today by `actor`. */
const done = async (h: Stay, key: string, actor: Actor, details?: Record<string, unknown>) =>
  h.executeUpdate(completeMilestoneUpdate, { args: [{ key, doneAt: await today(), details, actor }] });

/** A deviation of `milestone` to `dueDate` recorded by `actor`, agreed by `agreedBy` (on behalf of both, if so). */
const deviate = (
  h: Stay,
  milestone: MilestoneKey,
  dueDate: IsoDate,
  agreedBy: 'institution' | 'bydel' | 'both',
  actor: Actor,
  onBehalfOfBoth?: true,
) =>
  h.executeUpdate(agreeDeviationUpdate, {
    args: [{ milestone, dueDate, reason: 'agreed', agreedBy, ...(onBehalfOfBoth ? { onBehalfOfBoth } : {}), actor }],
  });

/** Housing offered today, with no booppfølging decision yet. */
const offer = async () => ({
  type: 'housing-offered' as const,
  date: await today(),
  hasBooppfolgingDecision: false,
  housingConditionalOnFollowUp: false,
});

/** Runs `work` on a worker of the given workflow code; no sticky cache, so the next worker takes the stay over. */
async function on(code: Promise<{ code: string }>, queue: string, work: () => Promise<void>): Promise<void> {
  const w = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: queue,
    workflowBundle: await code,
    activities,
    maxCachedWorkflows: 0,
  });
  await w.runUntil(work);
}

/**
 * v8: a deviation agreed by both under rules version 2 (a stay registered by a worker before the fifth release), kept
 * when the stay adopts version 3 after the upgrade; and one a seventh-release worker had turned into a proposal on
 * adopting, which gets its agreed date back. Each on a task queue of its own, saved and terminated once recorded: no
 * stay is left with timers on a queue without a worker while the clock skips.
 */
async function recordOlderDeviations(): Promise<void> {
  const current = bundleWorkflowCode({ ...stayWorkflowBundleOptions, logger: quietBundleLogger });
  const agreedByBoth = async (h: Stay) =>
    deviate(h, 'plan-started', addOffset(await today(), { days: 30 }), 'both', staff);
  const kept = 'record-histories-older-deviation';
  let keptStay!: Stay;
  await on(rulesV2ReleaseBundle(), kept, async () => {
    keptStay = await start('older-deviation', {}, kept);
    await agreedByBoth(keptStay);
  });
  await on(current, kept, async () => {
    await done(keptStay, 'housing-mapping', staff, { individualPlan: 'exists' });
    await env.sleep('20 days');
    await done(keptStay, 'first-meeting', staff, { bydelAttended: true });
  });
  await save('older-deviation', keptStay);
  await keptStay.terminate('recorded');

  const restored = 'record-histories-older-deviation-restored';
  let restoredStay!: Stay;
  await on(rulesV2ReleaseBundle(), restored, async () => {
    restoredStay = await start('older-deviation-restored', {}, restored);
    await agreedByBoth(restoredStay);
  });
  await on(seventhReleaseBundle(), restored, async () => {
    await done(restoredStay, 'housing-mapping', staff, { individualPlan: 'exists' });
    await env.sleep('16 days');
  });
  await on(current, restored, async () => {
    await done(restoredStay, 'first-meeting', staff, { bydelAttended: true });
    await env.sleep('1 day');
  });
  await save('older-deviation-restored', restoredStay);
  await restoredStay.terminate('recorded');
}

/**
 * v9: a stay registered under rules version 2 four months and a few days after admission (its status report overdue)
 * is offered housing, and then its housing meeting is moved later (version 2 still allows it). Adopting version 3 after
 * the upgrade, the report the offer found overdue keeps its date; a second stay adopted it on a seventh-release worker,
 * which moved the report past the offer with the meeting, and gets its date back on the current one.
 */
async function recordOfferAnchorMovedAfterOffer(): Promise<void> {
  const current = bundleWorkflowCode({ ...stayWorkflowBundleOptions, logger: quietBundleLogger });
  const offeredThenMoved = async (name: string, queue: string) => {
    const h = await start(name, { admittedAt: addOffset(await today(), { months: -4, days: -3 }) }, queue);
    await h.executeUpdate(recordEventUpdate, { args: [{ event: await offer(), actor: bydel }] });
    const meeting = StayState.fromSnapshot(await h.query(staySnapshotQuery)).stay.milestones.find(
      (m) => m.key === 'housing-meeting',
    )!;
    await deviate(h, 'housing-meeting', addOffset(meeting.dueDate!, { days: 10 }), 'institution', staff);
    return h;
  };

  const moved = 'record-histories-offer-anchor-moved';
  let movedStay!: Stay;
  await on(rulesV2ReleaseBundle(), moved, async () => {
    movedStay = await offeredThenMoved('offer-anchor-moved', moved);
  });
  await on(current, moved, async () => {
    await done(movedStay, 'plan-started', staff);
    await env.sleep('1 day');
  });
  await save('offer-anchor-moved', movedStay);
  await movedStay.terminate('recorded');

  const restored = 'record-histories-offer-anchor-restored';
  let restoredStay!: Stay;
  await on(rulesV2ReleaseBundle(), restored, async () => {
    restoredStay = await offeredThenMoved('offer-anchor-restored', restored);
  });
  await on(seventhReleaseBundle(), restored, async () => {
    await done(restoredStay, 'plan-started', staff);
    await env.sleep('1 day');
  });
  await on(current, restored, async () => {
    await done(restoredStay, 'housing-mapping', staff, { individualPlan: 'exists' });
    await env.sleep('1 day');
  });
  await save('offer-anchor-restored', restoredStay);
  await restoredStay.terminate('recorded');
}

const version = process.argv[2] ?? 'v1';
await worker.runUntil(async () => {
  // A whole six months: completions, a refused update, an insufficient status report, recurring meetings, missed deadlines.
  const life = await start('life', {});
  const day0 = await today();
  await life.executeUpdate(completeMilestoneUpdate, { args: [{ key: 'plan-started', doneAt: day0, actor: staff }] });
  await env.sleep('29 days');
  await life
    .executeUpdate(completeMilestoneUpdate, { args: [{ key: 'first-meeting', doneAt: await today(), actor: staff }] })
    .catch(() => {});
  await life.executeUpdate(completeMilestoneUpdate, {
    args: [{ key: 'housing-mapping', doneAt: await today(), details: { individualPlan: 'exists' }, actor: staff }],
  });
  await life.executeUpdate(completeMilestoneUpdate, {
    args: [{ key: 'first-meeting', doneAt: await today(), details: { bydelAttended: true }, actor: staff }],
  });
  await env.sleep('95 days');
  await life.executeUpdate(completeMilestoneUpdate, {
    args: [{ key: 'status-report', doneAt: await today(), actor: staff }],
  });
  await life.executeUpdate(markStatusReportInsufficientUpdate, { args: [{ date: await today(), actor: bydel }] });
  await env.sleep('20 days');
  await life.executeUpdate(completeMilestoneUpdate, {
    args: [{ key: 'status-report-causes', doneAt: await today(), actor: bydel }],
  });
  await life.executeUpdate(completeMilestoneUpdate, {
    args: [{ key: 'cooperation-meeting', doneAt: await today(), actor: bydel }],
  });
  await env.sleep('70 days');

  // Onboarded with a past admission date: every missed deadline raised at once.
  const onboarded = await start('onboarded', {
    admittedAt: addOffset(await today(), { months: -7 }),
    completed: { 'plan-started': addOffset(await today(), { months: -7, days: 5 }) },
  });
  await env.sleep('1 day');

  // §3: offer → exit plan and meeting → discharge and move-in → final report, follow-up → completed
  const full = await start('full', {});
  await done(full, 'plan-started', staff);
  await full.executeUpdate(recordEventUpdate, {
    args: [
      {
        event: {
          type: 'housing-offered',
          date: await today(),
          hasBooppfolgingDecision: true,
          housingConditionalOnFollowUp: true,
          expectedMoveInDate: addOffset(await today(), { days: 10 }),
        },
        actor: bydel,
      },
    ],
  });
  const part = { responsible: 'bydel', status: 'in-progress' } as const;
  const parts = {
    'contact-persons': part,
    'tasks-before-moving-in': part,
    'chores-in-the-home': part,
    finances: part,
    neighbourhood: part,
    'activities-and-contact': part,
    'substance-use-management': part,
    'transition-agreement': part,
  };
  await full.executeUpdate(updateExitPlanUpdate, {
    args: [{ plan: { parts, contingencyPlanConsidered: true }, actor: bydel }],
  });
  await done(full, 'exit-meeting', bydel, { institutionAttended: true });
  await env.sleep('12 days');
  await done(full, 'housing-follow-up-contact', bydel);
  await full.executeUpdate(recordEventUpdate, {
    args: [{ event: { type: 'discharged', date: await today() }, actor: staff }],
  });
  await full.executeUpdate(recordEventUpdate, {
    args: [{ event: { type: 'moved-in', date: await today() }, actor: bydel }],
  });
  await env.sleep('15 days');
  await done(full, 'final-report', staff, { sentToBydel: true });
  await done(full, 'follow-up-meeting', bydel, { institutionAttended: true, exitPlanReviewed: true });
  await env.sleep('20 days');
  await full.result();

  // early end after a deviation and a change of bydel, then a correction and the final report
  const early = await start('early', {});
  await deviate(early, 'plan-started', addOffset(await today(), { days: 20 }), 'both', staff);
  await env.sleep('16 days');
  await early.executeUpdate(recordEventUpdate, {
    args: [{ event: { type: 'bydel-changed', date: await today(), bydelId: 'bydel-rec-2' }, actor: bydel }],
  });
  await done(early, 'plan-started', staff);
  await early.executeUpdate(correctRecordUpdate, {
    args: [
      {
        target: { milestone: 'plan-started' },
        action: 'change-date',
        date: addOffset(await today(), { days: -1 }),
        reason: 'typo',
        actor: staff,
      },
    ],
  });
  await env.sleep('14 days');
  await early.executeUpdate(recordEventUpdate, {
    args: [{ event: { type: 'ended-early', date: await today(), reason: 'moved-institution' }, actor: staff }],
  });
  await done(early, 'final-report', staff, { sentToBydel: true });
  await early.result();

  // v5 (rules version 3): the paths the fidelity release added
  const fidelity = Number.parseInt(version.slice(1), 10) >= 5;
  const v5: [string, typeof life][] = [];
  if (fidelity) {
    const admin: Actor = { sub: 'recorder-admin', role: 'admin', org: null };

    // housing offered in month 3 supersedes the housing track; withdrawn in month 6, it reopens and raises once
    const offerEarly = await start('offer-early', {});
    await done(offerEarly, 'plan-started', staff);
    await done(offerEarly, 'housing-mapping', staff, { individualPlan: 'offered' });
    await done(offerEarly, 'first-meeting', staff, { bydelAttended: true });
    await env.sleep('90 days');
    await offerEarly.executeUpdate(recordEventUpdate, { args: [{ event: await offer(), actor: bydel }] });
    await env.sleep('95 days');
    await offerEarly.executeUpdate(correctRecordUpdate, {
      args: [{ target: { event: 'housing-offered' }, action: 'withdraw', reason: 'fell through', actor: bydel }],
    });
    await env.sleep('5 days');

    // a deviation proposed by one party and confirmed by the other; one stated on behalf of both moves the mapping;
    // a housing meeting held although the report came late, by agreement
    const deviations = await start('deviations', {});
    await deviate(deviations, 'plan-started', addOffset(await today(), { days: 30 }), 'both', staff);
    await deviations.executeUpdate(confirmDeviationUpdate, { args: [{ milestone: 'plan-started', actor: bydel }] });
    await deviate(deviations, 'first-meeting', addOffset(await today(), { days: 45 }), 'both', bydel, true);
    await env.sleep('50 days');
    await done(deviations, 'status-report', staff);
    await env.sleep('3 days');
    await done(deviations, 'housing-meeting', staff, { statusReportLateAgreed: true });
    await env.sleep('10 days');

    // eight months without a cooperation meeting: a reminder every interval
    const recurring = await start('recurring', {});
    await done(recurring, 'housing-mapping', staff, { individualPlan: 'offered' });
    await done(recurring, 'first-meeting', staff, { bydelAttended: true });
    await env.sleep('250 days');

    // discharged, no move-in: the bydel is reminded, records ended-early; the closed stay is reopened by an
    // administrator and closes again; retention counts from the second close
    const noMoveIn = await start('no-move-in', {});
    await noMoveIn.executeUpdate(recordEventUpdate, { args: [{ event: await offer(), actor: bydel }] });
    await env.sleep('10 days');
    await noMoveIn.executeUpdate(recordEventUpdate, {
      args: [{ event: { type: 'discharged', date: await today() }, actor: staff }],
    });
    await env.sleep('16 days');
    await noMoveIn.executeUpdate(recordEventUpdate, {
      args: [
        { event: { type: 'ended-early', date: await today(), reason: 'discharged-without-housing' }, actor: bydel },
      ],
    });
    await done(noMoveIn, 'final-report', staff, { sentToBydel: true });
    await env.sleep('30 days');
    await noMoveIn.executeUpdate(correctRecordUpdate, {
      args: [{ target: { milestone: 'final-report' }, action: 'withdraw', reason: 'wrong stay', actor: admin }],
    });
    await env.sleep('2 days');
    await done(noMoveIn, 'final-report', staff, { sentToBydel: true });
    await noMoveIn.result();

    // v7: a deviation of the recurring cooperation meeting whose date passes without a meeting (it lapses; the next
    // interval starts), then a meeting
    if (Number.parseInt(version.slice(1), 10) >= 7) {
      const recurringDeviation = await start('recurring-deviation', {});
      await deviate(
        recurringDeviation,
        'cooperation-meeting',
        addOffset(await today(), { days: 20 }),
        'institution',
        staff,
      );
      await env.sleep('90 days');
      await done(recurringDeviation, 'housing-mapping', staff, { individualPlan: 'offered' });
      await done(recurringDeviation, 'first-meeting', staff, { bydelAttended: true });
      await env.sleep('5 days');
      v5.push(['recurring-deviation', recurringDeviation]);

      // v7: the housing meeting moved earlier pulls the status report before the offer's date; the offer finds the report
      // overdue (silenced) and supersedes the meeting, and the report keeps the date the meeting's deviation gave it
      const offerAfterMovedReport = await start('offer-after-moved-report', {});
      await env.sleep('100 days');
      await deviate(
        offerAfterMovedReport,
        'housing-meeting',
        addOffset(await today(), { days: 5 }),
        'institution',
        staff,
      );
      await offerAfterMovedReport.executeUpdate(recordEventUpdate, { args: [{ event: await offer(), actor: bydel }] });
      await env.sleep('3 days');
      v5.push(['offer-after-moved-report', offerAfterMovedReport]);
    }

    if (Number.parseInt(version.slice(1), 10) >= 8) await recordOlderDeviations();
    if (Number.parseInt(version.slice(1), 10) >= 9) await recordOfferAnchorMovedAfterOffer();

    v5.push(
      ['offer-early', offerEarly],
      ['deviations', deviations],
      ['recurring', recurring],
      ['no-move-in', noMoveIn],
    );
  }

  const recordings =
    version === 'v1'
      ? ([
          ['six-months', life],
          ['onboarded', onboarded],
        ] as const)
      : ([['six-months', life], ['onboarded', onboarded], ['full-life', full], ['ended-early', early], ...v5] as const);
  for (const [name, handle] of recordings) await save(name, handle);
});

await env.teardown();
