import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { expect } from 'vitest';
import { DEFAULT_INTERPRETATIONS } from '../../rules/interpretations';
import { osloDate } from '../../rules/oslo-calendar';
import { stayWorkflowId } from '../../workflows/stay/definitions';
import { stayWorkflow } from '../../workflows/stay/stay-workflow';
import type { RegisterStayInput } from '../../workflows/stay/types';
import { eventually } from './eventually';

/** A stay's registration in a test: admitted today (Oslo, on the test server's clock) with the default interpretations unless told. */
export type TestRegistration = Omit<RegisterStayInput, 'stayId' | 'admittedAt' | 'interpretations'> &
  Partial<Pick<RegisterStayInput, 'admittedAt' | 'interpretations'>>;

/** Starts a stay's workflow on a test Temporal server, on the given task queue. */
export async function startStay(env: TestWorkflowEnvironment, taskQueue: string, registration: TestRegistration) {
  const stayId = randomUUID();
  const admittedAt = registration.admittedAt ?? osloDate(await env.currentTimeMs());
  const handle = await env.client.workflow.start(stayWorkflow, {
    workflowId: stayWorkflowId(stayId),
    taskQueue,
    args: [{ register: { stayId, interpretations: DEFAULT_INTERPRETATIONS, ...registration, admittedAt } }],
  });
  return { stayId, admittedAt, handle };
}

/** Until the stay's first workflow task is done: its row is in the read model (and its first timer set). */
export async function untilRegistered(pool: Pool, stayId: string): Promise<void> {
  await eventually(async () =>
    expect((await pool.query('SELECT 1 FROM stays WHERE id = $1', [stayId])).rowCount).toBe(1),
  );
}
