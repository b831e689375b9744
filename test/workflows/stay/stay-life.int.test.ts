import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExitPlan } from '../../../rules/exit-plan';
import { addOffset, osloDate } from '../../../rules/oslo-calendar';
import {
  agreeDeviationUpdate,
  completeMilestoneUpdate,
  recordEventUpdate,
  staySnapshotQuery,
  updateExitPlanUpdate,
} from '../../../workflows/stay/definitions';
import type { Actor, StayEvent } from '../../../workflows/stay/types';
import { eventually } from '../../support/eventually';
import { startStay } from '../../support/stay-start';
import { startTimeSkippingStack } from '../../support/time-skipping-stack';

const inst: Actor = { sub: 'inst-user', role: 'institution', org: 'inst-life' };
const bydel: Actor = { sub: 'bydel-user', role: 'bydel', org: 'bydel-life' };

let env: TestWorkflowEnvironment;
let pool: Pool;
let taskQueue: string;
let stack: Awaited<ReturnType<typeof startTimeSkippingStack>>;

beforeAll(async () => {
  stack = await startTimeSkippingStack('life');
  ({ env, pool, taskQueue } = stack);
});

afterAll(() => stack?.stop());

const today = async () => osloDate(await env.currentTimeMs());

const PLAN: ExitPlan = {
  parts: {
    'contact-persons': { responsible: 'bydel', status: 'done' },
    'tasks-before-moving-in': { responsible: 'resident', status: 'in-progress' },
    'chores-in-the-home': { responsible: 'bydel', status: 'not-started' },
    finances: { responsible: 'bydel', status: 'in-progress' },
    neighbourhood: { responsible: 'resident', status: 'not-started' },
    'activities-and-contact': { responsible: 'institution', status: 'in-progress' },
    'substance-use-management': { responsible: 'institution', status: 'in-progress' },
    'transition-agreement': { responsible: 'institution', status: 'done' },
  },
  contingencyPlanConsidered: true,
};

async function start(bydelId = 'bydel-life') {
  const { stayId, handle } = await startStay(env, taskQueue, {
    residentRef: 'R-LIFE',
    institutionId: 'inst-life',
    bydelId,
    actor: inst,
  });
  const done = (key: string, actor: Actor = inst, details?: Record<string, unknown>) =>
    today().then((doneAt) =>
      handle.executeUpdate(completeMilestoneUpdate, { args: [{ key, doneAt, details, actor }] }),
    );
  const event = (e: StayEvent, actor: Actor = bydel) =>
    handle.executeUpdate(recordEventUpdate, { args: [{ event: e, actor }] });
  const stay = () => handle.query(staySnapshotQuery);
  return { stayId, handle, done, event, stay };
}

/** Escalations of the given kinds, by milestone (the ladder as a whole has a test of its own). */
async function escalations(stayId: string, kinds = ['overdue']) {
  const { rows } = await pool.query<{
    milestone: string;
    kind: string;
    due_date: string;
    recipient_role: string;
    bydel_id: string;
  }>(
    'SELECT milestone, kind, due_date, recipient_role, bydel_id FROM escalations WHERE stay_id = $1 AND kind = ANY($2) ORDER BY milestone, kind',
    [stayId, kinds],
  );
  return rows;
}

async function readModel(stayId: string) {
  const stay = (await pool.query('SELECT status, convener, bydel_id, transition FROM stays WHERE id = $1', [stayId]))
    .rows[0];
  const milestones = (
    await pool.query(
      'SELECT key, due_date, original_due_date, done_at, applicable, responsible, closed_by FROM stay_milestones WHERE stay_id = $1',
      [stayId],
    )
  ).rows;
  return { stay, m: Object.fromEntries(milestones.map((r) => [r.key, r])) };
}

