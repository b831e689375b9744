import { describe, expect, inject, it } from 'vitest';
import { createPool } from '../../config/database';
import { eventually } from '../support/eventually';

/**
 * PostgreSQL closing an idle connection (a restart, a failover, an administrator's pg_terminate_backend) must not end
 * the API or the worker: the pool reports it, drops that connection and serves the next query on a new one.
 */
describe('the PostgreSQL pool when the server closes an idle connection', () => {
  it('reports it once with its code and keeps serving queries', async () => {
    const lost: { code?: string }[] = [];
    const pool = createPool(inject('databaseUrl'), 2, (err) => lost.push(err));
    const admin = createPool(inject('databaseUrl'), 1);
    try {
      const { pid } = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!;
      expect(pool.idleCount).toBe(1);
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      await eventually(() => expect(lost.map((e) => e.code)).toEqual(['57P01']));
      const again = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      expect(again.rows[0]!.pid).not.toBe(pid);
    } finally {
      await pool.end();
      await admin.end();
    }
  });

  it('with the default report, the process goes on (an unhandled pool error would fail this run)', async () => {
    const pool = createPool(inject('databaseUrl'), 1);
    const admin = createPool(inject('databaseUrl'), 1);
    try {
      const { pid } = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!;
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      await eventually(() => expect(pool.totalCount).toBe(0));
      expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
      await admin.end();
    }
  });
});
