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

  it('rewrites only the milestones that changed, removes the ones no longer open, and moves open escalations with the bydel', async () => {
    const { syncStayReadModel } = createReadModelActivities(pool);
    const inst = { sub: 'u', role: 'institution', org: 'inst-idem' } as const;
    const bydel = { sub: 'b', role: 'bydel', org: 'bydel-idem' } as const;
    const at = Date.parse('2026-03-01T10:00:00Z');
    const state = register('2026-03-01T10:00:00Z');
    state.raiseEscalations(at, randomUUID);
    await syncStayReadModel(state.toReadModel());
    state.markDelivered(state.toReadModel());
    const rows = async () =>
      new Map(
        (
          await pool.query<{ key: string; version: string; done_at: string | null }>(
            'SELECT key, xmin::text AS version, done_at FROM stay_milestones WHERE stay_id = $1',
            [state.snapshot.stayId],
          )
        ).rows.map((r) => [r.key, r]),
      );
    const before = await rows();

    state.accept({ type: 'complete-milestone', key: 'plan-started', doneAt: '2026-01-06', details: null }, inst, at);
    await syncStayReadModel(state.toReadModel());
    const after = await rows();
    expect(after.get('plan-started')!.done_at).toBe('2026-01-06');
    const rewritten = [...after.values()].filter((r) => r.version !== before.get(r.key)?.version).map((r) => r.key);
    expect(rewritten).toEqual(['plan-started']);

    // withdrawing the housing offer closes what it opened: those rows leave the read model
    const offered = {
      type: 'housing-offered',
      date: '2026-02-01',
      hasBooppfolgingDecision: true,
      housingConditionalOnFollowUp: false,
    } as const;
    state.accept({ type: 'event', event: offered }, bydel, at);
    await syncStayReadModel(state.toReadModel());
    expect((await rows()).has('exit-meeting')).toBe(true);
    state.accept(
      { type: 'correction', target: { event: 'housing-offered' }, action: 'withdraw', date: null, reason: 'feil' },
      bydel,
      at,
    );
    await syncStayReadModel(state.toReadModel());
    expect([...(await rows()).keys()].sort()).toEqual([...before.keys()].sort());

    // a change of bydel moves the open milestones' escalations (housing-mapping), not the settled one (plan-started)
    state.accept(
      { type: 'event', event: { type: 'bydel-changed', date: '2026-02-10', bydelId: 'bydel-idem-2' } },
      bydel,
      at,
    );
    await syncStayReadModel(state.toReadModel());
    const { rows: moved } = await pool.query<{ milestone: string; bydel_id: string }>(
      "SELECT DISTINCT milestone, bydel_id FROM escalations WHERE stay_id = $1 AND milestone IN ('plan-started', 'housing-mapping') ORDER BY milestone",
      [state.snapshot.stayId],
    );
    expect(moved).toEqual([
      { milestone: 'housing-mapping', bydel_id: 'bydel-idem-2' },
      { milestone: 'plan-started', bydel_id: 'bydel-idem' },
    ]);
  });

  describe('who recorded each completion and event (recorded_by)', () => {
    const inst = { sub: 'u', role: 'institution', org: 'inst-idem' } as const;
    const bydel = { sub: 'b', role: 'bydel', org: 'bydel-idem' } as const;
    const admin = { sub: 'a', role: 'admin', org: null } as const;
    const at = Date.parse('2026-03-01T10:00:00Z');
    /** A stay with completions, an event, a withdrawal and a re-dating, by three organisations. */
    const corrected = () => {
      const state = register('2026-03-01T10:00:00Z');
      state.accept({ type: 'complete-milestone', key: 'plan-started', doneAt: '2026-01-06', details: null }, inst, at);
      state.accept(
        { type: 'complete-milestone', key: 'housing-mapping', doneAt: '2026-01-10', details: null },
        admin,
        at,
      );
      state.accept(
        {
          type: 'event',
          event: {
            type: 'housing-offered',
            date: '2026-02-01',
            hasBooppfolgingDecision: false,
            housingConditionalOnFollowUp: false,
          },
        },
        bydel,
        at,
      );
      const redate = { target: { event: 'housing-offered' }, action: 'change-date', date: '2026-02-02' } as const;
      state.accept({ type: 'correction', ...redate, reason: 'feil dato' }, bydel, at);
      const withdraw = { target: { milestone: 'housing-mapping' }, action: 'withdraw', date: null } as const;
      state.accept({ type: 'correction', ...withdraw, reason: 'ikke gjort' }, admin, at);
      return state;
    };
    const expected = {
      milestones: { 'plan-started': { role: 'institution', org: 'inst-idem' } },
      events: { 'housing-offered': { role: 'bydel', org: 'bydel-idem' } },
    };
    const recordedBy = async (stayId: string) =>
      (await pool.query('SELECT recorded_by FROM stays WHERE id = $1', [stayId])).rows[0].recorded_by;

    it('stores what the workflow sends, and the audit-trail replay (migration 0009) agrees with it', async () => {
      const { syncStayReadModel } = createReadModelActivities(pool);
      const sync = corrected().toReadModel();
      expect(sync.stay.recordedBy).toEqual(expected);
      await syncStayReadModel(sync);
      expect(await recordedBy(sync.stay.id)).toEqual(expected);
      const { rows } = await pool.query('SELECT stay_recorded_by_from_audit($1) AS replayed', [sync.stay.id]);
      expect(rows[0].replayed).toEqual(expected);
    });

    it('replays the audit trail for a write from a worker that did not send it yet', async () => {
      const { syncStayReadModel } = createReadModelActivities(pool);
      const current = corrected().toReadModel();
      const { recordedBy: _sent, ...oldStay } = current.stay;
      const sync = { ...current, stay: oldStay };
      await syncStayReadModel(sync);
      expect(await recordedBy(sync.stay.id)).toEqual(expected);
    });
  });
});
