import { continueAsNew, log, proxyActivities, sleep } from '@temporalio/workflow';
import type { ForecastDigestActivities } from '../../activities/notifications/forecast-digest';
import { forecastDigestTimes } from '../../rules/report-definitions';

/** One weekly digest run per task queue (deployment); every worker starts it at start-up, idempotently. */
export const forecastDigestWorkflowId = (taskQueue: string) => `forecast-digest:${taskQueue}`;

/** Weeks per run before continue-as-new: half a year keeps the history short. */
const WEEKS_PER_RUN = 26;

const { enqueueForecastDigests } = proxyActivities<ForecastDigestActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '1 minute', maximumInterval: '1 hour' },
});

/**
 * The weekly forecast digest: every Monday 07:00 Oslo (rules/report-definitions.ts FORECAST_DIGEST) each organisation
 * gets, through the notification outbox, its deadlines of the next 14 days with nothing planned or recorded. A
 * durable timer, not a cron: a week's digest missed while no worker ran goes out when one is back, in the same week.
 * The activity is idempotent by (organisation, ISO week), so a catch-up after a restart or continue-as-new sends
 * nothing twice.
 */
export async function forecastDigestWorkflow(): Promise<void> {
  for (let i = 0; i < WEEKS_PER_RUN; i++) {
    const now = Date.now();
    const { thisWeek, nextWeek } = forecastDigestTimes(now);
    if (now >= thisWeek) {
      const result = await enqueueForecastDigests({ now: new Date(now).toISOString() });
      log.info('forecast digests', result);
    }
    await sleep((now >= thisWeek ? nextWeek : thisWeek) - Date.now());
  }
  await continueAsNew<typeof forecastDigestWorkflow>();
}
