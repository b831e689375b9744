import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOffset, osloDate } from '../../../rules/oslo-calendar';
import { agreeDeviationUpdate, completeMilestoneUpdate, recordEventUpdate } from '../../../workflows/stay/definitions';
import type { Actor } from '../../../workflows/stay/types';
import { eventually } from '../../support/eventually';
import { startStay } from '../../support/stay-start';
import { startTimeSkippingStack } from '../../support/time-skipping-stack';

const inst: Actor = { sub: 'i', role: 'institution', org: 'inst-ladder' };
const bydel: Actor = { sub: 'b', role: 'bydel', org: 'bydel-ladder' };

let env: TestWorkflowEnvironment;
let pool: Pool;
let taskQueue: string;
let stack: Awaited<ReturnType<typeof startTimeSkippingStack>>;

beforeAll(async () => {
  stack = await startTimeSkippingStack('ladder');
  ({ env, pool, taskQueue } = stack);
});

afterAll(() => stack?.stop());

describe('the escalation ladder (time-skipping)', () => {
  it('reminds, escalates, goes to both parties; stops on completion, moves with a deviation, follows the convener', async () => {
    const {
      stayId,
      admittedAt: day0,
      handle,
    } = await startStay(env, taskQueue, {
      residentRef: 'R-LADDER',
      institutionId: 'inst-ladder',
      bydelId: 'bydel-ladder',
      actor: inst,
    });
    const ladder = async () =>
      (
        await pool.query<{ milestone: string; kind: string; due_date: string; recipient_role: string }>(
          'SELECT milestone, kind, due_date, recipient_role FROM escalations WHERE stay_id = $1 ORDER BY created_at, milestone, kind',
          [stayId],
        )
      ).rows.map((r) => `${r.milestone}:${r.kind}:${r.recipient_role}`);

    await env.sleep('7 days'); // day 7: reminder 7 days before plan-started (day 14)
    await eventually(async () => expect(await ladder()).toEqual(['plan-started:reminder:institution']));

    // the first meeting moves to day 40 by agreement: its ladder follows the agreed date
    await handle.executeUpdate(agreeDeviationUpdate, {
      args: [
        {
          milestone: 'first-meeting',
          dueDate: addOffset(day0, { days: 40 }),
          reason: 'agreed',
          agreedBy: 'both',
          onBehalfOfBoth: true,
          actor: inst,
        },
      ],
    });
    await env.sleep('9 days'); // day 16: overdue
    const offered = osloDate(await env.currentTimeMs());
    await handle.executeUpdate(recordEventUpdate, {
      args: [
        {
          event: {
            type: 'housing-offered',
            date: offered,
            hasBooppfolgingDecision: false,
            housingConditionalOnFollowUp: false,
          },
          actor: bydel,
        },
      ],
    });
    await env.sleep('6 days'); // day 22: exit meeting (due day 23) reminded 2 days before, to the bydel that now convenes
    await handle.executeUpdate(completeMilestoneUpdate, {
      args: [{ key: 'housing-mapping', doneAt: osloDate(await env.currentTimeMs()), actor: inst }],
    });
    await env.sleep('22 days'); // day 44

    await eventually(async () =>
      expect(await ladder()).toEqual([
        'plan-started:reminder:institution', // day 7
        'plan-started:overdue:institution', // day 15
        'exit-meeting:reminder:bydel', // day 21
        // (the mapping follows the first meeting to day 40: no reminder on day 21; it was done on day 22)
        'exit-meeting:overdue:bydel', // day 24
        'plan-started:second-level:both', // day 29
        'first-meeting:reminder:institution', // day 33
        'exit-meeting:second-level:both', // day 38
        'first-meeting:overdue:institution', // day 41
      ]),
    );
    // nothing for the mapping after it was done, nothing for the first meeting's original day 28
    const { rows } = await pool.query(
      "SELECT due_date FROM escalations WHERE stay_id = $1 AND milestone = 'first-meeting'",
      [stayId],
    );
    expect(rows.map((r) => r.due_date)).toEqual([addOffset(day0, { days: 40 }), addOffset(day0, { days: 40 })]);
  });
});
