import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadModelActivities } from '../../../activities/read-model/sync-stay';
import { DEFAULT_INTERPRETATIONS } from '../../../rules/interpretations';
import { StayState } from '../../../workflows/stay/stay-state';
import { testPool } from '../../support/database';

let pool: Pool;
beforeAll(() => {
  pool = testPool();
});
afterAll(() => pool.end());

const register = (nowIso: string) =>
  StayState.register(
    {
      stayId: randomUUID(),
      residentRef: 'R-IDEMP',
      institutionId: 'inst-idem',
      bydelId: 'bydel-idem',
      admittedAt: '2026-01-05',
      interpretations: DEFAULT_INTERPRETATIONS,
      actor: { sub: 'u', role: 'institution', org: 'inst-idem' },
    },
    Date.parse(nowIso),
  );

const count = async (table: string, stayId: string) =>
  (await pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE stay_id = $1`, [stayId])).rows[0].n as number;

describe('syncStayReadModel', () => {
  it('is idempotent: a retried write adds no second escalation or audit entry', async () => {
    const { syncStayReadModel } = createReadModelActivities(pool);
    const state = register('2026-03-01T10:00:00Z');
    state.raiseEscalations(Date.parse('2026-03-01T10:00:00Z'), randomUUID);
    const sync = state.toReadModel();
    const env = new MockActivityEnvironment();
    await env.run(syncStayReadModel, sync);
    await env.run(syncStayReadModel, sync);
    // a retry after continue-as-new or a reset may carry fresh ids for the same escalations
    await env.run(syncStayReadModel, {
      ...sync,
      escalations: sync.escalations.map((e) => ({ ...e, id: randomUUID() })),
    });
    expect(sync.escalations.length).toBe(6); // overdue + second level for plan-started, housing-mapping, first-meeting
    expect(await count('escalations', sync.stay.id)).toBe(6);
    expect(await count('audit_events', sync.stay.id)).toBe(sync.audit.length);
  });

  it('never lets a late, older write overwrite newer state', async () => {
    const { syncStayReadModel } = createReadModelActivities(pool);
    const state = register('2026-01-06T10:00:00Z');
    const older = state.toReadModel();
    state.accept(
      { type: 'complete-milestone', key: 'plan-started', doneAt: '2026-01-06', details: null },
      { sub: 'u', role: 'institution', org: 'inst-idem' },
      Date.parse('2026-01-06T10:00:00Z'),
    );
    const newer = state.toReadModel();
    await syncStayReadModel(newer);
    await syncStayReadModel(older);
    const { rows } = await pool.query(
      "SELECT done_at FROM stay_milestones WHERE stay_id = $1 AND key = 'plan-started'",
      [older.stay.id],
    );
    expect(rows[0].done_at).toBe('2026-01-06');
    const { rows: stay } = await pool.query('SELECT revision FROM stays WHERE id = $1', [older.stay.id]);
    expect(stay[0].revision).toBe(newer.stay.revision);
  });
});
