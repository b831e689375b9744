import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AesGcmPayloadCodec } from '../../config/payload-codec';
import { DEFAULT_INTERPRETATIONS } from '../../rules/interpretations';
import { osloDate } from '../../rules/oslo-calendar';
import { stayWorkflowId } from '../../workflows/stay/definitions';
import { stayWorkflow } from '../../workflows/stay/stay-workflow';
import { eventually } from '../support/eventually';
import { startApiHarness, type Harness } from '../support/api-harness';
import { registerOrganisations } from '../support/organisations';
import { registerStay } from '../support/stays';

/** Every string and byte array in the history, as text: what a reader of Temporal's database would see. */
function bytesAsText(node: unknown): string {
  if (node instanceof Uint8Array) return Buffer.from(node).toString('latin1');
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return node.map(bytesAsText).join('\n');
  if (node && typeof node === 'object') return Object.values(node).map(bytesAsText).join('\n');
  return '';
}

let h: Harness;
beforeAll(async () => {
  h = await startApiHarness({
    payloadCodec: new AesGcmPayloadCodec(new Map([['test-key', randomBytes(32)]]), 'test-key'),
  });
  await registerOrganisations(h, 'bydel-enc');
});
afterAll(() => h?.close());

describe('payload encryption', () => {
  it('keeps Temporal free of readable stay data; admins read it decrypted, server-side and through the codec server', async () => {
    const residentRef = `R-ENC-${Date.now()}`;
    const { id: stayId } = await registerStay(h, {
      residentRef,
      institutionId: 'inst-enc',
      bydelId: 'bydel-enc',
      admittedAt: osloDate(Date.now()),
    });

    // what Temporal stores, as any client without the key sees it
    const raw = await h.client.workflow.getHandle(stayWorkflowId(stayId)).fetchHistory();
    const rawText = bytesAsText(raw);
    expect(rawText).not.toContain(residentRef);
    expect(rawText).not.toContain('inst-enc');
    expect(rawText).toContain('binary/encrypted');

    const decoded = await h.app.inject({ url: `/api/stays/${stayId}/workflow-history`, headers: h.auth('admin') });
    expect(decoded.json().items[0]).toMatchObject({
      summary: expect.stringMatching(/^Stay workflow started/),
      data: { register: { residentRef } },
    });

    const started = raw.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
    const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64');
    const body = {
      payloads: [
        {
          metadata: Object.fromEntries(Object.entries(started.metadata!).map(([k, v]) => [k, b64(v)])),
          data: b64(started.data!),
        },
      ],
    };
    const viaCodec = await h.app.inject({
      method: 'POST',
      url: '/codec/decode',
      headers: h.auth('admin'),
      payload: body,
    });
    expect(viaCodec.statusCode).toBe(200);
    expect(Buffer.from(viaCodec.json().payloads[0].data, 'base64').toString()).toContain(residentRef);
    expect(
      (
        await h.app.inject({
          method: 'POST',
          url: '/codec/decode',
          headers: h.auth('bydel', 'bydel-enc'),
          payload: body,
        })
      ).statusCode,
    ).toBe(403);
    expect((await h.app.inject({ method: 'POST', url: '/codec/decode', payload: body })).statusCode).toBe(401);

    // the payload names its workflow, so the access log says which stay the codec server decrypted for whom
    const logged = await h.pool.query(
      `SELECT actor_sub, view FROM access_log WHERE stay_id = $1 AND view = 'workflow-history' AND request_id = $2`,
      [stayId, viaCodec.headers['x-request-id']],
    );
    expect(logged.rows).toEqual([{ actor_sub: 'user-admin', view: 'workflow-history' }]);
  });

  it('refuses what a client without the key ring sends: the worker runs no workflow from a plaintext payload', async () => {
    const plain = new Client({ connection: h.client.connection, namespace: 'default' });
    const stayId = randomUUID();
    const handle = await plain.workflow.start(stayWorkflow, {
      workflowId: stayWorkflowId(stayId),
      taskQueue: h.taskQueue,
      args: [
        {
          register: {
            stayId,
            residentRef: 'R-PLAIN-1',
            institutionId: 'inst-enc',
            bydelId: 'bydel-enc',
            admittedAt: osloDate(Date.now()),
            interpretations: DEFAULT_INTERPRETATIONS,
            actor: { sub: 'intruder', role: 'admin', org: null },
          },
        },
      ] as unknown as Parameters<typeof stayWorkflow>,
    });
    try {
      const failure = await eventually(async () => {
        const events = (await handle.fetchHistory()).events ?? [];
        const failed = events.find((e) => e.workflowTaskFailedEventAttributes);
        expect(failed).toBeDefined();
        return failed!.workflowTaskFailedEventAttributes!.failure?.message ?? '';
      });
      expect(failure).toMatch(/not encrypted/);
      expect((await h.pool.query('SELECT 1 FROM stays WHERE id = $1', [stayId])).rowCount).toBe(0);
    } finally {
      await handle.terminate('test: plaintext start refused');
    }
  });
});
