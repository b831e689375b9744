import type { Duration } from '@temporalio/common';
import {
  ApplicationFailure,
  condition,
  continueAsNew,
  proxyActivities,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { NotificationActivities } from '../../activities/notifications/deliver';

/** One dispatcher per task queue (deployment); the worker starts it at start-up, idempotently. */
export const notificationDispatcherWorkflowId = (taskQueue: string) => `notification-dispatcher:${taskQueue}`;

export type DispatcherInput = {
  /** How long to wait when nothing is due (default '1 second'). */
  pollInterval?: Duration;
  /** Retry policy of one delivery; after the last attempt the row is marked failed (default 6 attempts, 5 s → 5 min). */
  maximumAttempts?: number;
  initialInterval?: Duration;
  maximumInterval?: Duration;
  /** Bound on one delivery attempt and one poll; also how soon one lost with a killed worker is retried (default 30 s). */
  deliveryTimeout?: Duration;
};

const MAX_IN_FLIGHT = 100;
/** Loop turns per run before continue-as-new, so that the history of a dispatcher that runs forever stays small. */
const TURNS_PER_RUN = 300;

const message = (err: unknown): string => {
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof ApplicationFailure || cause instanceof Error) return cause.message;
  return err instanceof Error ? err.message : String(err);
};

/**
 * Delivers the notification outbox: polls for pending rows (an activity), delivers each with its own activity
 * and retry policy, marks a row failed after the last retry, and sends each recipient's daily digest when its
 * Oslo time has passed (the poll passes workflow time, so digests follow timers, not a cron). Deliveries run
 * concurrently and are not awaited by the loop, so one failing webhook in backoff holds up nothing else.
 */
export async function notificationDispatcherWorkflow(input: DispatcherInput = {}): Promise<void> {
  const { pollOutbox } = proxyActivities<NotificationActivities>({
    startToCloseTimeout: input.deliveryTimeout ?? '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
  });
  const delivery = proxyActivities<NotificationActivities>({
    startToCloseTimeout: input.deliveryTimeout ?? '30 seconds',
    retry: {
      maximumAttempts: input.maximumAttempts ?? 6,
      initialInterval: input.initialInterval ?? '5 seconds',
      backoffCoefficient: 2,
      maximumInterval: input.maximumInterval ?? '5 minutes',
    },
  });
  const { markNotificationFailed, markDigestFailed } = proxyActivities<NotificationActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
  });

  const inFlight = new Set<string>();
  const track = (id: string, run: () => Promise<unknown>) => {
    inFlight.add(id);
    void run().finally(() => inFlight.delete(id));
  };

  for (let turn = 0; turn < TURNS_PER_RUN && !workflowInfo().continueAsNewSuggested; turn++) {
    const due = await pollOutbox({
      now: new Date().toISOString(),
      exclude: [...inFlight],
      limit: MAX_IN_FLIGHT - inFlight.size,
    });
    for (const id of due.notifications) {
      track(id, () =>
        delivery
          .deliverNotification(id)
          .catch((err) => markNotificationFailed({ deliveryId: id, error: message(err) })),
      );
    }
    for (const id of due.digests) {
      track(id, () =>
        delivery.deliverDigest(id).catch((err) => markDigestFailed({ digestId: id, error: message(err) })),
      );
    }
    if (inFlight.size >= MAX_IN_FLIGHT) await condition(() => inFlight.size < MAX_IN_FLIGHT);
    else if (due.notifications.length === 0 && due.digests.length === 0) await sleep(input.pollInterval ?? '1 second');
  }
  // Deliveries in flight belong to this run: let them finish (or fail and be marked) before handing over.
  await condition(() => inFlight.size === 0);
  await continueAsNew<typeof notificationDispatcherWorkflow>(input);
}