describe('the whole life of a stay (time-skipping)', () => {
  it('follows a stay from admission to completed: offer, exit meeting, move-in, follow-up, final report', async () => {
    const wallStart = Date.now();
    const s = await start();
    const day0 = await today();
    await s.done('plan-started');
    await s.done('housing-mapping');
    await s.done('first-meeting');
    await env.sleep('100 days');
    await s.done('status-report');
    // §2.2: the status report comes in good time (7 days) before the housing meeting
    await env.sleep('7 days');
    await s.done('housing-meeting');
    await s.done('applications');
    const offered = await today();
    await s.event({
      type: 'housing-offered',
      date: offered,
      hasBooppfolgingDecision: true,
      housingConditionalOnFollowUp: false,
      expectedMoveInDate: addOffset(offered, { days: 10 }),
    });
    let rm = await readModel(s.stayId);
    expect(rm.stay.convener).toBe('bydel');
    expect(rm.m['exit-meeting']).toMatchObject({ due_date: addOffset(offered, { days: 7 }), responsible: 'bydel' });
    expect(rm.m['housing-follow-up-contact']).toMatchObject({
      due_date: addOffset(offered, { days: 10 }),
      applicable: true,
    });
    expect(rm.m['cooperation-agreement']).toMatchObject({ applicable: false, closed_by: 'not-in-offer' });
    expect(rm.m['housing-meeting'].responsible).toBe('bydel');

    await s.handle.executeUpdate(updateExitPlanUpdate, { args: [{ plan: PLAN, actor: bydel }] });
    await s.done('exit-meeting', bydel, { institutionAttended: true });
    await env.sleep('9 days');
    await s.done('housing-follow-up-contact', bydel);
    const out = await today();
    await s.event({ type: 'discharged', date: out }, inst);
    await s.event({ type: 'moved-in', date: out });
    rm = await readModel(s.stayId);
    expect(rm.stay.transition.availability).toEqual({ from: out, until: addOffset(out, { days: 28 }) });
    expect(rm.stay.transition.participationEndsOn).toBe(addOffset(out, { days: 28 }));
    expect(rm.m['follow-up-meeting'].due_date).toBe(addOffset(out, { days: 28 }));
    expect(rm.m['final-report'].due_date).toBe(addOffset(out, { days: 21 }));
    expect(rm.m['cooperation-meeting']).toMatchObject({ applicable: false, closed_by: 'discharged' });

    await env.sleep('14 days');
    await s.done('final-report', inst, { sentToBydel: true });
    await env.sleep('10 days');
    await s.done('follow-up-meeting', bydel, { institutionAttended: true, exitPlanReviewed: true });
    expect((await readModel(s.stayId)).stay.status).toBe('active');
    await env.sleep('5 days');
    await s.handle.result(); // the workflow completes once participation has ended
    rm = await readModel(s.stayId);
    expect(rm.stay.status).toBe('completed');
    expect(rm.stay.transition.completedOn).toBe(addOffset(out, { days: 29 }));
    // every deadline was met: nothing overdue; the 2-monthly cooperation-meeting recommendation reminded (no meeting in 100 days)
    expect(await escalations(s.stayId)).toEqual([]);
    expect((await escalations(s.stayId, ['reminder'])).map((e) => `${e.milestone}:${e.due_date}`)).toContain(
      `cooperation-meeting:${addOffset(day0, { months: 2 })}`,
    );
    expect(await escalations(s.stayId, ['second-level'])).toEqual([]);
    console.log(
      `full life, admission → completed (${Math.round((Date.parse(out) - Date.parse(day0)) / 86_400_000) + 29} days): ${Date.now() - wallStart} ms wall time`,
    );
  });

  it('offer before the status report: the bydel convenes from then on and receives the exit-meeting escalation', async () => {
    const s = await start();
    await env.sleep('10 days');
    const offered = await today();
    await s.event({
      type: 'housing-offered',
      date: offered,
      hasBooppfolgingDecision: false,
      housingConditionalOnFollowUp: true,
    });
    await env.sleep('8 days');
    await eventually(async () =>
      expect((await escalations(s.stayId)).map((e) => `${e.milestone}:${e.recipient_role}`)).toEqual([
        'exit-meeting:bydel',
        'plan-started:institution',
      ]),
    );
    const rm = await readModel(s.stayId);
    expect(rm.m['housing-meeting'].responsible).toBe('bydel');
    expect(rm.m['status-report'].responsible).toBe('institution');
    expect(rm.m['cooperation-agreement']).toMatchObject({ applicable: true, due_date: null });
    expect(rm.m['housing-follow-up-contact']).toMatchObject({ applicable: false });
  });

  it('ends early in the stay: open milestones not applicable, the final report still due, then the workflow completes', async () => {
    const s = await start();
    await env.sleep('20 days');
    const ended = await today();
    await s.event({ type: 'ended-early', date: ended, reason: 'left' }, inst);
    const rm = await readModel(s.stayId);
    expect(rm.stay.status).toBe('ended');
    expect(rm.m['housing-mapping']).toMatchObject({ applicable: false, closed_by: 'ended-early' });
    expect(rm.m['final-report']).toMatchObject({ applicable: true, due_date: addOffset(ended, { days: 21 }) });
    await env.sleep('30 days');
    await eventually(async () =>
      expect((await escalations(s.stayId)).map((e) => e.milestone)).toEqual(['final-report', 'plan-started']),
    );
    await s.done('final-report', inst, { sentToBydel: true });
    await s.handle.result();
    expect((await readModel(s.stayId)).stay.status).toBe('ended');
  });

  it('ends early after the offer (the resident died): the exit meeting no longer applies, no further escalations', async () => {
    const s = await start();
    await s.event({
      type: 'housing-offered',
      date: await today(),
      hasBooppfolgingDecision: true,
      housingConditionalOnFollowUp: true,
    });
    await s.event({ type: 'ended-early', date: await today(), reason: 'died' }, inst);
    await env.sleep('16 days');
    const rm = await readModel(s.stayId);
    for (const key of ['exit-meeting', 'housing-follow-up-contact', 'cooperation-agreement', 'plan-started']) {
      expect(rm.m[key], key).toMatchObject({ applicable: false });
    }
    expect(await escalations(s.stayId)).toEqual([]);
  });

  it('a deviation moves the timer: nothing for the old date, an escalation for the agreed one', async () => {
    const s = await start();
    const day0 = await today();
    await s.handle.executeUpdate(agreeDeviationUpdate, {
      args: [
        {
          milestone: 'plan-started',
          dueDate: addOffset(day0, { days: 30 }),
          reason: 'resident in hospital',
          agreedBy: 'both',
          onBehalfOfBoth: true,
          actor: inst,
        },
      ],
    });
    const rm = await readModel(s.stayId);
    expect(rm.m['plan-started']).toMatchObject({
      due_date: addOffset(day0, { days: 30 }),
      original_due_date: addOffset(day0, { days: 14 }),
    });
    await env.sleep('20 days');
    expect((await escalations(s.stayId)).map((e) => e.milestone)).not.toContain('plan-started');
    await env.sleep('12 days');
    await eventually(async () => {
      const planStarted = (await escalations(s.stayId)).filter((e) => e.milestone === 'plan-started');
      expect(planStarted.map((e) => e.due_date)).toEqual([addOffset(day0, { days: 30 })]);
    });
  });

  it('a change of bydel moves responsibility and open escalations to the new bydel; history stays', async () => {
    const s = await start('bydel-old');
    await env.sleep('15 days');
    await eventually(async () => expect((await escalations(s.stayId)).map((e) => e.bydel_id)).toEqual(['bydel-old']));
    await s.event(
      { type: 'bydel-changed', date: await today(), bydelId: 'bydel-new' },
      { sub: 'old-coord', role: 'bydel', org: 'bydel-old' },
    );
    await env.sleep('14 days');
    await eventually(async () =>
      expect((await escalations(s.stayId)).map((e) => `${e.milestone}:${e.bydel_id}`)).toEqual([
        'first-meeting:bydel-new',
        'housing-mapping:bydel-new',
        'plan-started:bydel-new',
      ]),
    );
    const { rows } = await pool.query(
      "SELECT actor_org, details FROM audit_events WHERE stay_id = $1 AND action = 'event.bydel-changed'",
      [s.stayId],
    );
    expect(rows).toEqual([
      { actor_org: 'bydel-old', details: expect.objectContaining({ from: 'bydel-old', bydelId: 'bydel-new' }) },
    ]);
  });

  it('a place kept after move-in: participation ends on the date the exit plan agreed', async () => {
    const s = await start();
    await s.event({
      type: 'housing-offered',
      date: await today(),
      hasBooppfolgingDecision: false,
      housingConditionalOnFollowUp: false,
    });
    await s.done('plan-started');
    await env.sleep('3 days');
    const out = await today();
    const keptUntil = addOffset(out, { days: 60 });
    await s.handle.executeUpdate(updateExitPlanUpdate, {
      args: [
        {
          plan: {
            ...PLAN,
            keepPlace: { kind: 'day-place', daysPerWeek: 2, until: keptUntil, paidBy: 'bydel' },
            participationEndsOn: keptUntil,
          },
          actor: bydel,
        },
      ],
    });
    await s.done('exit-meeting', bydel, { institutionAttended: true });
    await s.event({ type: 'moved-in', date: out });
    await s.event({ type: 'discharged', date: out }, inst);
    await s.done('final-report', inst, { sentToBydel: true });
    await s.done('follow-up-meeting', bydel, { institutionAttended: true, exitPlanReviewed: true });
    await env.sleep('30 days');
    expect((await s.stay()).records.some((r) => r.command.type === 'stay-completed')).toBe(false);
    expect((await readModel(s.stayId)).stay.transition.participationEndsOn).toBe(keptUntil);
    await env.sleep('31 days');
    await s.handle.result();
    expect((await readModel(s.stayId)).stay).toMatchObject({ status: 'completed' });
  });
});

