import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStay, untilRegistered } from '../../support/stay-start';
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
    const { stayId, handle } = await startStay(env, taskQueue, {
      residentRef: 'R-SANDBOX',
      institutionId: 'inst-sandbox',
      bydelId: 'bydel-sandbox',
      actor: { sub: 's', role: 'institution', org: 'inst-sandbox' },
    });
    await untilRegistered(pool, stayId);
    // what Temporal's UI shows as the stay's call stack
    const stacks = await handle.query<string>('__stack_trace');
    expect(stacks).toMatch(/at stayWorkflow \(.*workflows\/stay\/stay-workflow\.ts:\d+:\d+\)/);
    await handle.terminate('test finished');
  });
});
