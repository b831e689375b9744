/**
 * Page load of the day's pages with N stays, in Debian's Chromium against the real API on the embedded stack: the
 * stay page (from navigation start until "Frister nå", the planned meetings, the contacts, consent and applications
 * and every milestone are on screen) and the inbox grouped by resident (until its first page of lines shows).
 * Prints figures; not a test.
 *   npm run bench:ui-day -- [stays=500] [loads=5]
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Page } from 'playwright-core';
import { UI_DIST_DIR } from '../api/plugins/app/ui-static';
import { addOffset, osloDate } from '../rules/oslo-calendar';
import { launchBrowser } from '../stack/chromium';
import { ensureUiBuilt } from '../ui/build';
import { startBenchStack } from './support/embedded-bench-stack';

const stays = Number(process.argv[2] ?? 500);
const loads = Number(process.argv[3] ?? 5);
const concurrency = 8;
const INST = 'inst-bench';
const BYDEL = 'bydel-frogner';

Runtime.install({ logger: new DefaultLogger('WARN') });
await ensureUiBuilt({ quiet: true });
const stack = await startBenchStack({
  name: 'stays-bench-day',
  taskQueue: 'bench-day',
  app: { ui: { root: UI_DIST_DIR } },
});
const { app, base } = stack;
const token = app.jwt.sign({ sub: 'bench', role: 'institution', org: INST });
const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
const browser = await launchBrowser();

async function call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, { method, headers: auth, body: body ? JSON.stringify(body) : undefined });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(page: Page, name: string, url: string, ready: (page: Page) => Promise<void>) {
  const times: number[] = [];
  for (let i = 0; i < loads; i++) {
    await page.goto('about:blank');
    await page.goto(url);
    await ready(page);
    // navigation start → everything named in `ready` is on screen
    times.push(Math.round(await page.evaluate<number>('performance.now()')));
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(
    `${name}: median ${median(times)} ms, best ${sorted[0]} ms, worst ${sorted.at(-1)} ms (first, cold cache: ${times[0]} ms)`,
  );
}

try {
  const today = osloDate(Date.now());
  const t0 = performance.now();
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < stays) {
        const i = next++;
        // admissions spread over the last ~8 months: a realistic mix of overdue, due-soon and later deadlines
        const stay = await call<{ id: string }>('POST', '/api/stays', {
          residentRef: `R-BENCH-${i}`,
          institutionId: INST,
          bydelId: BYDEL,
          admittedAt: addOffset(today, { days: -(i % 240) }),
        });
        ids[i] = stay.id;
      }
    }),
  );
  console.log(`registered ${stays} stays in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // the stay measured: five months in, with its people, a planned meeting, a consent and an application
  const stayId = ids[150]!;
  await call('PUT', `/api/stays/${stayId}/contacts`, {
    contacts: [
      { role: 'primary-contact', name: 'Kari Primær', organisationId: INST, phone: '+47 22 33 44 55' },
      { role: 'bydel-contact', name: 'Per Bydel', organisationId: BYDEL, email: 'per@bydel.test' },
    ],
  });
  await call('POST', `/api/stays/${stayId}/meetings`, {
    milestone: 'housing-meeting',
    plannedAt: `${addOffset(today, { days: 3 })}T10:00`,
  });
  await call('PUT', `/api/stays/${stayId}/consent`, {
    given: true,
    date: addOffset(today, { days: -100 }),
    validUntil: addOffset(today, { days: 80 }),
  });
  await call('POST', `/api/stays/${stayId}/applications`, { type: 'startlan', responsible: 'bydel', sentOn: today });
  const inbox = await call<{ total: number }>('GET', '/api/inbox?sort=resident&limit=1');
  console.log(`the institution's inbox: ${inbox.total} open or acknowledged deadlines`);

  const apiTimes = async (name: string, paths: string[]) => {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await Promise.all(paths.map((path) => call('GET', path)));
      times.push(Math.round(performance.now() - t));
    }
    console.log(`API alone, ${name}: median ${median(times)} ms (${times.join(' / ')})`);
  };
  await apiTimes(
    "the stay page's reads in parallel",
    ['', '/participation', '/applications', '/meetings', '/contacts'].map((p) => `/api/stays/${stayId}${p}`),
  );
  await apiTimes('the inbox, first page of 100 by resident', ['/api/inbox?sort=resident&limit=100']);
  await apiTimes('the inbox, newest first (before)', ['/api/inbox?limit=100']);

  const page = await browser.context.newPage();
  await page.goto(`${base}/logg-inn`);
  await page.evaluate(`sessionStorage.setItem('stays.token', ${JSON.stringify(token)})`);
  const stay = await call<{ milestones: { key: string }[] }>('GET', `/api/stays/${stayId}`);
  await measure(page, `stay page (${stay.milestones.length} milestones)`, `${base}/opphold/${stayId}`, async (p) => {
    await p.locator('[data-testid="due-now"] [data-due]').first().waitFor({ timeout: 60_000 });
    await p.locator('[data-testid="planned-meetings"] [data-meeting]').first().waitFor({ timeout: 60_000 });
    await p.locator('[data-testid="contacts"] [data-contact]').first().waitFor({ timeout: 60_000 });
    await p.locator('[data-testid="participation"]').waitFor({ timeout: 60_000 });
    await p.locator('[data-testid="applications"] [data-application]').first().waitFor({ timeout: 60_000 });
    await p.locator(`[data-milestone="${stay.milestones.at(-1)!.key}"]`).waitFor({ timeout: 60_000 });
  });
  const firstPage = Math.min(100, inbox.total);
  await measure(page, `inbox, first page of ${firstPage} lines grouped by resident`, `${base}/innboks`, async (p) => {
    await p.locator(`[data-escalation] >> nth=${firstPage - 1}`).waitFor({ timeout: 60_000 });
  });
  await measure(page, 'inbox, last page', `${base}/innboks?side=${Math.ceil(inbox.total / 100)}`, async (p) => {
    await p.locator('[data-testid="inbox-summary"]').waitFor({ timeout: 60_000 });
    await p.locator('[data-escalation]').first().waitFor({ timeout: 60_000 });
  });
} finally {
  await browser.close();
  await stack.stop();
}
