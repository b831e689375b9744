/**
 * Latency of the API's commands on the embedded stack: registering a stay and completing a milestone
 * (HTTP → Temporal Update → validator → workflow → read-model activity → answer). Prints figures; not a test.
 *   npm run bench -- [stays=100] [concurrency=4]
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { addOffset, osloDate } from '../rules/oslo-calendar';
import { percentile as pct, startBenchStack } from './support/embedded-bench-stack';

const stays = Number(process.argv[2] ?? 100);
const concurrency = Number(process.argv[3] ?? 4);

Runtime.install({ logger: new DefaultLogger('WARN') });
const stack = await startBenchStack({ name: 'stays-bench', taskQueue: 'bench' });
const { app, base } = stack;
const headers = {
  authorization: `Bearer ${app.jwt.sign({ sub: 'bench', role: 'institution', org: 'inst-bench' })}`,
  'content-type': 'application/json',
};

async function timed(url: string, body: unknown, expected: number): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${base}${url}`, { method: 'POST', headers, body: JSON.stringify(body) });
  const ms = performance.now() - t0;
  if (res.status !== expected) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
  return ms;
}

async function pooled<T>(n: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await fn(i);
      }
    }),
  );
  return out;
}

const line = (name: string, xs: number[], wallMs: number) =>
  console.log(
    `${name.padEnd(26)} n=${String(xs.length).padEnd(5)} p50=${pct(xs, 50).toFixed(1)}ms  p95=${pct(xs, 95).toFixed(1)}ms  p99=${pct(xs, 99).toFixed(1)}ms  max=${Math.max(...xs).toFixed(1)}ms  throughput=${((xs.length / wallMs) * 1000).toFixed(1)}/s`,
  );

const today = osloDate(Date.now());
const admittedAt = addOffset(today, { days: -10 });
const ids: string[] = [];
// warm-up (first workflow task, JIT)
await timed(
  '/api/stays',
  { residentRef: 'R-WARM', institutionId: 'inst-bench', bydelId: 'bydel-bench', admittedAt },
  201,
);

let t = performance.now();
const reg = await pooled(stays, async (i) => {
  const t0 = performance.now();
  const res = await fetch(`${base}/api/stays`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ residentRef: `R-B-${i}`, institutionId: 'inst-bench', bydelId: 'bydel-bench', admittedAt }),
  });
  const ms = performance.now() - t0;
  if (res.status !== 201) throw new Error(`register: ${res.status}`);
  ids[i] = ((await res.json()) as { id: string }).id;
  return ms;
});
const regWall = performance.now() - t;

const mapping = {
  needsHelpObtainingHousing: true,
  followUpNeed: 'booppfolging',
  financesMapped: true,
  otherFactorsMapped: true,
  individualPlan: 'exists',
};
t = performance.now();
const completions = (
  await pooled(stays, async (i) => [
    await timed(`/api/stays/${ids[i]}/milestones/plan-started`, { doneAt: today }, 200),
    await timed(`/api/stays/${ids[i]}/milestones/housing-mapping`, { doneAt: today, ...mapping }, 200),
  ])
).flat();
const compWall = performance.now() - t;

t = performance.now();
const refusals = await pooled(stays, (i) =>
  timed(`/api/stays/${ids[i]}/milestones/plan-started`, { doneAt: today }, 409),
);
const refWall = performance.now() - t;

console.log(`embedded stack, ${stays} stays, ${concurrency} concurrent clients, 2-core machine`);
line('register stay (201)', reg, regWall);
line('complete milestone (200)', completions, compWall);
line('refused completion (409)', refusals, refWall);

await stack.stop();
