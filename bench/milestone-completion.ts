/**
 * Commands against Temporal's own floor, in one run on one embedded stack (2-core machine, shared): prints figures,
 * not a test. Every figure that matters is a ratio to the floor measured in the same run, interleaved in rounds, so a
 * neighbour's load moves both sides alike.
 *
 *   npm run bench -- [rounds=6] [perRound=20] [burst=400]
 *   BENCH_WORKER='{"reuseV8Context":false}' BENCH_PG_POOL_MAX=10 npm run bench     # the stay worker's tuning under test
 *
 * - floor: a no-op Update on a minimal workflow (bench/floor/noop-workflow.ts, bundled on its own) on its own task
 *   queue, with its own worker in this process, through the same client (same payload encryption);
 * - direct: the stay's `complete-milestone` Update sent with the client (what the API does without HTTP);
 * - API: `POST /api/stays/:id/milestones/plan-started`.
 * 1. registration at 8 concurrent clients (`POST /api/stays`), rounds interleaved with a floor burst (no-op Updates at
 *    32 clients) and a floor start (update-with-start of the minimal workflow at 8 clients);
 * 2. latency at 4 concurrent clients: `rounds` rounds of `perRound` commands per column, the column order rotated;
 * 3. throughput at 32 concurrent clients: `burst` completions through the API, as many sent directly and as many floor
 *    Updates, in 4 rounds, with the CPU each call cost per process (this one split into its main and other threads);
 * 4. history size of one long, busy stay over its whole life (time-skipping test server, after the stack stopped).
 */
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, makeTelemetryFilterString, Runtime, Worker } from '@temporalio/worker';
import { addOffset, osloDate } from '../rules/oslo-calendar';
import { completeMilestoneUpdate, stayWorkflowId } from '../workflows/stay/definitions';
import type { Actor } from '../workflows/stay/types';
import { noopUpdate, type noopWorkflow } from './floor/noop-workflow';
import { BENCH_BYDEL, benchWorkerOptions, percentile as pct, startBenchStack } from './support/embedded-bench-stack';
import { httpClient } from './support/http-client';
import { measureLongStayHistory } from './support/long-stay-history';
import { withCpu } from './support/process-cpu';

const rounds = Number(process.argv[2] ?? 6);
const perRound = Number(process.argv[3] ?? 20);
const burst = Number(process.argv[4] ?? 400);
const BURST_ROUNDS = 4;
const REG_ROUNDS = 4;

Runtime.install({
  logger: new DefaultLogger('ERROR'),
  telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } },
});
const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error };
const workerOptions = benchWorkerOptions();
const pgPoolMax = process.env.BENCH_PG_POOL_MAX ? Number(process.env.BENCH_PG_POOL_MAX) : undefined;
const stack = await startBenchStack({ name: 'stays-bench', taskQueue: 'bench', worker: workerOptions, pgPoolMax });
const { app, base, client } = stack;

const FLOOR_QUEUE = 'bench-floor';
const floorWorker = await Worker.create({
  connection: stack.nativeConnection,
  taskQueue: FLOOR_QUEUE,
  workflowBundle: await bundleWorkflowCode({
    workflowsPath: new URL('./floor/noop-workflow.ts', import.meta.url).pathname,
    logger: quiet,
  }),
  ...(stack.dataConverter ? { dataConverter: stack.dataConverter } : {}),
});
const floorRunning = floorWorker.run();

const headers = {
  authorization: `Bearer ${app.jwt.sign({ sub: 'bench', role: 'institution', org: 'inst-bench' })}`,
  'content-type': 'application/json',
};
const http = httpClient(base, headers);
const actor: Actor = { sub: 'bench', role: 'institution', org: 'inst-bench' };
const today = osloDate(Date.now());
const admittedAt = addOffset(today, { days: -10 });

/** Runs `n` calls with `clients` concurrent callers; returns each call's latency and the wall time. */
async function pooled(n: number, clients: number, fn: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < n) {
        const i = next++;
        const t = performance.now();
        await fn(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies, wallMs: performance.now() - t0 };
}

// ---- the three kinds of call ----------------------------------------------------------------------------------
const floorIds: string[] = [];
async function floorStart(): Promise<void> {
  const workflowId = `floor:${randomUUID()}`;
  await client.workflow.executeUpdateWithStart(noopUpdate, {
    startWorkflowOperation: new WithStartWorkflowOperation<typeof noopWorkflow>('noopWorkflow', {
      workflowId,
      taskQueue: FLOOR_QUEUE,
      workflowIdConflictPolicy: 'FAIL',
    }),
  });
  floorIds.push(workflowId);
}
let floorNext = 0;
const floorUpdate = async (): Promise<void> => {
  await client.workflow.getHandle(floorIds[floorNext++ % floorIds.length]!).executeUpdate(noopUpdate);
};

