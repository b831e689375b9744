import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { MockActivityEnvironment } from '@temporalio/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRetentionSweepActivities } from '../../activities/read-model/anonymise-stay';
import { addOffset, osloDate } from '../../rules/oslo-calendar';
import { stayWorkflowId } from '../../workflows/stay/definitions';
import { startApiHarness, type Harness } from '../support/api-harness';
import { eventually } from '../support/eventually';
import { createIsolatedDatabase } from '../support/isolated-database';
import { registerOrganisations } from '../support/organisations';
import { registerStay } from '../support/stays';

/**
 * Least privilege in PostgreSQL, as production sets it up: the migrations run as the owner (the isolated database is
 * migrated by the test cluster's owner), deploy/postgres-init/roles.sql.in makes the app's login and closes Temporal's
 * databases, and the API and worker run as that login. Everything they do works; rewriting the logs, changing the
 * schema and reading Temporal's database do not.
 */
const root = new URL('../..', import.meta.url).pathname;
const suffix = randomUUID().replace(/-/g, '').slice(0, 10);
const names = {
  app_login: `stays_api_${suffix}`,
  app_password: `pw-${randomUUID()}`,
  temporal_db: `temporal_${suffix}`,
  visibility_db: `temporal_visibility_${suffix}`,
};
const INST = 'inst-lp';
const BYDEL = 'bydel-lp';

let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let owner: pg.Client;
let app: pg.Client;
let h: Harness;
let appUrl: string;

/** roles.sql.in with its psql variables filled in, split into statements (CREATE DATABASE cannot share a transaction). */
function rolesScript(vars: Record<string, string>): string[] {
  const sql = readFileSync(`${root}deploy/postgres-init/roles.sql.in`, 'utf8')
    .replace(/:'(\w+)'/g, (_, v: string) => `'${vars[v]!.replaceAll("'", "''")}'`)
    .replace(/:"(\w+)"/g, (_, v: string) => `"${vars[v]}"`)
    .replace(/^--.*$/gm, '');
  const statements: string[] = [];
  let current = '';
  let inBody = false;
  for (const line of sql.split('\n')) {
    current += `${line}\n`;
    if ((line.match(/\$\$/g) ?? []).length % 2 === 1) inBody = !inBody;
    if (!inBody && line.trim().endsWith(';')) {
      statements.push(current.trim());
      current = '';
    }
  }
  return statements.filter(Boolean);
}

const urlFor = (base: string, user: string, password: string, database?: string) => {
  const url = new URL(base);
  url.username = user;
  url.password = password;
  if (database) url.pathname = `/${database}`;
  return url.toString();
};

beforeAll(async () => {
  db = await createIsolatedDatabase();
  owner = new pg.Client({ connectionString: db.url });
  await owner.connect();
  const staysDb = new URL(db.url).pathname.slice(1);
  for (const statement of rolesScript({ ...names, stays_db: staysDb })) await owner.query(statement);
  appUrl = urlFor(db.url, names.app_login, names.app_password);
  app = new pg.Client({ connectionString: appUrl });
  await app.connect();
  h = await startApiHarness({ databaseUrl: appUrl });
});
afterAll(async () => {
  await h?.close();
  await app?.end();
  await owner?.query(`DROP DATABASE IF EXISTS "${names.temporal_db}"`);
  await owner?.query(`DROP DATABASE IF EXISTS "${names.visibility_db}"`);
  await owner?.end();
  await db?.drop();
  const admin = new pg.Client({ connectionString: db.url.replace(/\/[^/]+$/, '/postgres') });
  await admin
    .connect()
    .then(() => admin.query(`DROP ROLE IF EXISTS "${names.app_login}"`))
    .finally(() => admin.end());
});

const refused = async (sql: string) => {
  await expect(app.query(sql), sql).rejects.toThrow(/permission denied|must be owner/);
};

