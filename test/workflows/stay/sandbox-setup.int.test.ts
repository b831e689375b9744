import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INTERPRETATIONS } from '../../../rules/interpretations';
import { osloDate } from '../../../rules/oslo-calendar';
import { stayWorkflowId } from '../../../workflows/stay/definitions';
import { stayWorkflow } from '../../../workflows/stay/stay-workflow';
import { eventually } from '../../support/eventually';
import { startTimeSkippingStack } from '../../support/time-skipping-stack';

let env: TestWorkflowEnvironment;
let pool: Pool;
let taskQueue: string;
let stack: Awaited<ReturnType<typeof startTimeSkippingStack>>;

beforeAll(async () => {
  stack = await startTimeSkippingStack('sandbox');
  ({ env, pool, taskQueue } = stack);
});

afterAll(() => stack?.stop());

describe('the workflow sandbox (workflows/sandbox-setup.ts)', () => {
  it('still shows where a waiting stay waits, in its own code, with the shorter stack captures', async () => {
    const stayId = randomUUID();
    const handle = await env.client.workflow.start(stayWorkflow, {
      workflowId: stayWorkflowId(stayId),
      taskQueue,
      args: [
        {
          register: {
            stayId,
            residentRef: 'R-SANDBOX',
            institutionId: 'inst-sandbox',
            bydelId: 'bydel-sandbox',
            admittedAt: osloDate(await env.currentTimeMs()),
            interpretations: DEFAULT_INTERPRETATIONS,
            actor: { sub: 's', role: 'institution', org: 'inst-sandbox' },
          },
        },
      ],
    });
    await eventually(async () =>
      expect((await pool.query('SELECT 1 FROM stays WHERE id = $1', [stayId])).rowCount).toBe(1),
    );
    // what Temporal's UI shows as the stay's call stack
    const stacks = await handle.query<string>('__stack_trace');
    expect(stacks).toMatch(/at stayWorkflow \(.*workflows\/stay\/stay-workflow\.ts:\d+:\d+\)/);
    await handle.terminate('test finished');
  });
});
