import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';

const migrationsDir = dirname(fileURLToPath(import.meta.url));

/** Applies every pending numbered migration in migrations/ (NNNN_verb_object.sql). Safe to run concurrently: node-pg-migrate takes an advisory lock. */
export async function runMigrations(databaseUrl: string, log: (msg: string) => void = () => {}): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir: migrationsDir,
    ignorePattern: '(\\..*)|(.*\\.ts)',
    migrationsTable: 'pgmigrations',
    direction: 'up',
    // Migrations are independent of one another; one that lands after a higher number (parallel work) still runs.
    checkOrder: false,
    singleTransaction: true,
    log: () => {},
    logger: { debug: () => {}, info: () => {}, warn: (m: string) => log(m), error: (m: string) => log(m) },
  });
  const names = applied.map((m) => m.name);
  if (names.length > 0) log(`applied migrations: ${names.join(', ')}`);
  return names;
}
