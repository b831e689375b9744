// `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded default) and exits. With external
// servers this is a deploy step of its own (the compose file's `migrate` service); `npm start` runs it itself.
// Safe to run from several places at once: node-pg-migrate holds an advisory lock.
import { loadConfig } from '../config/env';
import { runMigrations } from '../migrations/run';

const config = loadConfig();
try {
  const applied = await runMigrations(config.databaseUrl, (message) => console.log(message));
  if (applied.length === 0) console.log('database schema is up to date');
} catch (err) {
  console.error(`migration failed: ${(err as Error).message}`);
  process.exit(1);
}
