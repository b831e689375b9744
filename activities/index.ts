import type { Pool } from 'pg';
import { loadNotificationConfig, type NotificationConfig } from '../config/notifications';
import { createNotificationActivities } from './notifications/deliver';
import { createForecastDigestActivities } from './notifications/forecast-digest';
import {
  createRetentionActivities,
  createRetentionSweepActivities,
  type RetentionSweepConfig,
} from './read-model/anonymise-stay';
import { createReadModelActivities } from './read-model/sync-stay';

export type ActivityDeps = {
  pool: Pool;
  notifications?: NotificationConfig;
  /** The nightly retention sweep's needs (a Temporal client); without it the sweep's activity is not registered. */
  retentionSweep?: RetentionSweepConfig;
};

/** Every activity the worker registers, built from injected dependencies. */
export const createActivities = (deps: ActivityDeps) => ({
  ...createReadModelActivities(deps.pool),
  ...createRetentionActivities(deps.pool),
  ...createForecastDigestActivities(deps.pool),
  ...createNotificationActivities(deps.pool, deps.notifications ?? loadNotificationConfig({})),
  ...(deps.retentionSweep ? createRetentionSweepActivities(deps.pool, deps.retentionSweep) : {}),
});

export type Activities = ReturnType<typeof createActivities>;
