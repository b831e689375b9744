import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadModelActivities } from '../../../activities/read-model/sync-stay';
import type { Caller } from '../../../api/plugins/app/auth';
import { createInbox } from '../../../api/plugins/app/inbox';
import { createStayReadModel } from '../../../api/plugins/app/read-model';
import { EscalationQuery } from '../../../schemas/escalations';
import { InboxQuery } from '../../../schemas/inbox';
import { StayListQuery } from '../../../schemas/stays';
import type { EscalationKind, ReadModelSync } from '../../../workflows/stay/types';
import { testPool } from '../../support/database';
import { type Driver, type Life, life, live } from '../../support/stay-lives';

/**
 * What a coordinator sees agrees with the stay's workflow: random stay lives (test/support/stay-lives.ts, the lives of
 * the no-false-alarms property test) are written workflow task by workflow task through the real read-model sync
 * activity into PostgreSQL, and after each task the API's own reads — the inbox (`GET /api/inbox`), the worklist
 * (`GET /api/stays`) and the escalations (`GET /api/escalations`) — are compared with the pure state the workflow holds:
 * - the inbox's open alarms (per milestone, due date and level) are the state's open escalations: an alarm is open while
 *   its milestone is open, applies and still has that due date, and the stay is not completed; nothing resolved shows
 *   as open, each deadline is one item, and each party's inbox holds the open alarms addressed to it;
 * - every escalation the workflow raised appears once in the escalations list, and nothing else;
 * - the worklist shows the stay's status, its next deadline (the earliest open due date, its milestone), and counts it
 *   overdue exactly when its inbox has an open alarm past the due date (overdue or second level);
 * - Temporal runs the write at least once: a retry of the same write (with the same or fresh escalation ids, as after a
 *   continue-as-new) and a late write of an older revision change nothing any of these reads return.
 */

const RUNS = Number(process.env.PROPERTY_RUNS ?? 12);
const SEED = process.env.PROPERTY_SEED === 'random' ? {} : { seed: Number(process.env.PROPERTY_SEED ?? 20_261_130) };

const LEVEL_RANK: Record<EscalationKind, number> = { reminder: 1, overdue: 2, 'second-level': 3 };
const ADMIN: Caller = { sub: 'prop-admin', role: 'admin', name: 'Prop Admin' } as Caller;

/** One workflow task: the writes it made, and what the pure state says the users must see after them. */
type Task = { now: number; syncs: ReadModelSync[]; expected: Expected; explain: string };

type Alarm = { milestone: string; dueDate: string; level: EscalationKind; recipient: string };

type Expected = {
  status: string;
  institutionId: string;
  bydelId: string;
  nextDueDate: string | null;
  nextMilestone: string | null;
  open: Alarm[];
  escalations: string[];
};

const byKey = (a: { milestone: string; dueDate: string }, b: { milestone: string; dueDate: string }) =>
  a.milestone.localeCompare(b.milestone) || a.dueDate.localeCompare(b.dueDate);

/** What the pure state says after a workflow task (StayState, not its projection). */
function expectedOf(d: Driver): Expected {
  const s = d.state.stay;
  const open = s.milestones.filter((m) => m.openedOn && m.applicable && !m.doneAt && m.dueDate);
  // the first open deadline; the rule table's order breaks ties
  const next = open.reduce<(typeof open)[number] | null>(
    (first, m) => (!first || m.dueDate! < first.dueDate! ? m : first),
    null,
  );
  const alarms = new Map<string, Alarm>();
  for (const e of d.raised) {
    const key = `${e.milestone}|${e.dueDate}`;
    const was = alarms.get(key);
    if (!was || LEVEL_RANK[e.kind] > LEVEL_RANK[was.level])
      alarms.set(key, { milestone: e.milestone, dueDate: e.dueDate, level: e.kind, recipient: e.recipient });
  }
  const stillOpen = [...alarms.values()].filter(
    (a) => s.status !== 'completed' && open.some((m) => m.key === a.milestone && m.dueDate === a.dueDate),
  );
  return {
    status: s.status,
    institutionId: s.institutionId,
    bydelId: s.bydelId,
    nextDueDate: next?.dueDate ?? null,
    nextMilestone: next?.key ?? null,
    open: stillOpen.sort(byKey),
    escalations: d.raised.map((e) => `${e.milestone}|${e.kind}|${e.dueDate}`).sort(),
  };
}

