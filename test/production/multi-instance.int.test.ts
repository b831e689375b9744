import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { newPayloadKeyRing } from '../../config/payload-codec';
import { SHARED_SECRET_DEFAULTS, signSharedSecretToken } from '../../config/token-auth';
import { addOffset, osloDate } from '../../rules/oslo-calendar';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../stack/embedded-postgres';
import { startTemporalDevServer, type TemporalDevServer } from '../../stack/temporal-dev-server';
import { writeWorkflowBundle } from '../../worker/workflow-bundle';
import { eventually } from '../support/eventually';
import { getFreePort } from '../../stack/free-port';
import { makeTempDir, removeTempDir } from '../../stack/temp-dir';
import { startRole, stopRole, waitForStatus, type RoleProcess } from '../../stack/role-process';

/**
 * The production shape on one machine: Temporal and PostgreSQL run as servers of their own (the embedded ones,
 * started here as separate processes), and two workers and two API instances run as separate processes pointed at
 * them only through TEMPORAL_ADDRESS / DATABASE_URL, as `npm run worker` / `npm run api` would in containers.
 */

// What production requires: a generated secret for the opted-in service tokens, one key ring shared by every process.
const SECRET = randomBytes(32).toString('base64');
const PAYLOAD_KEYS = newPayloadKeyRing('multi');
const INSTITUTION = 'inst-multi';
const token = signSharedSecretToken(
  { secret: SECRET, ...SHARED_SECRET_DEFAULTS },
  { sub: 'multi-test', role: 'institution', org: INSTITUTION },
);
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

const dir = makeTempDir('stays-multi');
let postgres: EmbeddedPostgres | undefined;
let temporal: TemporalDevServer | undefined;
let db: pg.Pool | undefined;
const roles: RoleProcess[] = [];
let workers: { a: RoleProcess; b: RoleProcess; bMetrics: string; aMetrics: string };
let apis: { base: string; process: RoleProcess }[] = [];

afterAll(async () => {
  await Promise.all(roles.map((r) => stopRole(r, 5_000)));
  await db?.end();
  await temporal?.stop();
  await postgres?.stop();
  removeTempDir(dir);
});

beforeAll(async () => {
  [postgres, temporal] = await Promise.all([
    startEmbeddedPostgres({
      dataDir: join(dir, 'postgres'),
      port: 0,
      user: 'stays_multi',
      password: 'stays_multi',
      database: 'stays_multi',
    }),
    getFreePort().then((port) => startTemporalDevServer({ port, headless: true })),
  ]);
  db = new pg.Pool({ connectionString: postgres.url, max: 2 });

  // The prebuilt bundle path of production: the global setup's bundle with a manifest, handed over by WORKFLOW_BUNDLE.
  const bundlePath = join(dir, 'dist', 'workflow-bundle.js');
  writeWorkflowBundle(bundlePath, readFileSync(inject('workflowBundlePath'), 'utf8'));

  const env = {
    TEMPORAL_ADDRESS: temporal.address,
    DATABASE_URL: postgres.url,
    TEMPORAL_TASK_QUEUE: `multi-${randomUUID()}`,
    DATA_DIR: join(dir, 'data'),
    PAYLOAD_KEYS,
    LOG_LEVEL: 'info',
    WORKFLOW_BUNDLE: bundlePath,
    // longer than REQUEST_TIMEOUT_MS, so a drain outlasts any request in flight even on a loaded CI machine
    SHUTDOWN_GRACE_MS: '12000',
    REQUEST_TIMEOUT_MS: '8000',
  };

  // Migrations are a deploy step of their own with external servers.
  const migrate = startRole('migrate', 'scripts/migrate.ts', env);
  const migrated = await migrate.exited;
  expect(migrated.code, migrate.output()).toBe(0);

  const [aMetricsPort, bMetricsPort, api1Port, api2Port] = await Promise.all([
    getFreePort(),
    getFreePort(),
    getFreePort(),
    getFreePort(),
  ]);
  const a = startRole('worker A', 'worker/main.ts', { ...env, WORKER_METRICS_ADDRESS: `127.0.0.1:${aMetricsPort}` });
  const b = startRole('worker B', 'worker/main.ts', { ...env, WORKER_METRICS_ADDRESS: `127.0.0.1:${bMetricsPort}` });
  workers = {
    a,
    b,
    aMetrics: `http://127.0.0.1:${aMetricsPort}/metrics`,
    bMetrics: `http://127.0.0.1:${bMetricsPort}/metrics`,
  };
  apis = [api1Port, api2Port].map((port, i) => ({
    base: `http://127.0.0.1:${port}`,
    process: startRole(`API ${i + 1}`, 'api/server.ts', {
      ...env,
      AUTH_SERVICE_TOKENS: 'true',
      AUTH_JWT_SECRET: SECRET,
      PORT: String(port),
      HOST: '127.0.0.1',
      SHUTDOWN_DELAY_MS: '300',
    }),
  }));
  roles.push(a, b, ...apis.map((x) => x.process));

  await Promise.all([
    waitForStatus(workers.aMetrics, a),
    waitForStatus(workers.bMetrics, b),
    ...apis.map((x) => waitForStatus(`${x.base}/health`, x.process, 90_000)),
  ]);
}, 150_000);

