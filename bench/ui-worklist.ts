/**
 * Page load of the worklist ("Mine opphold") with N stays, in Debian's Chromium against the real API on the
 * embedded stack: from navigation start until the table shows every stay, sorted. Prints figures; not a test.
 *   npm run bench:ui -- [stays=500] [loads=5]
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { UI_DIST_DIR } from '../api/plugins/app/ui-static';
import { addOffset, osloDate } from '../rules/oslo-calendar';
import { launchBrowser } from '../stack/chromium';
import { ensureUiBuilt } from '../ui/build';
import { startBenchStack } from './support/embedded-bench-stack';

const stays = Number(process.argv[2] ?? 500);
const loads = Number(process.argv[3] ?? 5);
const concurrency = 8;
const INST = 'inst-bench';

Runtime.install({ logger: new DefaultLogger('WARN') });
await ensureUiBuilt({ quiet: true });
const stack = await startBenchStack({
  name: 'stays-bench-ui',
  taskQueue: 'bench-ui',
  app: { ui: { root: UI_DIST_DIR } },
});
const { app, base } = stack;
const token = app.jwt.sign({ sub: 'bench', role: 'institution', org: INST });
const browser = await launchBrowser();

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
            bydelId: 'bydel-frogner',
            admittedAt: addOffset(today, { days: -(i % 240) }),
          }),
        });
        if (res.status !== 201) throw new Error(`register ${i}: ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
      }
    }),
  );
  console.log(`registered ${stays} stays in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const apiTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    for (let offset = 0; offset < stays; offset += 200) {
      const res = await fetch(`${base}/api/stays?status=active&limit=200&offset=${offset}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      await res.arrayBuffer();
    }
    apiTimes.push(Math.round(performance.now() - t));
  }
  console.log(`API alone, all ${stays} stays in pages of 200: ${apiTimes.join(' / ')} ms`);

  const page = await browser.context.newPage();
  await page.goto(`${base}/logg-inn`);
  // Strings, not functions: they run in the page, whose DOM types the server-side tsconfig does not load.
  await page.evaluate(`sessionStorage.setItem('stays.token', ${JSON.stringify(token)})`);
  const times: number[] = [];
  for (let i = 0; i < loads; i++) {
    await page.goto('about:blank');
    const started = Date.now();
    await page.goto(`${base}/opphold`);
    // a locator, not waitForFunction: the app's Content Security Policy forbids the eval that a string predicate needs
    await page.locator(`[data-testid="worklist"] tbody tr:nth-child(${stays})`).waitFor({ timeout: 60_000 });
    const wall = Date.now() - started;
    const nav = await page.evaluate<number>('performance.now()');
    times.push(Math.round(nav));
    console.log(
      `load ${i + 1}${i === 0 ? ' (cold cache)' : ''}: ${Math.round(nav)} ms from navigation start to ${stays} rows (${wall} ms wall clock)`,
    );
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(
    `worklist with ${stays} stays: median ${sorted[Math.floor(sorted.length / 2)]} ms, best ${sorted[0]} ms, worst ${sorted.at(-1)} ms`,
  );
} finally {
  await browser.close();
  await stack.stop();
}
