import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { Refusal } from '../../rules/refusals';
import type { RetentionActivities } from '../../activities/read-model/anonymise-stay';
import type { ReadModelActivities } from '../../activities/read-model/sync-stay';
import { RULES_VERSION } from '../../rules/milestones';
import { DEFAULT_RETENTION_DAYS } from '../../rules/retention';
import {
  awaitReadModelUpdate,
  isRefusal,
  STAY_COMMANDS,
  type StayCommandDefinition,
  staySnapshotQuery,
} from './definitions';
import { DeadlineTimer } from './deadline-timer';
import { StayState } from './stay-state';
import type { Actor, CommandResult, StayCommand, StayWorkflowInput } from './types';

const { anonymiseStay } = proxyActivities<RetentionActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

const READ_MODEL_WRITE = {
  // One short PostgreSQL transaction (milliseconds). A worker that dies mid-write is noticed after this long and the
  // write retried on another worker, within the API's REQUEST_TIMEOUT_MS; a late duplicate is harmless (revision guard).
  startToCloseTimeout: '5 seconds',
  // A read-model write must eventually land: retry for as long as it takes, backing off to once a minute.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
} as const;

/** How stays started before the fifth release wrote: a round trip through the server's activity task queue. */
const { syncStayReadModel } = proxyActivities<ReadModelActivities>(READ_MODEL_WRITE);

/**
 * The same write as a local activity: it runs on this worker inside the workflow task that accepted the command, so
 * the Update is answered when that one task completes (no activity task, no second workflow task). A worker that dies
 * mid-write fails the whole workflow task; Temporal hands it, with the command still undelivered, to another worker.
 * A failed attempt is retried here, and after a minute of backing off on a timer in the workflow.
 */
const { syncStayReadModel: syncStayReadModelLocally } = proxyLocalActivities<ReadModelActivities>(READ_MODEL_WRITE);

/** The fifth release: rules version 3 (rule-set.ts) and a retention wait a reopening leaves. */
const FIDELITY_PATCH = 'fidelity-v5';

/** The sixth release: one deadline timer kept across commands (deadline-timer.ts). */
const DEADLINE_TIMER_PATCH = 'deadline-timer-v6';

/** The seventh release: an agreed deviation of the recurring cooperation meeting moves only its own interval. */
const LAPSING_DEVIATION_PATCH = 'recurring-deviation-v7';

/** The seventh release: a deadline the housing offer found overdue keeps the date its anchor's deviation gave it. */
const OFFER_KEEPS_ANCHORS_PATCH = 'offer-keeps-anchors-v7';

/** The eighth release: a deviation rules version 2 took as agreed by both keeps its date under version 3. */
const OLDER_DEVIATIONS_KEPT_PATCH = 'older-deviations-kept-v8';

/**
 * The ninth release: a deadline the housing offer found overdue follows its superseded anchor as the offer found it,
 * not a deviation of the anchor recorded after the offer.
 */
const OFFER_ANCHORS_AS_OFFERED_PATCH = 'offer-anchor-before-offer-v9';

/** A run started by the sixth release or later (see `upToSixth` in stayWorkflow). */
const STARTED_SINCE_SIXTH_RELEASE = 'started-v6';

function reject(refusal: Refusal | null): void {
  if (refusal) throw ApplicationFailure.create({ type: refusal.code, message: refusal.message, nonRetryable: true });
}

/**
 * One stay, from admission to the end of the institution's part (months). Owns the stay's milestones and deadline
 * timers; writes the read model and escalations through an idempotent local activity. Commands arrive as Updates whose
 * validators apply the rules, so a refused command leaves no trace in history.
 */