/** Workflow tasks a worker has run, from its Temporal SDK Core metrics. */
async function workflowTasksRun(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  return [...text.matchAll(/^temporal_workflow_task_execution_latency_count\{[^}]*\} (\d+)$/gm)].reduce(
    (sum, m) => sum + Number(m[1]),
    0,
  );
}

/** A client as it should be written: an Idempotency-Key per command, retried on 5xx (a worker may just have died). */
async function post(
  base: string,
  path: string,
  body: unknown,
  key: string,
  expected: number,
): Promise<{ id: string; milestones: { key: string; status: string; dueDate: string | null }[] }> {
  let last = '';
  for (let attempt = 0; attempt < 6; attempt++) {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { ...headers, 'idempotency-key': key },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status === expected) return JSON.parse(text);
    last = `${res.status} ${text}`;
    if (res.status < 500) break;
  }
  throw new Error(`POST ${path}: ${last}`);
}

const register = (apiIndex: number, n: number) =>
  post(
    apis[apiIndex % 2]!.base,
    '/api/stays',
    // Admitted six months and a day ago: every escalating deadline up to the applications has passed.
    {
      residentRef: `R-MULTI-${n}`,
      institutionId: INSTITUTION,
      bydelId: 'bydel-stovner',
      admittedAt: addOffset(osloDate(Date.now()), { months: -6, days: -1 }),
    },
    `register-${n}`,
    201,
  );

