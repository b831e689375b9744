import pg from 'pg';
import { createLogger } from './logging';

// A DATE column is a calendar date in Oslo: keep it as 'YYYY-MM-DD', never turn it into a JS Date
// (which would shift it by the process's time zone).
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

const statementNames = new Map<string, string>();

/**
 * A statement each connection plans once (PostgreSQL keeps it per session), for the queries every command runs: the
 * same text always gets the same name in this process. Only for a bounded set of texts, and for results whose columns
 * are named (never `*`): a prepared plan refuses to run once a migration changes its result columns.
 */
export function namedStatement(prefix: string, text: string): { name: string; text: string } {
  let name = statementNames.get(text);
  if (!name) {
    name = `${prefix}-${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return { name, text };
}

/**
 * A pool of PostgreSQL connections. An idle connection that the server closes (a restart, a failover, a terminated
 * backend, a database dropped while the pool was ending) is an 'error' on the pool: the pool has already dropped that
 * connection and opens a new one when it needs one. Without a listener Node would end the whole process for it.
 */
export function createPool(
  connectionString: string,
  max = 10,
  onIdleError: (err: Error & { code?: string }) => void = warnIdleConnectionLost,
): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 5_000 });
  pool.on('error', onIdleError);
  return pool;
}

let poolLog: ReturnType<typeof createLogger> | undefined;
function warnIdleConnectionLost(err: Error & { code?: string }): void {
  poolLog ??= createLogger(process.env.LOG_LEVEL ?? 'info', 'pg-pool');
  // the code and PostgreSQL's own words (no query, no parameters): what an operator needs to see
  poolLog.warn(
    { code: err.code, reason: err.message },
    'an idle PostgreSQL connection was closed; the pool opens a new one',
  );
}

/** Runs `work` in one transaction on a pooled connection: committed when it returns, rolled back when it throws. */
export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