export async function stayWorkflow(input: StayWorkflowInput): Promise<void> {
  // A run started by the sixth release or later (a registration, or a continue-as-new) takes the branch of every patch
  // up to that release: it records this one marker instead of one per patch (each a marker and a search-attribute
  // update, on every registration). Runs started before it replay without the marker and ask each patch as they always
  // did. A patch of a later release asks patched() itself.
  const startedSinceSixth = patched(STARTED_SINCE_SIXTH_RELEASE);
  const upToSixth = (patch: string): boolean => startedSinceSixth || patched(patch);
  const state =
    'continued' in input
      ? StayState.fromSnapshot(input.continued)
      : StayState.register(input.register, Date.now(), upToSixth(FIDELITY_PATCH) ? RULES_VERSION : 2);
  // Everything accepted before a continue-as-new was delivered before it: the new run starts in sync.
  let deliveredRevision = 'continued' in input ? state.revision : 0;
  const deadline = new DeadlineTimer();

  // Updates waiting for the read model to have their revision, oldest first. Answered by the main loop right after the
  // write, rather than by a condition per Update: the SDK records where each promise of workflow code is created, and a
  // condition costs four of them.
  const waiting: { revision: number; answer: () => void }[] = [];
  const whenDelivered = (): Promise<CommandResult> => {
    const result: CommandResult = { stayId: state.snapshot.stayId, revision: state.revision };
    if (deliveredRevision >= result.revision) return Promise.resolve(result);
    return new Promise((answer) => waiting.push({ revision: result.revision, answer: () => answer(result) }));
  };
  const delivered = (revision: number): void => {
    deliveredRevision = Math.max(deliveredRevision, revision);
    while (waiting[0] && waiting[0].revision <= deliveredRevision) waiting.shift()!.answer();
  };

  /** Connects an Update to a command: the validator refuses with the rules, the handler accepts and waits for the read model. */
  function command<I extends { actor: Actor }>({ update, rules }: StayCommandDefinition<I, StayCommand>) {
    setHandler(
      update,
      (i: I) => {
        const c = rules.toCommand(i);
        if (isRefusal(c)) return reject(c) as never;
        state.accept(c, i.actor, Date.now());
        return whenDelivered();
      },
      {
        validator: (i: I) => {
          const c = rules.toCommand(i);
          reject(isRefusal(c) ? c : state.check(c, i.actor, Date.now()));
        },
      },
    );
  }

  setHandler(staySnapshotQuery, () => state.snapshot);
  setHandler(awaitReadModelUpdate, whenDelivered);
  // the main workflow simply waits: every command is a row of the table, handled by the stay's state
  for (const definition of Object.values(STAY_COMMANDS)) command<{ actor: Actor }>(definition);

  for (;;) {
    // Rules version 3 ("no false alarms") arrived with the fifth release: a running stay adopts it from its next
    // workflow task on (superseding the housing track after an offer, resolving the false alarms that raised); histories
    // recorded before replay without the marker and keep their rules.
    if (upToSixth(FIDELITY_PATCH)) {
      // Before the eighth release, adopting version 3 turned a deviation version 2 took as agreed by both into a
      // proposal awaiting the other party; asked only of a stay with such a deviation, before it adopts version 3.
      if (state.hasDeviationAgreedUnderOlderRules && patched(OLDER_DEVIATIONS_KEPT_PATCH))
        state.adoptOlderDeviationsKept(Date.now());
      state.adoptRules(Date.now());
      // Before it, a deviation of the cooperation meeting whose date passed kept the next interval from starting: the
      // workflow task never ended. Stays replay without the marker up to their next workflow task. Asked only of a stay
      // that has such a deviation, so the others (nearly all) keep a registration without another marker.
      if (state.hasRecurringDeviation && patched(LAPSING_DEVIATION_PATCH)) state.adoptLapsingDeviations(Date.now());
      // Before the ninth release, a deadline the offer found overdue followed a deviation of its superseded anchor
      // recorded after the offer (rules version 2 took one), past the offer's date; asked only of a stay where that
      // happens, before the seventh release's amendment so a stay adopting both never takes the date in between.
      if (state.followsAnchorMovedAfterOffer && patched(OFFER_ANCHORS_AS_OFFERED_PATCH))
        state.adoptOfferAnchorsAsOffered(Date.now());
      // Before it, a deadline the offer found overdue went back to its rule's date once the offer superseded the
      // deadline it followed; asked only of a stay where that happened.
      if (state.followsSupersededAnchor && patched(OFFER_KEEPS_ANCHORS_PATCH)) state.adoptOfferKeepsAnchors(Date.now());
      state.rollRecurring(Date.now());
    }
    // The §3 lifecycle (a stay completes on its own) arrived with the transition release. Stays started before it
    // replay their history without this marker and take the new path from their next workflow task on.
    if (upToSixth('stay-lifecycle-v2')) state.completeIfDue(Date.now());
    // The escalation ladder (reminders, second level) arrived with the third release; older stays replay without it.
    const ladder = upToSixth('escalation-ladder-v3');
    state.raiseEscalations(Date.now(), uuid4, ladder);
    if (state.revision > deliveredRevision || state.hasOutbox) {
      const sync = state.toReadModel();
      // The local write arrived with the fifth release; stays that wrote before it replay their activity tasks.
      if (upToSixth('read-model-local-v5')) await syncStayReadModelLocally(sync);
      else await syncStayReadModel(sync);
      state.markDelivered(sync);
      delivered(sync.stay.revision);
      continue;
    }
    if (state.isClosed) {
      // the institution's part is over (or the stay ended and its final report is in): the workflow completes
      deadline.cancel();
      await condition(() => allHandlersFinished() || state.revision !== deliveredRevision);
      if (allHandlersFinished() && state.revision === deliveredRevision) {
        // Retention arrived with the fourth release; stays that closed before it replay straight to completion.
        if (upToSixth('retention-v4')) {
          const days = state.snapshot.retentionDays ?? DEFAULT_RETENTION_DAYS;
          if (upToSixth(FIDELITY_PATCH)) {
            // an administrator's correction may reopen the stay: leave the wait, and wait again from the next close
            const closedAt = state.revision;
            if (await condition(() => state.revision !== closedAt, `${days} days`)) continue;
          } else await sleep(`${days} days`);
          await anonymiseStay({
            stayId: state.snapshot.stayId,
            auditSeq: state.snapshot.auditSeq + 1,
            at: new Date(Date.now()).toISOString(),
            retentionDays: days,
          });
        }
        return;
      }
      continue;
    }
    if (workflowInfo().continueAsNewSuggested) {
      // Handlers still waiting for delivery must get it first; continue-as-new only from a quiet, delivered state.
      await condition(() => allHandlersFinished() || state.revision !== deliveredRevision || state.hasOutbox);
      if (allHandlersFinished() && state.revision === deliveredRevision && !state.hasOutbox) {
        return continueAsNew<typeof stayWorkflow>({ continued: state.snapshot });
      }
      continue;
    }
    const seen = state.revision;
    const next = state.nextDeadlineAt(Date.now(), ladder);
    const changed = () => state.revision !== seen;
    // Stays that waited on a timer of their own per pass before the sixth release replay that way, and keep one
    // timer from their next workflow task on.
    if (upToSixth(DEADLINE_TIMER_PATCH)) {
      deadline.wakeBy(next, Date.now());
      await condition(() => changed() || deadline.fired);
    } else if (next === null) await condition(changed);
    else await condition(changed, Math.max(1, next - Date.now()));
  }
}