describe('two workers and two API instances as separate processes on external Temporal and PostgreSQL', () => {
  it('every stay progresses, no escalation is written twice, and SIGKILL of a worker mid-run loses nothing', {
    timeout: 120_000,
  }, async () => {
    const firstBatch = await Promise.all(Array.from({ length: 12 }, (_, n) => register(n, n)));
    // The task queue spreads stays over its pollers, though not necessarily evenly: the victim is the worker that
    // ran more workflow tasks, so that the kill takes stays with it.
    const [tasksA, tasksB] = await Promise.all([
      workflowTasksRun(workers.aMetrics),
      workflowTasksRun(workers.bMetrics),
    ]);
    const victim = tasksA >= tasksB ? workers.a : workers.b;
    const survivorMetrics = victim === workers.a ? workers.bMetrics : workers.aMetrics;
    expect(Math.max(tasksA, tasksB)).toBeGreaterThan(0);

    // Kill worker A without warning, mid-run: it holds half of the open stays in its cache (sticky), with their
    // timers pending. (A kill during an in-flight activity costs that activity's 5 s start-to-close timeout before
    // another worker retries it, so the request waits that long, still within REQUEST_TIMEOUT_MS; past that bound the
    // API answers 504 and the client's retry with the same Idempotency-Key succeeds. That path is slower, not
    // different, so it is left out of the suite's time.)
    victim.child.kill('SIGKILL');
    expect((await victim.exited).signal).toBe('SIGKILL');
    const secondBatch = Promise.all(Array.from({ length: 12 }, (_, n) => register(n, 12 + n)));
    const completions = Promise.all(
      firstBatch.map((stay, n) =>
        post(
          apis[(n + 1) % 2]!.base,
          `/api/stays/${stay.id}/milestones/plan-started`,
          { doneAt: osloDate(Date.now()) },
          `plan-${stay.id}`,
          200,
        ),
      ),
    );

    const stays = [...firstBatch, ...(await secondBatch)];
    for (const done of await completions)
      expect(done.milestones.find((m) => m.key === 'plan-started')?.status).toBe('done');
    expect(new Set(stays.map((s) => s.id)).size).toBe(24);

    // After the kill, through both API instances: every stay still takes commands (its workflow lives on in B).
    const later = await Promise.all(
      stays
        .slice(12)
        .map((stay, n) =>
          post(
            apis[n % 2]!.base,
            `/api/stays/${stay.id}/milestones/plan-started`,
            { doneAt: osloDate(Date.now()) },
            `plan-${stay.id}`,
            200,
          ),
        ),
    );
    expect(later).toHaveLength(12);

    // Exactly one overdue escalation per milestone that was overdue at registration (and stays one after its late
    // completion), for every stay.
    await eventually(
      async () => {
        for (const stay of stays) {
          const overdue = stay.milestones
            .filter((m) => m.status === 'overdue')
            .map((m) => `${m.key}:${m.dueDate}`)
            .sort();
          expect(overdue.length).toBeGreaterThan(0);
          const { rows } = await db!.query<{ e: string }>(
            `SELECT milestone || ':' || to_char(due_date, 'YYYY-MM-DD') AS e FROM escalations WHERE stay_id = $1 AND kind = 'overdue' ORDER BY 1`,
            [stay.id],
          );
          expect(rows.map((r) => r.e).sort()).toEqual(overdue);
        }
      },
      60_000,
      500,
    );
    const duplicates = await db!.query(
      'SELECT stay_id, milestone, kind, due_date FROM escalations GROUP BY 1, 2, 3, 4 HAVING count(*) > 1',
    );
    expect(duplicates.rows).toEqual([]);

    // /metrics names the series operators alert on; the escalation counter agrees with the read model.
    const {
      rows: [{ n: escalations }],
    } = await db!.query<{ n: number }>("SELECT count(*)::int AS n FROM escalations WHERE kind = 'overdue'");
    const metrics = await (await fetch(`${apis[1]!.base}/metrics`)).text();
    expect(metrics).toMatch(/^http_request_duration_seconds_bucket\{.*route="\/api\/stays".*\} \d+/m);
    expect(metrics).toMatch(
      /^http_request_duration_seconds_count\{.*route="\/api\/stays\/:\w+\/milestones\/:key".*\} \d+/m,
    );
    expect(metrics).toContain(`stay_escalations_raised_total{kind="overdue"} ${escalations}`);
    expect(metrics).toMatch(/^stay_notification_failures_total 0$/m);
    expect(metrics).toMatch(/^process_resident_memory_bytes \d+/m);
    const sdk = await (await fetch(survivorMetrics)).text();
    expect(sdk).toMatch(/^temporal_workflow_completed|^temporal_workflow_task_schedule_to_start_latency/m);
    // the stays' read-model writes are local activities; a regular one (the notification dispatcher's poll) runs on
    // whichever worker polls first, which may be the one that was killed
    expect(sdk).toMatch(/^temporal_(local_)?activity_execution_latency_count\{[^}]*\} [1-9]/m);
  });

  it('drains on SIGTERM: /ready turns 503 at once, in-flight requests finish, the processes exit 0', {
    timeout: 60_000,
  }, async () => {
    const [api1, api2] = apis as [(typeof apis)[0], (typeof apis)[0]];
    const stay = await register(1, 100);
    const inFlight = post(
      api2.base,
      `/api/stays/${stay.id}/milestones/plan-started`,
      { doneAt: osloDate(Date.now()) },
      `plan-drain-${stay.id}`,
      200,
    );
    await new Promise((r) => setTimeout(r, 20));
    api2.process.child.kill('SIGTERM');
    // The signal lands within milliseconds; from then on /ready refuses, well before the server stops listening.
    const ready = await eventually(
      async () => {
        const res = await fetch(`${api2.base}/ready`);
        expect(res.status).toBe(503);
        return res;
      },
      250,
      10,
    );
    expect(((await ready.json()) as { draining?: boolean }).draining).toBe(true);
    expect((await fetch(`${api2.base}/live`)).status).toBe(200);
    expect((await inFlight).milestones.find((m) => m.key === 'plan-started')?.status).toBe('done');
    expect((await api2.process.exited).code, api2.process.output().slice(-3000)).toBe(0);
    expect(api2.process.output()).toContain('api draining');

    // The other instance is unaffected; then the last worker drains and exits cleanly.
    expect((await fetch(`${api1.base}/ready`)).status).toBe(200);
    const survivor = workers.a.alive() ? workers.a : workers.b;
    survivor.child.kill('SIGTERM');
    expect((await survivor.exited).code, survivor.output().slice(-3000)).toBe(0);
    expect(survivor.output()).toContain('worker draining');
    expect(survivor.output()).toContain('worker stopped');
  });
});