const stays: string[] = [];
async function register(i: number): Promise<void> {
  const res = await http('POST', '/api/stays', {
    residentRef: `R-B-${i}`,
    institutionId: 'inst-bench',
    bydelId: BENCH_BYDEL,
    admittedAt,
  });
  if (res.status !== 201) throw new Error(`register: ${res.status} ${res.text}`);
  stays.push((JSON.parse(res.text) as { id: string }).id);
}
let stayNext = 0;
const nextStay = (): string => {
  const id = stays[stayNext++];
  if (!id) throw new Error('bench ran out of registered stays');
  return id;
};
async function completeDirect(): Promise<void> {
  await client.workflow
    .getHandle(stayWorkflowId(nextStay()))
    .executeUpdate(completeMilestoneUpdate, { args: [{ key: 'plan-started', doneAt: today, actor }] });
}
async function completeApi(): Promise<void> {
  const res = await http('POST', `/api/stays/${nextStay()}/milestones/plan-started`, { doneAt: today });
  if (res.status !== 200) throw new Error(`complete: ${res.status} ${res.text}`);
}

// ---- warm-up: first workflow tasks, JIT, connections -------------------------------------------------------------
await pooled(8, 4, floorStart);
await pooled(8, 4, floorUpdate);
await pooled(8, 4, register);
await pooled(4, 4, completeDirect);
await pooled(4, 4, completeApi);

const needed = 2 * rounds * perRound + 2 * burst;
const regPerRound = Math.ceil(needed / REG_ROUNDS);
const rate = (r: { latencies: number[]; wallMs: number }) => (r.latencies.length / r.wallMs) * 1000;
type Run = { latencies: number[]; wallMs: number };
const merge = (runs: Run[]): Run => ({
  latencies: runs.flatMap((r) => r.latencies),
  wallMs: runs.reduce((s, r) => s + r.wallMs, 0),
});

// 1. registration (8 clients) beside the floor's burst (32) and the floor's update-with-start (8)
const reg: Run[] = [];
const regFloorBurst: Run[] = [];
const regFloorStart: Run[] = [];
for (let r = 0; r < REG_ROUNDS; r++) {
  const steps = [
    async () => reg.push(await pooled(regPerRound, 8, register)),
    async () => regFloorBurst.push(await pooled(regPerRound, 32, floorUpdate)),
    async () => regFloorStart.push(await pooled(regPerRound, 8, floorStart)),
  ];
  for (let k = 0; k < steps.length; k++) await steps[(k + r) % steps.length]!();
}

// 2. latency at 4 clients, the column order rotated each round
const floorLat: Run[] = [];
const directLat: Run[] = [];
const apiLat: Run[] = [];
for (let r = 0; r < rounds; r++) {
  const steps = [
    async () => floorLat.push(await pooled(perRound, 4, floorUpdate)),
    async () => directLat.push(await pooled(perRound, 4, completeDirect)),
    async () => apiLat.push(await pooled(perRound, 4, completeApi)),
  ];
  for (let k = 0; k < steps.length; k++) await steps[(k + r) % steps.length]!();
}

// 3. throughput at 32 clients
const floorBurst: Run[] = [];
const directBurst: Run[] = [];
const apiBurst: Run[] = [];
const floorCpu = new Map<string, number>();
const directCpu = new Map<string, number>();
const apiCpu = new Map<string, number>();
for (let r = 0; r < BURST_ROUNDS; r++) {
  const n = Math.floor(burst / BURST_ROUNDS);
  const steps = [
    async () => floorBurst.push(await withCpu(floorCpu, () => pooled(n, 32, floorUpdate))),
    async () => directBurst.push(await withCpu(directCpu, () => pooled(n, 32, completeDirect))),
    async () => apiBurst.push(await withCpu(apiCpu, () => pooled(n, 32, completeApi))),
  ];
  for (let k = 0; k < steps.length; k++) await steps[(k + r) % steps.length]!();
}

floorWorker.shutdown();
await floorRunning;
await stack.stop();

