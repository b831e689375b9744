/**
 * Scale figures for the README: the production shape on this machine (embedded Temporal dev server with a SQLite
 * file and embedded PostgreSQL as servers of their own; ONE worker and ONE API as separate processes, as
 * `npm run worker` / `npm run api`, payloads encrypted). Prints figures; not a test.
 *
 *   npm run bench:scale -- [openStays=10000] [worklistStays=5000] [cache=1000] [overdueStays=200] [concurrency=8]
 *
 * `cache` is the worker's WORKER_MAX_CACHED_WORKFLOWS (`default` = the SDK's default).
 * 1. open stays: registers `openStays` stays, admissions spread over the last 8 months (a realistic mix of done,
 *    overdue and due-soon deadlines; every stay is a workflow waiting on timers), `worklistStays` of them at one
 *    institution and the rest spread over nine others; reports throughput, latency and the worker's RSS.
 * 2. eviction: completes a milestone on the oldest stays (evicted from a bounded cache: the worker replays their
 *    history first) and on the newest (cached), interleaved in rounds, with the worker's cache hits and misses.
 * 3. worklist: the first page of the big institution's stays through the API (`limit` 50 and 200, the web app's page),
 *    and EXPLAIN ANALYZE of the read model's two queries for it.
 * 4. overdue burst: registers `overdueStays` stays admitted six months ago, each raising its overdue escalations at
 *    once, and reports how fast one worker turns missed deadlines into escalations.
 * 5. storage: Temporal's persistence and the read model per 1,000 stays.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { newPayloadKeyRing } from '../config/payload-codec';
import { SHARED_SECRET_DEFAULTS, signSharedSecretToken } from '../config/token-auth';
import pg from 'pg';
import { createStayReadModel } from '../api/plugins/app/read-model';
import { addOffset, osloDate } from '../rules/oslo-calendar';
import { startEmbeddedPostgres } from '../stack/embedded-postgres';
import { startTemporalDevServer } from '../stack/temporal-dev-server';
import { startRole, stopRole, waitForStatus } from '../stack/role-process';
import { getFreePort } from '../stack/free-port';
import { makeTempDir, removeTempDir } from '../stack/temp-dir';
import { stayWorkflowBundleOptions } from '../worker/stay-worker';
import { writeWorkflowBundle } from '../worker/workflow-bundle';
import { BENCH_BYDEL, percentile as pct, registerBenchBydel } from './support/embedded-bench-stack';

const openStays = Number(process.argv[2] ?? 10_000);
const worklistStays = Math.min(openStays, Number(process.argv[3] ?? 5_000));
const cache = process.argv[4] ?? '1000';
const overdueStays = Number(process.argv[5] ?? 200);
const concurrency = Number(process.argv[6] ?? 8);
// the newest SAMPLE stays must still be cached after the oldest SAMPLE were brought back in
const SAMPLE = Math.min(200, Math.floor(openStays / 4));
const BIG = 'inst-bench';
const OTHERS = Array.from({ length: 9 }, (_, i) => `inst-bench-${i + 2}`);

const SECRET = randomBytes(32).toString('base64');
const dir = makeTempDir('stays-scale');
const rssMiB = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const mib = (bytes: number) => bytes / 1024 / 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const started = performance.now();

const temporalDb = join(dir, 'temporal.sqlite');
const [postgres, temporal] = await Promise.all([
  startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: 0, user: 'bench', password: 'bench', database: 'bench' }),
  getFreePort().then((port) => startTemporalDevServer({ port, headless: true, dbFile: temporalDb })),
]);
const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error };
const bundlePath = join(dir, 'dist', 'workflow-bundle.js');
writeWorkflowBundle(bundlePath, (await bundleWorkflowCode({ ...stayWorkflowBundleOptions, logger: quiet })).code);

const env = {
  TEMPORAL_ADDRESS: temporal.address,
  DATABASE_URL: postgres.url,
  TEMPORAL_TASK_QUEUE: 'scale-bench',
  DATA_DIR: join(dir, 'data'),
  PAYLOAD_KEYS: newPayloadKeyRing('bench'),
  LOG_LEVEL: 'warn',
  WORKFLOW_BUNDLE: bundlePath,
  REQUEST_TIMEOUT_MS: '30000',
  RATE_LIMIT_PER_MINUTE: '1000000',
};
const migrate = startRole('migrate', 'scripts/migrate.ts', env);
if ((await migrate.exited).code !== 0) throw new Error(migrate.output());
const [metricsPort, apiPort] = await Promise.all([getFreePort(), getFreePort()]);
const worker = startRole('worker', 'worker/main.ts', {
  ...env,
  WORKER_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`,
  ...(cache === 'default' ? {} : { WORKER_MAX_CACHED_WORKFLOWS: cache }),
});
const api = startRole('api', 'api/server.ts', {
  ...env,
  PORT: String(apiPort),
  AUTH_SERVICE_TOKENS: 'true',
  AUTH_JWT_SECRET: SECRET,
});
const base = `http://127.0.0.1:${apiPort}`;
await waitForStatus(`${base}/health`, api, 120_000);
const sign = (claims: Parameters<typeof signSharedSecretToken>[1]) =>
  signSharedSecretToken({ secret: SECRET, ...SHARED_SECRET_DEFAULTS }, claims);
await registerBenchBydel(base, sign({ sub: 'bench-admin', role: 'admin' }));
const db = new pg.Pool({ connectionString: postgres.url, max: 2 });

const tokens = new Map([BIG, ...OTHERS].map((org) => [org, sign({ sub: 'bench', role: 'institution', org })]));
const headersOf = (org: string) => ({ authorization: `Bearer ${tokens.get(org)}`, 'content-type': 'application/json' });
const today = osloDate(Date.now());
const institutionOf = (n: number) => (n < worklistStays ? BIG : OTHERS[n % OTHERS.length]!);

async function complete(stayId: string, org: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${base}/api/stays/${stayId}/milestones/plan-started`, {
    method: 'POST',
    headers: { ...headersOf(org), 'idempotency-key': `bench-plan-${stayId}` },
    body: JSON.stringify({ doneAt: today }),
  });
  if (res.status !== 200) throw new Error(`complete ${stayId}: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
  return performance.now() - t0;
}

const registered: { id: string; org: string }[] = [];
async function register(n: number, admittedAt: string): Promise<number> {
  const org = institutionOf(n);
  const t0 = performance.now();
  const res = await fetch(`${base}/api/stays`, {
    method: 'POST',
    headers: { ...headersOf(org), 'idempotency-key': `bench-stay-${n}` },
    body: JSON.stringify({ residentRef: `R-SCALE-${n}`, institutionId: org, bydelId: BENCH_BYDEL, admittedAt }),
  });
  if (res.status !== 201) throw new Error(`register ${n}: ${res.status} ${await res.text()}`);
  registered[n] = { id: ((await res.json()) as { id: string }).id, org };
  return performance.now() - t0;
}

async function pooled(
  count: number,
  clients: number,
  fn: (i: number) => Promise<number>,
): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < count) latencies.push(await fn(next++));
    }),
  );
  return { latencies, wallMs: performance.now() - t0 };
}

const sdkMetric = async (name: string) => {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  return [...text.matchAll(new RegExp(`^${name}(?:_total)?(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))].reduce(
    (sum, m) => sum + Number(m[1]),
    0,
  );
};

await register(-1, addOffset(today, { days: -10 })); // warm-up: first workflow task, JIT
await sleep(2_000);
const rssIdle = rssMiB(worker.child.pid!);
const apiRssIdle = rssMiB(api.child.pid!);
const temporalBytesBefore = statSync(temporalDb).size;

// 1. open stays, admitted over the last 8 months; progress every 1,000
let lastReport = performance.now();
const open = await pooled(openStays, concurrency, async (n) => {
  const ms = await register(n, addOffset(today, { days: -(n % 240) }));
  if ((n + 1) % 1000 === 0) {
    const now = performance.now();
    console.error(
      `  … ${n + 1} stays, last 1,000 at ${(1_000_000 / (now - lastReport)).toFixed(1)}/s, worker RSS ${rssMiB(worker.child.pid!).toFixed(0)} MiB`,
    );
    lastReport = now;
  }
  return ms;
});
await sleep(3_000);
const rssOpen = rssMiB(worker.child.pid!);
const cached = await sdkMetric('temporal_sticky_cache_size');

// 2. completion on evicted (oldest) and cached (newest) stays, interleaved in rounds of 20 at 4 clients
const oldest = registered.slice(0, SAMPLE);
const newest = registered.slice(openStays - SAMPLE, openStays);
const evicted: number[] = [];
const hot: number[] = [];
const misses = { evicted: 0, hot: 0 };
for (let r = 0; r * 20 < SAMPLE; r++) {
  for (const [kind, sample, out] of (r % 2 === 0
    ? [
        ['evicted', oldest, evicted],
        ['hot', newest, hot],
      ]
    : [
        ['hot', newest, hot],
        ['evicted', oldest, evicted],
      ]) as ['evicted' | 'hot', typeof oldest, number[]][]) {
    const batch = sample.slice(r * 20, r * 20 + 20);
    const before = await sdkMetric('temporal_sticky_cache_miss');
    out.push(...(await pooled(batch.length, 4, (i) => complete(batch[i]!.id, batch[i]!.org))).latencies);
    misses[kind] += (await sdkMetric('temporal_sticky_cache_miss')) - before;
  }
}
const rssAfterCompletions = rssMiB(worker.child.pid!);

// 3. the big institution's worklist, first page, through the API and as the read model queries it
const bigHeaders = { authorization: `Bearer ${tokens.get(BIG)}` };
const worklist: Record<number, number[]> = { 50: [], 200: [] };
let total = 0;
for (let r = 0; r < 20; r++) {
  for (const limit of r % 2 === 0 ? [50, 200] : [200, 50]) {
    const t0 = performance.now();
    const res = await fetch(`${base}/api/stays?institutionId=${BIG}&limit=${limit}`, { headers: bigHeaders });
    if (res.status !== 200) throw new Error(`worklist: ${res.status} ${await res.text()}`);
    total = ((await res.json()) as { total: number }).total;
    worklist[limit]!.push(performance.now() - t0);
  }
}
const captured: { text: string; values: unknown[] }[] = [];
const capturing = {
  query: (text: string, values: unknown[]) => {
    captured.push({ text, values });
    return db.query(text, values);
  },
} as unknown as pg.Pool;
await createStayReadModel(capturing).listStays(
  { institutionId: BIG },
  { institutionId: BIG, sort: 'admitted', limit: 50, offset: 0 },
);
const plans: string[] = [];
for (const q of captured) {
  const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${q.text}`, q.values);
  plans.push(plan.rows.map((row) => `    ${row['QUERY PLAN']}`).join('\n'));
}

// 4. overdue burst: every stay raises its overdue escalations as soon as it starts
const escalationsBefore = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM escalations')).rows[0]!.n;
const burstStart = performance.now();
const overdue = await pooled(overdueStays, concurrency, (i) =>
  register(openStays + i, addOffset(today, { months: -6, days: -1 })),
);
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

// 5. storage
await sleep(1_000);
const stays = openStays + overdueStays + 1;
const temporalBytes = statSync(temporalDb).size - temporalBytesBefore;
const readModelBytes = (
  await db.query<{ n: string }>(
    `SELECT sum(pg_total_relation_size(t))::bigint AS n FROM unnest(ARRAY['stays', 'stay_milestones', 'escalations', 'audit_events']::regclass[]) t`,
  )
).rows[0]!.n;

const line = (label: string, value: string) => console.log(`  ${label.padEnd(50)} ${value}`);
const p3 = (xs: number[]) =>
  `p50 ${pct(xs, 50).toFixed(0)} / p95 ${pct(xs, 95).toFixed(0)} / p99 ${pct(xs, 99).toFixed(0)} ms`;
console.log(
  `\nnpm run bench:scale -- ${openStays} ${worklistStays} ${cache} ${overdueStays} ${concurrency}: 1 worker ` +
    `(WORKER_MAX_CACHED_WORKFLOWS=${cache}) + 1 API process, embedded Temporal (SQLite file) and PostgreSQL, ` +
    `payloads encrypted, 2-core machine; ${((performance.now() - started) / 60_000).toFixed(1)} min`,
);
line(
  'open stays registered',
  `${openStays} in ${(open.wallMs / 1000).toFixed(1)} s = ${((openStays / open.wallMs) * 1000).toFixed(1)} stays/s at ${concurrency} clients`,
);
line('  registration latency', p3(open.latencies));
line(
  'worker RSS idle → with open stays',
  `${rssIdle.toFixed(0)} MiB → ${rssOpen.toFixed(0)} MiB (sticky cache: ${cached} workflows)`,
);
line('  worker RSS after the completions', `${rssAfterCompletions.toFixed(0)} MiB`);
line(`completion, ${SAMPLE} oldest stays (evicted)`, `${p3(evicted)} (cache misses: ${misses.evicted})`);
line(`completion, ${SAMPLE} newest stays (cached)`, `${p3(hot)} (cache misses: ${misses.hot})`);
line(
  '  evicted/cached',
  `p50 ${(pct(evicted, 50) / pct(hot, 50)).toFixed(2)}×, p99 ${(pct(evicted, 99) / pct(hot, 99)).toFixed(2)}× (goal p99 ≤ 2×)`,
);
for (const limit of [50, 200]) {
  line(
    `worklist first page, ${total} stays, limit=${limit} (API)`,
    `${p3(worklist[limit]!)} (${worklist[limit]!.length} requests; goal p50 ≤ 300 ms)`,
  );
}
line('API RSS idle → after', `${apiRssIdle.toFixed(0)} MiB → ${rssMiB(api.child.pid!).toFixed(0)} MiB`);
line(
  'overdue burst',
  `${overdueStays} stays → ${escalations} escalations in ${(burstMs / 1000).toFixed(1)} s = ${((escalations / burstMs) * 1000).toFixed(1)} escalations/s`,
);
line('  registration latency under the burst', p3(overdue.latencies));
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
captured.forEach((q, i) => {
  console.log(`\nEXPLAIN ANALYZE, worklist query ${i + 1} of ${captured.length} (${q.values.join(', ')}):`);
  console.log(plans[i]);
});

await db.end();
await Promise.all([stopRole(api), stopRole(worker)]);
await temporal.stop();
await postgres.stop();
removeTempDir(dir);
