/**
 * The worklist ("Mine opphold") with N stays at one institution, on the embedded stack: in Debian's Chromium, from
 * navigation start until the first page of the table shows (its rows and the count of all); the next page after
 * "Neste side"; and, apart from the browser, the API's first page — the page's own request — at the same size, with
 * the plans of its two queries (EXPLAIN ANALYZE) for each order the page offers. Prints figures; not a test.
 *   npm run bench:ui -- [stays=500] [loads=5]
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type pg from 'pg';
import { UI_DIST_DIR } from '../api/plugins/app/ui-static';
import { createStayReadModel } from '../api/plugins/app/read-model';
import { addOffset, osloDate } from '../rules/oslo-calendar';
import { StaySort } from '../schemas/stays';
import { launchBrowser } from '../stack/chromium';
import { ensureUiBuilt } from '../ui/build';
import { BENCH_BYDEL, percentile, startBenchStack } from './support/embedded-bench-stack';

const stays = Number(process.argv[2] ?? 500);
const loads = Number(process.argv[3] ?? 5);
const concurrency = 8;
const apiRounds = 20;
const INST = 'inst-bench';
/** The worklist's page (WORKLIST_PAGE_SIZE in ui/src/pages/worklist.tsx, which needs a browser to import). */
const WORKLIST_PAGE_SIZE = 50;

Runtime.install({ logger: new DefaultLogger('WARN') });
await ensureUiBuilt({ quiet: true });
const stack = await startBenchStack({
  name: 'stays-bench-ui',
  taskQueue: 'bench-ui',
  app: { ui: { root: UI_DIST_DIR } },
});
const { app, base, pool } = stack;
const token = app.jwt.sign({ sub: 'bench', role: 'institution', org: INST });
const browser = await launchBrowser();
const median = (xs: number[]) => percentile(xs, 50);

try {
  const today = osloDate(Date.now());
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < stays) {
        const i = next++;
        const res = await fetch(`${base}/api/stays`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          // Admissions spread over the last ~8 months: a realistic mix of overdue, due-soon and later deadlines.
          body: JSON.stringify({
            residentRef: `R-BENCH-${i}`,
            institutionId: INST,
            bydelId: BENCH_BYDEL,
            admittedAt: addOffset(today, { days: -(i % 240) }),
          }),
        });
        if (res.status !== 201) throw new Error(`register ${i}: ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
      }
    }),
  );
  console.log(`registered ${stays} stays in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // The API alone: the first page as the worklist asks for it (active stays, 50), in each order, interleaved so that
  // a neighbour's load moves them alike; and the last page of the default order.
  const sorts = StaySort.options;
  const lastOffset = Math.max(0, Math.floor((stays - 1) / WORKLIST_PAGE_SIZE) * WORKLIST_PAGE_SIZE);
  const requests = [
    ...sorts.map((sort) => ({ name: `first page, sort=${sort}`, query: `sort=${sort}&offset=0` })),
    { name: 'last page, sort=next-deadline', query: `sort=next-deadline&offset=${lastOffset}` },
  ];
  const apiTimes = new Map(requests.map((r) => [r.name, [] as number[]]));
  for (let round = 0; round < apiRounds; round++) {
    for (const r of round % 2 === 0 ? requests : [...requests].reverse()) {
      const t = performance.now();
      const res = await fetch(`${base}/api/stays?status=active&limit=${WORKLIST_PAGE_SIZE}&${r.query}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (res.status !== 200) throw new Error(`${r.name}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
      apiTimes.get(r.name)!.push(performance.now() - t);
    }
  }
  console.log(
    `\nAPI, GET /api/stays?status=active&limit=${WORKLIST_PAGE_SIZE} with ${stays} stays, ${apiRounds} calls each:`,
  );
  for (const [name, times] of apiTimes)
    console.log(
      `  ${name}: p50 ${median(times).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms, best ${Math.min(...times).toFixed(1)} ms`,
    );

  // the read model's two queries (counts, page) as the API sends them, explained
  for (const sort of sorts) {
    const captured: { text: string; values: unknown[] }[] = [];
    const capturing = {
      query: (text: string, values: unknown[]) => {
        captured.push({ text, values });
        return pool.query(text, values);
      },
    } as unknown as pg.Pool;
    await createStayReadModel(capturing).listStays(
      { institutionId: INST },
      { status: 'active', sort, limit: WORKLIST_PAGE_SIZE, offset: 0 },
    );
    for (const [i, q] of captured.entries()) {
      const plan = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${q.text}`, q.values);
      const lines = plan.rows.map((row) => row['QUERY PLAN']);
      const what = i === 0 ? 'counts' : 'page';
      // the default order in full; the others by their execution time
      if (sort === 'next-deadline')
        console.log(`\nEXPLAIN ANALYZE, sort=${sort}, ${what}:\n    ${lines.join('\n    ')}`);
      else
        console.log(`\nEXPLAIN ANALYZE, sort=${sort}, ${what}: ${lines.find((l) => l.startsWith('Execution Time'))}`);
    }
  }

  const page = await browser.context.newPage();
  await page.goto(`${base}/logg-inn`);
  // Strings, not functions: they run in the page, whose DOM types the server-side tsconfig does not load.
  await page.evaluate(`sessionStorage.setItem('stays.token', ${JSON.stringify(token)})`);
  const firstRows = Math.min(stays, WORKLIST_PAGE_SIZE);
  const times: number[] = [];
  const nextTimes: number[] = [];
  console.log('');
  for (let i = 0; i < loads; i++) {
    await page.goto('about:blank');
    const started = Date.now();
    await page.goto(`${base}/opphold`);
    // a locator, not waitForFunction: the app's Content Security Policy forbids the eval that a string predicate needs
    await page.locator(`[data-testid="worklist"][data-page="1"] tbody tr:nth-child(${firstRows})`).waitFor({
      timeout: 60_000,
    });
    const nav = await page.evaluate<number>('performance.now()');
    const wall = Date.now() - started;
    times.push(Math.round(nav));
    let nextPage = '';
    if (stays > WORKLIST_PAGE_SIZE) {
      const t = performance.now();
      await page.getByRole('link', { name: 'Neste side' }).click();
      await page.locator('[data-testid="worklist"][data-page="2"][aria-busy="false"]').waitFor({ timeout: 60_000 });
      nextTimes.push(Math.round(performance.now() - t));
      nextPage = `; "Neste side" → page 2 shown in ${nextTimes.at(-1)} ms`;
    }
    console.log(
      `load ${i + 1}${i === 0 ? ' (cold cache)' : ''}: ${Math.round(nav)} ms from navigation start to the first ${firstRows} rows (${wall} ms wall clock)${nextPage}`,
    );
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(
    `\nworklist with ${stays} stays, first page of ${WORKLIST_PAGE_SIZE}: median ${median(times)} ms, best ${sorted[0]} ms, worst ${sorted.at(-1)} ms` +
      (nextTimes.length ? `; next page median ${median(nextTimes)} ms` : ''),
  );
  console.log(
    `API first page (sort=next-deadline, as the page asks): p50 ${median(apiTimes.get('first page, sort=next-deadline')!).toFixed(1)} ms`,
  );
} finally {
  await browser.close();
  await stack.stop();
}
