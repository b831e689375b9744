import type { Pool } from 'pg';
import { inject } from 'vitest';
import { createPool } from '../../config/database';

/** A pool on the migrated test database started by the global setup. */
export const testPool = (): Pool => createPool(inject('databaseUrl'), 5);
