import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startEmbeddedPostgres } from '../../stack/embedded-postgres';
import { makeTempDir, removeTempDir } from '../../stack/temp-dir';

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe('embedded stack', () => {
  it('gives tests a migrated database with the read-model tables', async () => {
    const rows = await query<{ table_name: string }>(
      inject('databaseUrl'),
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['stays', 'stay_milestones', 'escalations', 'audit_events']),
    );
  });

  it('gives tests a Temporal dev server that answers getSystemInfo', async () => {
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    try {
      const info = await connection.workflowService.getSystemInfo({});
      expect(info.serverVersion).toMatch(/^\d+\.\d+/);
    } finally {
      await connection.close();
    }
  });

  describe('a cluster restarted on the same data directory', () => {
    const dir = makeTempDir('stays-pg-persistence');
    afterAll(() => removeTempDir(dir));

    it('keeps what was written before the restart', async () => {
      const options = {
        dataDir: join(dir, 'cluster'),
        user: 'persist',
        password: 'persist',
        database: 'persist',
      };

      const first = await startEmbeddedPostgres({ ...options, port: 0 });
      try {
        expect(first.createdCluster).toBe(true);
        await query(first.url, 'CREATE TABLE kept (note text NOT NULL)');
        await query(first.url, 'INSERT INTO kept (note) VALUES ($1)', ['written before restart']);
      } finally {
        await first.stop();
      }

      const second = await startEmbeddedPostgres({ ...options, port: 0 });
      try {
        expect(second.createdCluster).toBe(false);
        expect(await query(second.url, 'SELECT note FROM kept')).toEqual([{ note: 'written before restart' }]);
      } finally {
        await second.stop();
      }
    });
  });
});
