import type { Pool, QueryResultRow } from 'pg';

/**
 * Runs one report query in a read-only transaction of its own, with room to count in memory: a report groups a few
 * hundred thousand deadlines into a hash table, which PostgreSQL's default 4 MB work_mem would push into sorting on
 * disk instead (measured in bench/reports.ts). A runaway report is cut off rather than left to load the database.
 */
export async function reportQuery<Row extends QueryResultRow>(
  pool: Pool,
  query: { text: string; values: unknown[] },
): Promise<Row[]> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN READ ONLY; SET LOCAL work_mem = '64MB'; SET LOCAL statement_timeout = '30s'");
    const result = await client.query<Row>(query);
    await client.query('COMMIT');
    return result.rows;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