const ms = (x: number) => `${x.toFixed(0).padStart(5)} ms`;
const x = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const floor = merge(floorLat);
const direct = merge(directLat);
const api = merge(apiLat);
console.log(
  `\nnpm run bench -- ${rounds} ${perRound} ${burst}: one embedded stack (Temporal dev server, PostgreSQL, worker and API in one process, payloads encrypted), 2-core machine` +
    (Object.keys(workerOptions).length ? `; worker ${JSON.stringify(workerOptions)}` : '') +
    (pgPoolMax ? `; PostgreSQL pool ${pgPoolMax}` : ''),
);
console.log(`\nlatency at 4 concurrent clients, ${rounds} interleaved rounds × ${perRound} per column`);
console.log(
  `  ${''.padEnd(6)} ${'floor (no-op)'.padStart(14)} ${'direct Update'.padStart(14)} ${'API'.padStart(10)}   API/floor`,
);
for (const p of [50, 95, 99]) {
  const [f, d, a] = [pct(floor.latencies, p), pct(direct.latencies, p), pct(api.latencies, p)];
  console.log(
    `  p${String(p).padEnd(5)} ${ms(f).padStart(14)} ${ms(d).padStart(14)} ${ms(a).padStart(10)}   ${x(a, f)}`,
  );
}
const perRoundRatio = apiLat.map((a, i) => pct(a.latencies, 50) / pct(floorLat[i]!.latencies, 50));
console.log(
  `  p50 ratio API/floor per round: ${perRoundRatio.map((r) => r.toFixed(2)).join(' ')} (goal for p99: ≤ 1.25×)`,
);

const fb = merge(floorBurst);
const db = merge(directBurst);
const ab = merge(apiBurst);
console.log(`\nthroughput at 32 concurrent clients, ${BURST_ROUNDS} interleaved rounds`);
console.log(`  floor no-op Updates        ${fb.latencies.length} at ${rate(fb).toFixed(1)}/s`);
console.log(
  `  direct complete-milestone  ${db.latencies.length} at ${rate(db).toFixed(1)}/s (${x(rate(db), rate(fb))})`,
);
console.log(`  API completions            ${ab.latencies.length} at ${rate(ab).toFixed(1)}/s`);
console.log(
  `  API/floor                  ${x(rate(ab), rate(fb))} (per round: ${apiBurst.map((a, i) => (rate(a) / rate(floorBurst[i]!)).toFixed(2)).join(' ')}; goal ≥ 0.8×)`,
);
console.log('  CPU per call (ms), by process:   floor  direct    API');
for (const name of new Set([...apiCpu.keys(), ...directCpu.keys(), ...floorCpu.keys()])) {
  const [f, d, a] = [
    (floorCpu.get(name) ?? 0) / fb.latencies.length,
    (directCpu.get(name) ?? 0) / db.latencies.length,
    (apiCpu.get(name) ?? 0) / ab.latencies.length,
  ];
  if (f + d + a >= 0.3)
    console.log(
      `    ${name.padEnd(30)} ${f.toFixed(1).padStart(5)}   ${d.toFixed(1).padStart(5)}  ${a.toFixed(1).padStart(5)}`,
    );
}

const rg = merge(reg);
const rfb = merge(regFloorBurst);
const rfs = merge(regFloorStart);
console.log(`\nregistration, ${REG_ROUNDS} interleaved rounds × ${regPerRound}`);
console.log(
  `  POST /api/stays at 8 clients          ${rate(rg).toFixed(1)}/s  p50 ${pct(rg.latencies, 50).toFixed(0)} ms  p99 ${pct(rg.latencies, 99).toFixed(0)} ms`,
);
console.log(`  floor no-op Updates at 32 clients     ${rate(rfb).toFixed(1)}/s`);
console.log(
  `  floor update-with-start at 8 clients  ${rate(rfs).toFixed(1)}/s  p50 ${pct(rfs.latencies, 50).toFixed(0)} ms`,
);
console.log(
  `  registration/floor burst              ${x(rate(rg), rate(rfb))} (per round: ${reg.map((a, i) => (rate(a) / rate(regFloorBurst[i]!)).toFixed(2)).join(' ')}; goal ≥ 0.5×)`,
);
console.log(`  registration/floor start              ${x(rate(rg), rate(rfs))}`);

const life = await measureLongStayHistory();
console.log(
  `\nhistory of one long, busy stay over its whole life (${life.description}): ${life.events} events in ${life.runs} run(s), ${(life.bytes / 1024).toFixed(0)} KiB (Temporal warns at 10,240 events)`,
);
