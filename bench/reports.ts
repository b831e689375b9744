/**
 * The reports at the scale of years: seeds N stays (default 50,000) admitted over the last 5 years straight into the
 * read model of an embedded PostgreSQL (SQL, generate_series; no Temporal), then times the compliance report (each
 * groupBy), its drill-down and the outcome report for 1 and 5 years through the API (app.inject), and prints
 * EXPLAIN ANALYZE of the main queries. Prints figures; not a test.
 *   npm run bench:reports -- [stays=50000] [runs=15]
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { buildApp } from '../api/app';
import { complianceReportQuery } from '../api/repositories/compliance-report';
import { outcomeReportQuery } from '../api/repositories/outcome-report';
import { createPool } from '../config/database';
import { runMigrations } from '../migrations/run';
import { DEFAULT_INTERPRETATIONS } from '../rules/interpretations';
import { addOffset, osloDate } from '../rules/oslo-calendar';
import { startEmbeddedPostgres } from '../stack/embedded-postgres';
import { percentile } from './support/embedded-bench-stack';
import { seedReportReadModel } from './support/seed-report-read-model';

const stays = Number(process.argv[2] ?? 50_000);
const runs = Number(process.argv[3] ?? 15);
const WARM_UP = 2;

const dir = mkdtempSync(join(tmpdir(), 'stays-bench-reports-'));
chmodSync(dir, 0o755);
const pg = await startEmbeddedPostgres({
  dataDir: join(dir, 'pg'),
  port: 0,
  user: 'bench',
  password: 'bench',
  database: 'bench',
});
const pool = createPool(pg.url, 10);
// the server is stopped at the end: idle connections ending then are expected
pool.on('error', () => {});
// The reports never call Temporal: a lazy client that is never connected.
const app = await buildApp({
  client: new Client(),
  pool,
  namespace: 'default',
  taskQueue: 'bench-reports',
  jwtSecret: 'bench-secret-bench-secret-bench',
  requestTimeoutMs: 30_000,
  interpretations: DEFAULT_INTERPRETATIONS,
  rateLimitPerMinute: 1_000_000,
});

try {
  await runMigrations(pg.url);
  const today = osloDate(Date.now());
  const t0 = performance.now();
  await seedReportReadModel(pool, stays, today);
  const counts = await pool.query<{ stays: number; milestones: number; deadlines: number; size: string }>(
    `SELECT (SELECT count(*) FROM stays)::int AS stays, (SELECT count(*) FROM stay_milestones)::int AS milestones,
            (SELECT count(*) FROM stay_milestones WHERE escalates)::int AS deadlines,
            pg_size_pretty(pg_total_relation_size('stays') + pg_total_relation_size('stay_milestones')) AS size`,
  );
  const c = counts.rows[0]!;
  console.log(
    `seeded ${c.stays} stays, ${c.milestones} milestone rows (${c.deadlines} deadlines), ${c.size}, in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const admin = { authorization: `Bearer ${app.jwt.sign({ sub: 'bench', role: 'admin' })}` };
  const institution = {
    authorization: `Bearer ${app.jwt.sign({ sub: 'bench', role: 'institution', org: 'inst-bench-07' })}`,
  };
  const periods = { '1 year': addOffset(today, { months: -12 }), '5 years': addOffset(today, { months: -60 }) };

  // Wall time through the API depends on what else runs on this shared machine; the CPU time the database backend
  // spends on a query (one process: no parallel workers) does not, so both are printed.
  const cpu = await pool.connect();
  await cpu.query("SET max_parallel_workers_per_gather = 0; SET work_mem = '64MB'");
  const backendPid = (await cpu.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  const cpuTicks = () => {
    const fields = readFileSync(`/proc/${backendPid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (1/100 s)
  };
  async function cpuMs(query: { text: string; values: unknown[] }): Promise<number> {
    await cpu.query(query);
    const before = cpuTicks();
    const n = Math.max(3, Math.ceil(runs / 3));
    for (let i = 0; i < n; i++) await cpu.query(query);
    return ((cpuTicks() - before) * 10) / n;
  }

  async function time(
    label: string,
    url: string,
    headers: Record<string, string>,
    query?: { text: string; values: unknown[] },
  ) {
    const times: number[] = [];
    for (let i = 0; i < WARM_UP + runs; i++) {
      const t = performance.now();
      const res = await app.inject({ method: 'GET', url, headers });
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      if (i >= WARM_UP) times.push(performance.now() - t);
    }
    const ms = (p: number) => `${percentile(times, p).toFixed(0).padStart(5)} ms`;
    const db = query ? `  db CPU ${(await cpuMs(query)).toFixed(0).padStart(4)} ms` : '';
    console.log(`${label.padEnd(50)} p50 ${ms(50)}  p95 ${ms(95)}${db}`);
    return percentile(times, 50);
  }

  const p50s: number[] = [];
  console.log(
    `load average before: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (${cpus().length} cores)`,
  );
  for (const [name, from] of Object.entries(periods)) {
    console.log(`\n— ${name} (${from} … ${today}), ${runs} runs each after ${WARM_UP} warm-up —`);
    const q = `from=${from}&to=${today}`;
    const period = { from, to: today };
    for (const groupBy of ['milestone', 'institution', 'bydel', 'month'] as const)
      p50s.push(
        await time(
          `compliance groupBy=${groupBy} (admin)`,
          `/api/reports/compliance?${q}&groupBy=${groupBy}`,
          admin,
          complianceReportQuery({}, groupBy, period),
        ),
      );
    p50s.push(
      await time(
        'compliance groupBy=milestone (one institution)',
        `/api/reports/compliance?${q}`,
        institution,
        complianceReportQuery({ institutionId: 'inst-bench-07' }, 'milestone', period),
      ),
    );
    p50s.push(
      await time('compliance.csv groupBy=month (admin)', `/api/reports/compliance.csv?${q}&groupBy=month`, admin),
    );
    p50s.push(
      await time(
        'drill-down: late first meetings, 100 (admin)',
        `/api/reports/compliance/stays?${q}&groupBy=milestone&key=first-meeting&outcome=late`,
        admin,
      ),
    );
    for (const groupBy of ['institution', 'bydel', 'month'] as const)
      p50s.push(
        await time(
          `outcomes groupBy=${groupBy} (admin)`,
          `/api/reports/outcomes?${q}&groupBy=${groupBy}`,
          admin,
          outcomeReportQuery({}, groupBy, period),
        ),
      );
  }
  cpu.release();
  console.log(`\nslowest p50: ${Math.max(...p50s).toFixed(0)} ms (goal ≤ 500 ms)`);
  console.log(
    `load average after: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );

  const from = periods['5 years'];
  for (const [title, query] of [
    ['compliance, 5 years, groupBy=milestone, admin', complianceReportQuery({}, 'milestone', { from, to: today })],
    ['outcomes, 5 years, groupBy=institution, admin', outcomeReportQuery({}, 'institution', { from, to: today })],
  ] as const) {
    const client = await pool.connect();
    await client.query("BEGIN; SET LOCAL work_mem = '64MB'");
    const plan = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${query.text}`, query.values);
    await client.query('COMMIT');
    client.release();
    console.log(`\nEXPLAIN ANALYZE — ${title}`);
    for (const row of plan.rows) console.log(`  ${row['QUERY PLAN']}`);
  }
} finally {
  await app.close();
  await pool.end();
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}
