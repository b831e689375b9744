/**
 * Scale figures for the README: the production shape on this machine (embedded Temporal dev server with a SQLite
 * file and embedded PostgreSQL as servers of their own; ONE worker and ONE API as separate processes, as
 * `npm run worker` / `npm run api`). Prints figures; not a test.
 *
 *   npm run bench:scale -- [openStays=2000] [overdueStays=200] [concurrency=8]
 *   WORKER_MAX_CACHED_WORKFLOWS=250 npm run bench:scale      # the same with a bounded workflow cache
 *
 * 1. open stays: registers N stays admitted 10 days ago (every deadline still ahead: each is a workflow waiting
 *    on timers) and reports throughput, latency and the worker's RSS before and after (per 1,000 open stays).
 *    Then completes a milestone on 200 of them (most evicted from the worker's cache when it is bounded: the
 *    worker replays their history first) and reports that latency.
 * 2. overdue burst: registers M stays admitted six months ago, so that each raises its overdue escalations at once,
 *    and reports how fast one worker turns missed deadlines into escalations.
 * 3. storage: Temporal's persistence and the read model per 1,000 stays.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { newPayloadKeyRing } from '../config/payload-codec';
import { SHARED_SECRET_DEFAULTS, signSharedSecretToken } from '../config/token-auth';
import pg from 'pg';
import { addOffset, osloDate } from '../rules/oslo-calendar';
import { startEmbeddedPostgres } from '../stack/embedded-postgres';
import { startTemporalDevServer } from '../stack/temporal-dev-server';
import { startRole, stopRole, waitForStatus } from '../test/production/support/role-process';
import { getFreePort } from '../test/support/free-port';
import { makeTempDir, removeTempDir } from '../test/support/temp-dir';
import { workflowsPath } from '../worker/stay-worker';
import { registerBenchBydel } from './support/embedded-bench-stack';
import { writeWorkflowBundle } from '../worker/workflow-bundle';

const openStays = Number(process.argv[2] ?? 2000);
const overdueStays = Number(process.argv[3] ?? 200);
const concurrency = Number(process.argv[4] ?? 8);

const SECRET = randomBytes(32).toString('base64');
const dir = makeTempDir('stays-scale');
const rssMiB = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const mib = (bytes: number) => bytes / 1024 / 1024;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const temporalDb = join(dir, 'temporal.sqlite');
const [postgres, temporal] = await Promise.all([
  getFreePort().then((port) =>
    startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port, user: 'bench', password: 'bench', database: 'bench' }),
  ),
  getFreePort().then((port) => startTemporalDevServer({ port, headless: true, dbFile: temporalDb })),
]);
const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error };
const bundlePath = join(dir, 'dist', 'workflow-bundle.js');
writeWorkflowBundle(bundlePath, (await bundleWorkflowCode({ workflowsPath, logger: quiet })).code);

const env = {
  TEMPORAL_ADDRESS: temporal.address,
  DATABASE_URL: postgres.url,
  TEMPORAL_TASK_QUEUE: 'scale-bench',
  DATA_DIR: join(dir, 'data'),
  PAYLOAD_KEYS: newPayloadKeyRing('bench'),
  LOG_LEVEL: 'warn',
  WORKFLOW_BUNDLE: bundlePath,
  REQUEST_TIMEOUT_MS: '30000',
};
const migrate = startRole('migrate', 'scripts/migrate.ts', env);
if ((await migrate.exited).code !== 0) throw new Error(migrate.output());
const [metricsPort, apiPort] = await Promise.all([getFreePort(), getFreePort()]);
const worker = startRole('worker', 'worker/main.ts', { ...env, WORKER_METRICS_ADDRESS: `127.0.0.1:${metricsPort}` });
const api = startRole('api', 'api/server.ts', {
  ...env,
  PORT: String(apiPort),
  AUTH_SERVICE_TOKENS: 'true',
  AUTH_JWT_SECRET: SECRET,
});
const base = `http://127.0.0.1:${apiPort}`;
await waitForStatus(`${base}/health`, api, 120_000);
await registerBenchBydel(
  base,
  signSharedSecretToken({ secret: SECRET, ...SHARED_SECRET_DEFAULTS }, { sub: 'bench-admin', role: 'admin' }),
);
const db = new pg.Pool({ connectionString: postgres.url, max: 2 });

const token = signSharedSecretToken(
  { secret: SECRET, ...SHARED_SECRET_DEFAULTS },
  { sub: 'bench', role: 'institution', org: 'inst-bench' },
);
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
const today = osloDate(Date.now());

async function complete(stayId: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${base}/api/stays/${stayId}/milestones/plan-started`, {
    method: 'POST',
    headers: { ...headers, 'idempotency-key': `bench-plan-${stayId}` },
    body: JSON.stringify({ doneAt: today }),
  });
  if (res.status !== 200) throw new Error(`complete ${stayId}: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
  return performance.now() - t0;
}

async function register(n: number, admittedAt: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${base}/api/stays`, {
    method: 'POST',
    headers: { ...headers, 'idempotency-key': `bench-stay-${n}` },
    body: JSON.stringify({
      residentRef: `R-SCALE-${n}`,
      institutionId: 'inst-bench',
      bydelId: 'bydel-bench',
      admittedAt,
    }),
  });
  if (res.status !== 201) throw new Error(`register ${n}: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
  return performance.now() - t0;
}

async function pooled(
  count: number,
  offset: number,
  admittedAt: string,
): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) latencies.push(await register(offset + next++, admittedAt));
    }),
  );
  return { latencies, wallMs: performance.now() - t0 };
}

const sdkMetric = async (name: string) => {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  return [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))].reduce(
    (sum, m) => sum + Number(m[1]),
    0,
  );
};

await register(-1, addOffset(today, { days: -10 })); // warm-up: first workflow task, JIT
await sleep(2_000);
const rssIdle = rssMiB(worker.child.pid!);
const apiRssIdle = rssMiB(api.child.pid!);
const temporalBytesBefore = statSync(temporalDb).size;

// 1. open stays
const open = await pooled(openStays, 0, addOffset(today, { days: -10 }));
await sleep(3_000);
const rssOpen = rssMiB(worker.child.pid!);
const cached = await sdkMetric('temporal_sticky_cache_size');
const sample = (
  await db.query<{ id: string }>(
    "SELECT id FROM stays WHERE resident_ref LIKE 'R-SCALE-%' ORDER BY created_at LIMIT 200",
  )
).rows;
const completionLatencies: number[] = [];
for (let i = 0; i < sample.length; i += concurrency) {
  completionLatencies.push(...(await Promise.all(sample.slice(i, i + concurrency).map((r) => complete(r.id)))));
}

// 2. overdue burst: every stay raises its overdue escalations as soon as it starts
const escalationsBefore = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM escalations')).rows[0]!.n;
const burstStart = performance.now();
const overdue = await pooled(overdueStays, openStays, addOffset(today, { months: -6, days: -1 }));
let escalations = 0;
for (;;) {
  escalations =
    (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM escalations')).rows[0]!.n - escalationsBefore;
  const pending = (
    await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM stay_milestones m JOIN stays s ON s.id = m.stay_id
     WHERE m.done_at IS NULL AND m.applicable AND m.escalates AND m.due_date < $1::date
       AND NOT EXISTS (SELECT 1 FROM escalations e WHERE e.stay_id = m.stay_id AND e.milestone = m.key AND e.kind = 'overdue' AND e.due_date = m.due_date)`,
      [today],
    )
  ).rows[0]!.n;
  if (pending === 0 || performance.now() - burstStart > 300_000) break;
  await sleep(200);
}
const burstMs = performance.now() - burstStart;
const rssAfterBurst = rssMiB(worker.child.pid!);

// 3. storage
await sleep(1_000);
const stays = openStays + overdueStays + 1;
const temporalBytes = statSync(temporalDb).size - temporalBytesBefore;
const readModelBytes = (
  await db.query<{ n: string }>(
    `SELECT sum(pg_total_relation_size(t))::bigint AS n FROM unnest(ARRAY['stays', 'stay_milestones', 'escalations', 'audit_events']::regclass[]) t`,
  )
).rows[0]!.n;

const line = (label: string, value: string) => console.log(`  ${label.padEnd(44)} ${value}`);
console.log(
  `\nscale bench: 1 worker (WORKER_MAX_CACHED_WORKFLOWS=${process.env.WORKER_MAX_CACHED_WORKFLOWS ?? 'SDK default'}) + 1 API process, ` +
    `embedded Temporal (SQLite file) and PostgreSQL, ${concurrency} concurrent clients, 2-core machine`,
);
line(
  'open stays registered',
  `${openStays} in ${(open.wallMs / 1000).toFixed(1)} s = ${((openStays / open.wallMs) * 1000).toFixed(1)} stays/s`,
);
line(
  '  registration latency p50 / p95 / p99',
  `${pct(open.latencies, 50).toFixed(0)} / ${pct(open.latencies, 95).toFixed(0)} / ${pct(open.latencies, 99).toFixed(0)} ms`,
);
line(
  'worker RSS idle → with open stays',
  `${rssIdle.toFixed(0)} MiB → ${rssOpen.toFixed(0)} MiB (sticky cache: ${cached} workflows)`,
);
line('  worker RSS per 1,000 open stays', `${(((rssOpen - rssIdle) / openStays) * 1000).toFixed(1)} MiB`);
line(
  'completion on an older stay p50 / p95',
  `${pct(completionLatencies, 50).toFixed(0)} / ${pct(completionLatencies, 95).toFixed(0)} ms (${sample.length} stays, oldest first)`,
);
line('API RSS idle → after', `${apiRssIdle.toFixed(0)} MiB → ${rssMiB(api.child.pid!).toFixed(0)} MiB`);
line(
  'overdue burst',
  `${overdueStays} stays → ${escalations} escalations in ${(burstMs / 1000).toFixed(1)} s = ${((escalations / burstMs) * 1000).toFixed(1)} escalations/s`,
);
line(
  '  registration latency under the burst p50 / p95',
  `${pct(overdue.latencies, 50).toFixed(0)} / ${pct(overdue.latencies, 95).toFixed(0)} ms`,
);
line('worker RSS after the burst', `${rssAfterBurst.toFixed(0)} MiB`);
line(
  'Temporal persistence per 1,000 stays',
  `${((mib(temporalBytes) / stays) * 1000).toFixed(1)} MiB (SQLite file growth)`,
);
line(
  'read model per 1,000 stays',
  `${((mib(Number(readModelBytes)) / stays) * 1000).toFixed(1)} MiB (tables + indexes)`,
);
line(
  'workflow tasks / activities completed',
  `${await sdkMetric('temporal_workflow_task_execution_latency_count')} / ${await sdkMetric('temporal_activity_execution_latency_count')}`,
);

await db.end();
await Promise.all([stopRole(api), stopRole(worker)]);
await temporal.stop();
await postgres.stop();
removeTempDir(dir);
