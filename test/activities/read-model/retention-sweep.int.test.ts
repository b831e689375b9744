import { randomBytes } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRetentionSweepActivities, type SweepResult } from '../../../activities/read-model/anonymise-stay';
import { AesGcmPayloadCodec } from '../../../config/payload-codec';
import { addOffset, osloDate } from '../../../rules/oslo-calendar';
import { stayWorkflowId } from '../../../workflows/stay/definitions';
import { startApiHarness, type Harness } from '../../support/api-harness';
import { eventually } from '../../support/eventually';
import { registerOrganisations } from '../../support/organisations';
import { registerStay } from '../../support/stays';

/**
 * Retention, completed: stays whose workflow no longer runs are anonymised by the nightly sweep (their own timer
 * never will), with every notification still queued about them; the access log has a retention of its own; and an
 * anonymised stay's Temporal history is no longer decrypted, by the API or by the codec server.
 */
const INST = `inst-ret-${Date.now()}`;
const BYDEL = 'bydel-ret';
const today = () => osloDate(Date.now());

let h: Harness;
beforeAll(async () => {
  h = await startApiHarness({ payloadCodec: new AesGcmPayloadCodec(new Map([['k1', randomBytes(32)]]), 'k1') });
  await registerOrganisations(h, BYDEL);
  // a recipient without an SMTP server: its e-mails stay pending in the outbox
  await h.app.inject({
    method: 'PUT',
    url: `/api/organisations/${INST}/notification-settings`,
    headers: h.auth('admin'),
    payload: { recipients: [{ email: 'koord@inst-ret.test', role: 'coordinator' }] },
  });
});
afterAll(() => h?.close());

async function newStay(): Promise<string> {
  const admittedAt = addOffset(today(), { days: -40 });
  return (await registerStay(h, { residentRef: 'R-RET', institutionId: INST, bydelId: BYDEL, admittedAt })).id;
}

const sweep = (): Promise<SweepResult> =>
  new MockActivityEnvironment().run(
    createRetentionSweepActivities(h.pool, {
      temporal: h.client,
      retentionDays: 365,
      accessLogRetentionDays: 730,
      idempotencyKeyRetentionDays: 30,
    }).sweepRetention,
    { now: new Date().toISOString() },
  );

const pendingOutbox = async (stayId: string) =>
  (
    await h.pool.query(
      `SELECT 1 FROM notification_outbox o JOIN escalations e ON e.id = o.escalation_id WHERE e.stay_id = $1`,
      [stayId],
    )
  ).rowCount;

describe('the nightly retention sweep', () => {
  it('anonymises a stay whose workflow was terminated, with its queued notifications, and leaves running ones', async () => {
    const [terminated, running] = [await newStay(), await newStay()];
    await eventually(async () => expect(await pendingOutbox(terminated)).toBeGreaterThan(0));
    await h.client.workflow.getHandle(stayWorkflowId(terminated)).terminate('operator ended it by hand');
    // a year and more without a change
    await h.pool.query(`UPDATE stays SET updated_at = now() - interval '400 days' WHERE id = ANY($1::uuid[])`, [
      [terminated, running],
    ]);
    const oldRead = await h.pool.query<{ id: string }>(
      `INSERT INTO access_log (at, actor_sub, actor_role, stay_id, view) VALUES (now() - interval '800 days', 'old-reader', 'admin', $1, 'stay'), (now() - interval '10 days', 'recent-reader', 'admin', $1, 'stay') RETURNING id`,
      [running],
    );
    await h.pool.query(
      `INSERT INTO idempotency_keys (scoped_key, body_sha256, created_at) VALUES ($1, 'x', now() - interval '40 days')`,
      [`old-key-${Date.now()}`],
    );

    const result = await eventually(async () => {
      // visibility may show the terminated workflow as running for a moment
      const r = await sweep();
      const row = (await h.pool.query('SELECT resident_ref, anonymised_at FROM stays WHERE id = $1', [terminated]))
        .rows[0];
      expect(row.resident_ref).toBe('anonymisert');
      return r;
    });
    expect(result.accessLogRowsDeleted).toBeGreaterThanOrEqual(1);
    expect(result.idempotencyKeysDeleted).toBeGreaterThanOrEqual(1);
    expect(await pendingOutbox(terminated)).toBe(0);
    const audit = await h.pool.query('SELECT action, actor_sub FROM audit_events WHERE stay_id = $1 ORDER BY seq', [
      terminated,
    ]);
    expect(audit.rows.at(-1)).toEqual({ action: 'stay.anonymised', actor_sub: null });
    expect(audit.rows.every((r) => r.actor_sub === null)).toBe(true);
    // the running stay keeps its data: its own workflow decides
    expect(
      (await h.pool.query('SELECT resident_ref, anonymised_at FROM stays WHERE id = $1', [running])).rows[0],
    ).toEqual({ resident_ref: 'R-RET', anonymised_at: null });
    const left = await h.pool.query('SELECT actor_sub FROM access_log WHERE id = ANY($1::bigint[]) ORDER BY id', [
      oldRead.rows.map((r) => r.id),
    ]);
    expect(left.rows).toEqual([{ actor_sub: 'recent-reader' }]);
  });

  it('no longer decrypts an anonymised stay: the workflow history and the codec server answer 410', async () => {
    const stayId = await newStay();
    const raw = await h.client.workflow.getHandle(stayWorkflowId(stayId)).fetchHistory();
    const started = raw.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
    const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64');
    const payload = {
      payloads: [
        {
          metadata: Object.fromEntries(Object.entries(started.metadata!).map(([k, v]) => [k, b64(v)])),
          data: b64(started.data!),
        },
      ],
    };
    const decode = () => h.app.inject({ method: 'POST', url: '/codec/decode', headers: h.auth('admin'), payload });
    expect((await decode()).statusCode).toBe(200);
    await h.pool.query(`UPDATE stays SET anonymised_at = now() WHERE id = $1`, [stayId]);
    const history = await h.app.inject({ url: `/api/stays/${stayId}/workflow-history`, headers: h.auth('admin') });
    expect(history.statusCode).toBe(410);
    expect(history.json().detail).toMatch(/retention period/);
    expect((await decode()).statusCode).toBe(410);
  });

  it('refuses to shorten the access log below 180 days', async () => {
    await expect(h.pool.query('SELECT purge_access_log(10)')).rejects.toThrow(/at least 180 days/);
  });
});