describe('retention (time-skipping)', () => {
  it('removes the personal data of a closed stay after its retention period, keeping anonymous figures', async () => {
    const s = await start();
    await s.handle.executeUpdate(agreeDeviationUpdate, {
      args: [
        {
          milestone: 'plan-started',
          dueDate: addOffset(await today(), { days: 20 }),
          reason: 'resident in hospital',
          agreedBy: 'both',
          onBehalfOfBoth: true,
          actor: inst,
        },
      ],
    });
    await s.event({ type: 'ended-early', date: await today(), reason: 'left' }, inst);
    await s.done('final-report', inst, { sentToBydel: true });
    await env.sleep('300 days');
    let rm = await readModel(s.stayId);
    expect((await pool.query('SELECT resident_ref FROM stays WHERE id = $1', [s.stayId])).rows[0].resident_ref).toBe(
      'R-LIFE',
    );
    await s.handle.result(); // 365 days after closing, the workflow anonymises the stay and completes
    rm = await readModel(s.stayId);
    expect(rm.stay.status).toBe('ended');
    const {
      rows: [stay],
    } = await pool.query('SELECT resident_ref, anonymised_at FROM stays WHERE id = $1', [s.stayId]);
    expect(stay.resident_ref).toBe('anonymisert');
    expect(stay.anonymised_at).not.toBeNull();
    const {
      rows: [dev],
    } = await pool.query("SELECT deviation FROM stay_milestones WHERE stay_id = $1 AND key = 'plan-started'", [
      s.stayId,
    ]);
    expect(dev.deviation).not.toHaveProperty('reason');
    // who of each party confirmed it names staff: gone too
    expect(dev.deviation).not.toHaveProperty('confirmedBy');
    expect(dev.deviation).not.toHaveProperty('statedOnBehalfOfBoth');
    expect(dev.deviation).toMatchObject({ agreedBy: 'both' });
    const { rows: audit } = await pool.query(
      'SELECT action, actor_sub, details FROM audit_events WHERE stay_id = $1 ORDER BY seq',
      [s.stayId],
    );
    expect(audit.every((a) => a.actor_sub === null)).toBe(true);
    expect(JSON.stringify(audit)).not.toContain('resident in hospital');
    expect(audit.at(-1)).toMatchObject({ action: 'stay.anonymised', details: { retentionDays: 365 } });
    expect(rm.m['final-report'].done_at).not.toBeNull(); // the figures remain
  });
});