describe('the app database role', () => {
  it('runs the API and the worker: registration, commands, lists, settings, the inbox', async () => {
    await registerOrganisations(h, BYDEL);
    const today = osloDate(Date.now());
    const { id: stayId } = await registerStay(h, {
      residentRef: 'R-LP',
      institutionId: INST,
      bydelId: BYDEL,
      admittedAt: addOffset(today, { days: -45 }),
    });
    const done = await h.app.inject({
      method: 'POST',
      url: `/api/stays/${stayId}/milestones/plan-started`,
      headers: { ...h.auth('institution', INST), 'idempotency-key': `lp-${suffix}` },
      payload: { doneAt: today },
    });
    expect(done.statusCode, done.body).toBe(200);
    expect((await h.app.inject({ url: '/api/stays', headers: h.auth('bydel', BYDEL) })).statusCode).toBe(200);
    const settings = await h.app.inject({
      method: 'PUT',
      url: `/api/organisations/${INST}/notification-settings`,
      headers: h.auth('admin'),
      payload: { recipients: [{ email: 'koord@inst-lp.test', role: 'coordinator' }] },
    });
    expect(settings.statusCode, settings.body).toBe(200);
    const item = await eventually(async () => {
      const list = await h.app.inject({ url: `/api/inbox?stayId=${stayId}`, headers: h.auth('institution', INST) });
      expect(list.json().items.length).toBeGreaterThan(0);
      return list.json().items[0].id as string;
    });
    const ack = await h.app.inject({
      method: 'POST',
      url: `/api/inbox/${item}/acknowledge`,
      headers: h.auth('institution', INST),
    });
    expect(ack.statusCode, ack.body).toBe(200);
    expect(
      (await app.query('SELECT count(*)::int AS n FROM access_log WHERE stay_id = $1', [stayId])).rows[0].n,
    ).toBeGreaterThan(0);

    // and the retention sweep, which anonymises through the owner's function, not by rewriting the audit trail
    await h.client.workflow.getHandle(stayWorkflowId(stayId)).terminate('least-privilege test');
    await owner.query(`UPDATE stays SET updated_at = now() - interval '400 days' WHERE id = $1`, [stayId]);
    await eventually(async () => {
      await new MockActivityEnvironment().run(
        createRetentionSweepActivities(h.pool, {
          temporal: h.client,
          retentionDays: 365,
          accessLogRetentionDays: 730,
          idempotencyKeyRetentionDays: 30,
        }).sweepRetention,
        { now: new Date().toISOString() },
      );
      const audit = await app.query(
        'SELECT count(*)::int AS n FROM audit_events WHERE stay_id = $1 AND actor_sub IS NOT NULL',
        [stayId],
      );
      expect(audit.rows[0].n).toBe(0);
    });
  });

  it('cannot rewrite or erase the audit trail, the access log or the organisation changes', async () => {
    for (const table of ['audit_events', 'access_log', 'organisation_events']) {
      await refused(`UPDATE ${table} SET actor_sub = 'someone-else'`);
      await refused(`DELETE FROM ${table}`);
      await refused(`TRUNCATE ${table}`);
    }
    // ...not even through the retention functions: an active stay's trail stays, and the log is kept 180 days
    const active = (await app.query('SELECT id FROM stays WHERE anonymised_at IS NULL LIMIT 1')).rows[0];
    if (active) {
      const before = (
        await app.query('SELECT count(*)::int AS n FROM audit_events WHERE stay_id = $1 AND actor_sub IS NOT NULL', [
          active.id,
        ])
      ).rows[0].n;
      await app.query('SELECT anonymise_audit_trail($1)', [active.id]);
      expect(
        (
          await app.query('SELECT count(*)::int AS n FROM audit_events WHERE stay_id = $1 AND actor_sub IS NOT NULL', [
            active.id,
          ])
        ).rows[0].n,
      ).toBe(before);
    }
    await expect(app.query('SELECT purge_access_log(1)')).rejects.toThrow(/at least 180 days/);
  });

  it('cannot change the schema or read the migrations table', async () => {
    await refused('CREATE TABLE sneaky (id int)');
    await refused('DROP TABLE stays');
    await refused('ALTER TABLE stays ADD COLUMN sneaky int');
    await refused('SELECT * FROM pgmigrations');
  });

  it("cannot connect to Temporal's databases", async () => {
    for (const database of [names.temporal_db, names.visibility_db]) {
      const intruder = new pg.Client({
        connectionString: urlFor(db.url, names.app_login, names.app_password, database),
      });
      await expect(intruder.connect()).rejects.toThrow(/permission denied for database/);
      await intruder.end().catch(() => {});
    }
  });
});
