import type { Pool } from 'pg';
import { createReadModelActivities } from './read-model/sync-stay';

export type ActivityDeps = { pool: Pool };

/** Every activity the worker registers, built from injected dependencies. */
export const createActivities = (deps: ActivityDeps) => ({
  ...createReadModelActivities(deps.pool),
});

export type Activities = ReturnType<typeof createActivities>;
