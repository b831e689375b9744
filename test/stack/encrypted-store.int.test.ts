import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AesGcmPayloadCodec } from '../../config/payload-codec';
import { DEFAULT_INTERPRETATIONS } from '../../rules/interpretations';
import { osloDate } from '../../rules/oslo-calendar';
import { startTemporalDevServer } from '../../stack/temporal-dev-server';
import { createStayWorker } from '../../worker/stay-worker';
import { awaitReadModelUpdate, stayWorkflowId } from '../../workflows/stay/definitions';
import { stayWorkflow } from '../../workflows/stay/stay-workflow';
import { testPool } from '../support/database';
import { getFreePort } from '../../stack/free-port';
import { makeTempDir, removeTempDir } from '../../stack/temp-dir';
import { workflowBundle } from '../support/workflow-bundle';

const dir = makeTempDir('stays-encrypted-store');
let pool: Pool;
beforeAll(() => {
  pool = testPool();
});
afterAll(async () => {
  await pool?.end();
  removeTempDir(dir);
});

describe("Temporal's own database", () => {
  it('holds no readable resident reference or organisation when payloads are encrypted', async () => {
    const dbFile = join(dir, 'temporal.sqlite');
    const temporal = await startTemporalDevServer({ port: await getFreePort(), headless: true, dbFile });
    const codec = new AesGcmPayloadCodec(new Map([['k1', randomBytes(32)]]), 'k1');
    const residentRef = `R-STORE-${Date.now()}`;
    const taskQueue = `store-${randomUUID()}`;
    const native = await NativeConnection.connect({ address: temporal.address });
    const worker = await createStayWorker({
      connection: native,
      namespace: 'default',
      taskQueue,
      pool,
      workflowBundle: await workflowBundle(),
      payloadCodec: codec,
    });
    const connection = await Connection.connect({ address: temporal.address });
    const client = new Client({ connection, dataConverter: { payloadCodecs: [codec] } });
    try {
      await worker.runUntil(async () => {
        const stayId = randomUUID();
        const handle = await client.workflow.start(stayWorkflow, {
          workflowId: stayWorkflowId(stayId),
          taskQueue,
          args: [
            {
              register: {
                stayId,
                residentRef,
                institutionId: 'inst-store-secret',
                bydelId: 'bydel-store',
                admittedAt: osloDate(Date.now()),
                interpretations: DEFAULT_INTERPRETATIONS,
                actor: { sub: 'u', role: 'institution', org: 'inst-store-secret' },
              },
            },
          ],
        });
        await handle.executeUpdate(awaitReadModelUpdate, { args: [] });
      });
    } finally {
      await connection.close();
      await native.close();
      await temporal.stop(); // the SQLite files are complete once the server has stopped
    }
    const files = [dbFile, `${dbFile}-wal`].filter(existsSync);
    const raw = files.map((f) => readFileSync(f).toString('latin1')).join('');
    expect(raw.length).toBeGreaterThan(0);
    expect(raw).toContain('stayWorkflow'); // the store was really read: the workflow type is not a payload
    expect(raw).not.toContain(residentRef);
    expect(raw).not.toContain('inst-store-secret');
  });
});
