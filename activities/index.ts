import type { Pool } from 'pg';
import { loadNotificationConfig, type NotificationConfig } from '../config/notifications';
import { createNotificationActivities } from './notifications/deliver';
import { createRetentionActivities } from './read-model/anonymise-stay';
import { createReadModelActivities } from './read-model/sync-stay';

export type ActivityDeps = { pool: Pool; notifications?: NotificationConfig };

/** Every activity the worker registers, built from injected dependencies. */
export const createActivities = (deps: ActivityDeps) => ({
  ...createReadModelActivities(deps.pool),
  ...createRetentionActivities(deps.pool),
  ...createNotificationActivities(deps.pool, deps.notifications ?? loadNotificationConfig({})),
});

export type Activities = ReturnType<typeof createActivities>;
