import { chmodSync, lstatSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { RELOCATED_CLUSTERS, startEmbeddedPostgres } from '../../stack/embedded-postgres';
import { makeTempDir, removeTempDir } from '../../stack/temp-dir';

/**
 * `npm start` as root with the checkout under root's own home (drwx------): PostgreSQL runs as the OS user
 * "postgres", which cannot enter it. The cluster then lives where that user can reach it, linked from DATA_DIR.
 */
const asRoot = process.getuid?.() === 0;
const home = makeTempDir('stays-root-home');
let relocated: string | undefined;
afterAll(() => {
  removeTempDir(home);
  if (relocated?.startsWith(RELOCATED_CLUSTERS)) rmSync(relocated, { recursive: true, force: true });
});

async function count(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE TABLE IF NOT EXISTS kept (n int)');
    await client.query('INSERT INTO kept VALUES (1)');
    return (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM kept')).rows[0]!.n;
  } finally {
    await client.end();
  }
}

describe.skipIf(!asRoot)('the embedded PostgreSQL as root, under a home only root may enter', () => {
  it('keeps its cluster where the postgres user can reach it, and finds it again on the next start', async () => {
    chmodSync(home, 0o700);
    const dataDir = join(home, 'checkout', 'data', 'postgres');
    const options = { dataDir, user: 'rootless', password: 'rootless', database: 'rootless' };

    const first = await startEmbeddedPostgres({ ...options, port: 0 });
    relocated = first.clusterDir;
    try {
      expect(first.createdCluster).toBe(true);
      expect(first.clusterDir.startsWith(`${RELOCATED_CLUSTERS}/`)).toBe(true);
      expect(lstatSync(dataDir).isSymbolicLink()).toBe(true);
      expect(await count(first.url)).toBe(1);
    } finally {
      await first.stop();
    }

    const second = await startEmbeddedPostgres({ ...options, port: 0 });
    try {
      expect(second.createdCluster).toBe(false);
      expect(second.clusterDir).toBe(first.clusterDir);
      expect(await count(second.url)).toBe(2);
    } finally {
      await second.stop();
    }
  });
});