/** A small deterministic generator for the delivery's faults (retries, late writes), from a seed fast-check draws. */
function faults(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

let pool: Pool;
beforeAll(() => {
  pool = testPool();
});
afterAll(() => pool.end());

/** Everything the users read of one stay at `now`, through the API's repositories. */
async function reads(stayId: string, residentRef: string, now: number, e: Expected) {
  const readModel = createStayReadModel(pool, () => now);
  const inbox = createInbox(pool);
  const query = InboxQuery.parse({ stayId, state: 'open,acknowledged,resolved', sort: 'resident', limit: '200' });
  const institution = { sub: 'prop-inst', role: 'institution', org: e.institutionId } as Caller;
  const bydel = { sub: 'prop-bydel', role: 'bydel', org: e.bydelId } as Caller;
  const [all, ofInstitution, ofBydel, escalations, list] = await Promise.all([
    inbox.list(ADMIN, query),
    inbox.list(institution, { ...query, state: ['open'] }),
    inbox.list(bydel, { ...query, state: ['open'] }),
    readModel.listEscalations({}, EscalationQuery.parse({ stayId, limit: '200' })),
    readModel.listStays({}, StayListQuery.parse({ sort: 'next-deadline', search: residentRef, limit: '50' })),
  ]);
  const strip = (items: typeof all.items) =>
    items.map((i) => ({ milestone: i.milestone, dueDate: i.dueDate, level: i.level, state: i.state })).sort(byKey);
  return {
    inbox: strip(all.items),
    inboxTotal: all.total,
    counts: all.counts,
    institution: strip(ofInstitution.items),
    bydel: strip(ofBydel.items),
    escalations: escalations.items.map((x) => `${x.milestone}|${x.kind}|${x.dueDate}`).sort(),
    escalationsTotal: escalations.total,
    worklist: list.items.map((s) => ({
      status: s.status,
      nextDueDate: s.nextDueDate,
      nextMilestone: s.nextMilestone,
      overdueCount: s.overdueCount,
      bydelId: s.bydelId,
    })),
    worklistCounts: list.counts,
  };
}

async function check(life: Life, seed: number): Promise<void> {
  const stayId = randomUUID();
  const residentRef = `R-PROP-${stayId.slice(0, 8)}`;
  const tasks: Task[] = [];
  live(life, {
    stayId,
    residentRef,
    newId: randomUUID,
    onTask: (d, syncs) =>
      tasks.push({ now: d.now, syncs: structuredClone(syncs), expected: expectedOf(d), explain: d.explain() }),
  });
  const { syncStayReadModel } = createReadModelActivities(pool);
  const random = faults(seed);
  const delivered: ReadModelSync[] = [];
  for (const [n, task] of tasks.entries()) {
    for (const sync of task.syncs) {
      await syncStayReadModel(sync);
      // a local activity retried (its result lost), or run again by a new run after a continue-as-new or a reset:
      // the same revision, the same outbox, possibly fresh escalation ids
      if (random() < 0.2) await syncStayReadModel(sync);
      if (random() < 0.1)
        await syncStayReadModel({ ...sync, escalations: sync.escalations.map((x) => ({ ...x, id: randomUUID() })) });
      delivered.push(sync);
    }
    if (task.syncs.length === 0 && n > 0 && random() > 0.3) continue;
    const e = task.expected;
    const at = `after workflow task ${n} at ${new Date(task.now).toISOString()}\n${task.explain}`;
    const seen = await reads(stayId, residentRef, task.now, e);
    if (process.env.PROPERTY_STATS)
      STATS.push({ open: e.open.length, resolved: seen.counts.resolved, status: e.status, stale: 0 });
    const openAlarms = seen.inbox.filter((i) => i.state !== 'resolved');
    expect(
      openAlarms.map(({ milestone, dueDate, level }) => ({ milestone, dueDate, level })),
      `the inbox's open alarms ${at}`,
    ).toEqual(e.open.map(({ milestone, dueDate, level }) => ({ milestone, dueDate, level })));
    const deadlines = seen.inbox.map((i) => `${i.milestone}|${i.dueDate}`);
    expect(new Set(deadlines).size, `one inbox item per deadline ${at}`).toBe(deadlines.length);
    expect(seen.inboxTotal, 'the inbox lists every item of the stay').toBe(seen.inbox.length);
    expect(seen.counts.open + seen.counts.acknowledged, `the inbox's open count ${at}`).toBe(e.open.length);
    const to = (party: string) =>
      e.open
        .filter((a) => a.recipient === party || a.recipient === 'both')
        .map(({ milestone, dueDate, level }) => ({ milestone, dueDate, level, state: 'open' }));
    expect(seen.institution, `the institution's inbox ${at}`).toEqual(to('institution'));
    expect(seen.bydel, `the bydel's inbox (${e.bydelId}) ${at}`).toEqual(to('bydel'));
    expect(seen.escalations, `the escalations list ${at}`).toEqual(e.escalations);
    expect(seen.escalationsTotal).toBe(e.escalations.length);
    const overdue = e.open.filter((a) => a.level !== 'reminder').length;
    expect(seen.worklist, `the worklist ${at}`).toEqual([
      {
        status: e.status,
        nextDueDate: e.nextDueDate,
        nextMilestone: e.nextMilestone,
        overdueCount: overdue,
        bydelId: e.bydelId,
      },
    ]);
    expect(seen.worklistCounts.overdue, `the worklist's overdue count ${at}`).toBe(overdue > 0 ? 1 : 0);
    // a late write of an older revision (an activity that timed out and ran after all), and a retry: nothing changes
    if (delivered.length > 1 && random() < 0.5) {
      const stale = delivered[Math.floor(random() * (delivered.length - 1))]!;
      await syncStayReadModel(stale);
      if (random() < 0.5)
        await syncStayReadModel({ ...stale, escalations: stale.escalations.map((x) => ({ ...x, id: randomUUID() })) });
      expect(
        await reads(stayId, residentRef, task.now, e),
        `a late write of revision ${stale.stay.revision} ${at}`,
      ).toEqual(seen);
    }
  }
}

const STATS: { open: number; resolved: number; status: string; stale: number }[] = [];
afterAll(() => {
  if (!process.env.PROPERTY_STATS) return;
  const sum = (f: (s: (typeof STATS)[number]) => number) => STATS.reduce((n, s) => n + f(s), 0);
  console.log({
    checked: STATS.length,
    open: sum((s) => s.open),
    resolved: sum((s) => s.resolved),
    completed: sum((s) => +(s.status === 'completed')),
  });
});

describe('what the users read agrees with the stay (random stay lives through the read model)', () => {
  it(
    'keeps the inbox, the worklist and the escalations equal to the workflow state after every workflow task',
    async () => {
      await fc.assert(
        fc.asyncProperty(life, fc.integer(), (l, seed) => check(l, seed)),
        { numRuns: RUNS, ...SEED },
      );
      // a longer search (PROPERTY_RUNS) takes about a second a life on a busy machine
    },
    Math.max(120_000, RUNS * 2_000),
  );
});
