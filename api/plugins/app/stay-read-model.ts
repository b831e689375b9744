import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Pool } from 'pg';
import { milestoneRule } from '../../../rules/milestones';
import { milestoneStatus, type MilestoneStatus } from '../../../rules/milestone-status';
import { DateTime } from 'luxon';
import { OSLO, osloDate } from '../../../rules/oslo-calendar';
import type { IsoDate, MilestoneKey, Party } from '../../../rules/types';
import { emptyTransition } from '../../../workflows/stay/stay-state';
import type { Deviation, Transition } from '../../../workflows/stay/types';
import type { Scope } from './auth';

export type MilestoneView = {
  key: MilestoneKey;
  title: string;
  section: string;
  dueDate: IsoDate | null;
  originalDueDate: IsoDate | null;
  status: MilestoneStatus;
  doneAt: IsoDate | null;
  responsible: Party;
  recurring: boolean;
  details: Record<string, unknown> | null;
  /** An agreed other time frame (§1): the due date shown is the agreed one, `originalDueDate` the rules' one. */
  deviation: Deviation | null;
  /** Why a milestone no longer applies (discharged, ended-early, not-in-offer). */
  closedBy: string | null;
};

export type StayView = {
  id: string;
  residentRef: string;
  institutionId: string;
  bydelId: string;
  admittedAt: IsoDate;
  status: 'active' | 'completed' | 'ended';
  convener: 'institution' | 'bydel';
  overdue: boolean;
  revision: number;
  createdAt: string;
  updatedAt: string;
  rulesVersion: number;
  previousStayId: string | null;
  transition: Transition;
  milestones: MilestoneView[];
  recordedBy: RecordedBy;
};

/** Who recorded a completion or an event: that organisation (or an administrator) may correct it. */
export type Recorder = { role: 'institution' | 'bydel' | 'admin' | 'system'; org: string | null };
export type RecordedBy = { milestones: Partial<Record<MilestoneKey, Recorder>>; events: Record<string, Recorder> };

export type StaySummary = Omit<StayView, 'milestones' | 'transition' | 'recordedBy'> & {
  nextDueDate: IsoDate | null;
  /** The milestone of the earliest open due date (ties in the rule book's order). */
  nextMilestone: MilestoneKey | null;
  overdueCount: number;
  /** The resident is moving to another bydel (housing offered there, §3), until the bydel change; else null. */
  movingTo: MovingTo | null;
};

export type MovingTo = { bydelId: string; housingOfferedOn: IsoDate; expectedMoveInDate: IsoDate | null };

export type EscalationView = {
  id: string;
  stayId: string;
  milestone: MilestoneKey;
  kind: 'reminder' | 'overdue' | 'second-level';
  dueDate: IsoDate;
  recipient: Party;
  institutionId: string;
  bydelId: string;
  createdAt: string;
};

export type AuditView = {
  seq: number;
  at: string;
  /** The same instant as local time in Oslo. */
  atOslo: string;
  actor: { sub: string | null; role: string; org: string | null };
  action: string;
  milestone: string | null;
  details: Record<string, unknown> | null;
};

export type StayFilters = {
  institutionId?: string;
  bydelId?: string;
  status?: 'active' | 'completed' | 'ended';
  overdue?: boolean;
  /** Active stays whose resident is moving to this bydel from another one (§3). */
  movingTo?: string;
  limit: number;
  offset: number;
};

export type Page<T> = { items: T[]; total: number; limit: number; offset: number };

type StayRow = {
  id: string;
  resident_ref: string;
  institution_id: string;
  bydel_id: string;
  admitted_at: string;
  status: StayView['status'];
  convener: StayView['convener'];
  revision: number;
  created_at: Date;
  updated_at: Date;
  rules_version: number;
  previous_stay_id: string | null;
  transition: Transition | null;
};

type MilestoneRowDb = {
  key: MilestoneKey;
  due_date: string | null;
  original_due_date: string | null;
  done_at: string | null;
  applicable: boolean;
  recurring: boolean;
  escalates: boolean;
  responsible: Party;
  details: Record<string, unknown> | null;
  deviation: Deviation | null;
  closed_by: string | null;
};

/**
 * What a caller reads. `withMovingIn`: a bydel also reads the active stays of residents moving to it — housing was
 * offered with it as the receiving bydel, and its booppfølger is to be involved early (§3) — until the bydel change
 * makes the stay its own. Reading only: commands use the plain scope.
 */
export type ReadScope = Scope & { withMovingIn?: boolean };

/** Adds the scope and filter conditions; `params` is extended in place. */
function whereClause(scope: ReadScope, filters: Partial<StayFilters>, params: unknown[], today: IsoDate): string {
  const conditions: string[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    conditions.push(sql.replaceAll('?', `$${params.length}`));
  };
  if (scope.institutionId) add('s.institution_id = ?', scope.institutionId);
  if (scope.bydelId && scope.withMovingIn)
    add(`(s.bydel_id = ? OR (s.status = 'active' AND ${MOVING_TO_BYDEL} = ? AND ${OFFER_STILL_OPEN}))`, scope.bydelId);
  else if (scope.bydelId) add('s.bydel_id = ?', scope.bydelId);
  if (filters.institutionId) add('s.institution_id = ?', filters.institutionId);
  if (filters.bydelId) add('s.bydel_id = ?', filters.bydelId);
  if (filters.status) add('s.status = ?', filters.status);
  if (filters.movingTo)
    add(`s.status = 'active' AND ${MOVING_TO_BYDEL} = ? AND s.bydel_id <> ? AND ${OFFER_STILL_OPEN}`, filters.movingTo);
  if (filters.overdue !== undefined) {
    add(
      `${filters.overdue ? '' : 'NOT '}EXISTS (SELECT 1 FROM stay_milestones m WHERE m.stay_id = s.id
      AND m.done_at IS NULL AND m.applicable AND m.escalates AND m.due_date < ?::date)`,
      today,
    );
  }
  return conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
}

type HousingOfferedRow = { date: IsoDate; receivingBydelId?: string | null; expectedMoveInDate?: IsoDate | null };

/** Where an active stay's resident is moving, when that is another bydel than the stay's own (until a hand-over). */
const movingToOf = (
  bydelId: string,
  status: string,
  offered: HousingOfferedRow | null,
  offerOpen: boolean,
): MovingTo | null =>
  status === 'active' && offerOpen && offered?.receivingBydelId && offered.receivingBydelId !== bydelId
    ? {
        bydelId: offered.receivingBydelId,
        housingOfferedOn: offered.date,
        expectedMoveInDate: offered.expectedMoveInDate ?? null,
      }
    : null;

/** The bydel a resident is moving to (recorded with `housing-offered`); indexed by migration 0008. */
const MOVING_TO_BYDEL = "(s.transition->'housingOffered'->>'receivingBydelId')";

/**
 * The receiving bydel's read access ends with any bydel change recorded after the offer: the hand-over to it (the
 * stay is then its own), or to another bydel (it is no longer where the resident moves). The order of the records
 * in the audit trail decides, not the events' dates, which may be backdated.
 */
const OFFER_STILL_OPEN = `NOT EXISTS (SELECT 1 FROM audit_events b WHERE b.stay_id = s.id AND b.action = 'event.bydel-changed'
  AND b.seq > (SELECT max(o.seq) FROM audit_events o WHERE o.stay_id = s.id AND o.action = 'event.housing-offered'))`;

type RecordRowDb = {
  action: string;
  milestone: MilestoneKey | null;
  actor_role: Recorder['role'];
  actor_org: string | null;
  target: { milestone?: MilestoneKey; event?: string } | null;
};

/**
 * Who recorded each completion and event that is still in effect, replayed from the audit trail the way the
 * workflow applies corrections: a withdrawal removes the latest record of its target, a new date keeps its author.
 */
export function recordedByOf(rows: RecordRowDb[]): RecordedBy {
  const stacks = new Map<string, Recorder[]>();
  const push = (target: string, r: Recorder) => stacks.set(target, [...(stacks.get(target) ?? []), r]);
  for (const row of rows) {
    const actor: Recorder = { role: row.actor_role, org: row.actor_org };
    if ((row.action === 'milestone.completed' || row.action === 'milestone.onboarded') && row.milestone)
      push(`m:${row.milestone}`, actor);
    else if (row.action.startsWith('event.')) push(`e:${row.action.slice('event.'.length)}`, actor);
    else if (row.action === 'correction.withdraw' && row.target) {
      const key = row.target.milestone ? `m:${row.target.milestone}` : `e:${row.target.event}`;
      stacks.get(key)?.pop();
    }
  }
  const recordedBy: RecordedBy = { milestones: {}, events: {} };
  for (const [key, stack] of stacks) {
    const last = stack.at(-1);
    if (!last) continue;
    if (key.startsWith('m:')) recordedBy.milestones[key.slice(2) as MilestoneKey] = last;
    else recordedBy.events[key.slice(2)] = last;
  }
  return recordedBy;
}

const stayFields = (row: StayRow) => ({
  id: row.id,
  residentRef: row.resident_ref,
  institutionId: row.institution_id,
  bydelId: row.bydel_id,
  admittedAt: row.admitted_at,
  status: row.status,
  convener: row.convener,
  revision: row.revision,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  rulesVersion: row.rules_version,
  previousStayId: row.previous_stay_id,
});

/** Reads of the PostgreSQL read model. Statuses are computed at read time against today's date in Oslo. */
export function createStayReadModel(pool: Pool, now: () => number = Date.now) {
  return {
    async getStay(id: string, scope: ReadScope): Promise<StayView | null> {
      const params: unknown[] = [id];
      const where = whereClause(scope, {}, params, osloDate(now()));
      const stay = await pool.query<StayRow>(
        `SELECT s.* FROM stays s ${where ? `${where} AND` : 'WHERE'} s.id = $1`,
        params,
      );
      const row = stay.rows[0];
      if (!row) return null;
      const [milestones, records] = await Promise.all([
        pool.query<MilestoneRowDb>('SELECT * FROM stay_milestones WHERE stay_id = $1 ORDER BY position', [id]),
        pool.query<RecordRowDb>(
          `SELECT action, milestone, actor_role, actor_org, details->'target' AS target FROM audit_events
            WHERE stay_id = $1 AND (action IN ('milestone.completed', 'milestone.onboarded', 'correction.withdraw') OR action LIKE 'event.%')
            ORDER BY seq`,
          [id],
        ),
      ]);
      const nowMs = now();
      const views = milestones.rows.map((m): MilestoneView => {
        const rule = milestoneRule(m.key);
        return {
          key: m.key,
          title: rule.summary,
          section: rule.section,
          dueDate: m.due_date,
          originalDueDate: m.original_due_date,
          status: milestoneStatus(
            { dueDate: m.due_date, doneAt: m.done_at, applicable: m.applicable, escalates: m.escalates },
            nowMs,
          ),
          doneAt: m.done_at,
          responsible: m.responsible,
          recurring: m.recurring,
          details: m.details,
          deviation: m.deviation,
          closedBy: m.closed_by,
        };
      });
      return {
        ...stayFields(row),
        overdue: views.some((v) => v.status === 'overdue'),
        transition: row.transition ?? emptyTransition(),
        milestones: views,
        recordedBy: recordedByOf(records.rows),
      };
    },

    async listStays(scope: ReadScope, filters: StayFilters): Promise<Page<StaySummary>> {
      const today = osloDate(now());
      const params: unknown[] = [];
      const where = whereClause(scope, filters, params, today);
      const total = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM stays s ${where}`, params);
      const n = params.length;
      const rows = await pool.query<
        StayRow & {
          next_due_date: string | null;
          next_milestone: MilestoneKey | null;
          overdue_count: number;
          housing_offered: HousingOfferedRow | null;
          offer_open: boolean;
        }
      >(
        `SELECT s.id, s.resident_ref, s.institution_id, s.bydel_id, s.admitted_at, s.status, s.convener, s.revision,
           s.created_at, s.updated_at, s.rules_version, s.previous_stay_id,
           s.transition->'housingOffered' AS housing_offered, ${OFFER_STILL_OPEN} AS offer_open,
           next.due_date::text AS next_due_date, next.key AS next_milestone,
           (SELECT count(*)::int FROM stay_milestones m WHERE m.stay_id = s.id AND m.done_at IS NULL AND m.applicable
              AND m.escalates AND m.due_date < $${n + 1}::date) AS overdue_count
         FROM stays s
         LEFT JOIN LATERAL (
           SELECT m.key, m.due_date FROM stay_milestones m
            WHERE m.stay_id = s.id AND m.done_at IS NULL AND m.applicable AND m.due_date IS NOT NULL
            ORDER BY m.due_date, m.position LIMIT 1
         ) next ON true
         ${where}
         ORDER BY s.admitted_at DESC, s.id
         LIMIT $${n + 2} OFFSET $${n + 3}`,
        [...params, today, filters.limit, filters.offset],
      );
      return {
        items: rows.rows.map((r) => ({
          ...stayFields(r),
          overdue: r.overdue_count > 0,
          overdueCount: r.overdue_count,
          nextDueDate: r.next_due_date,
          nextMilestone: r.next_milestone,
          movingTo: movingToOf(r.bydel_id, r.status, r.housing_offered, r.offer_open),
        })),
        total: Number(total.rows[0]!.n),
        limit: filters.limit,
        offset: filters.offset,
      };
    },

    async listEscalations(
      scope: Scope,
      filters: { stayId?: string; kind?: EscalationView['kind']; limit: number; offset: number },
    ): Promise<Page<EscalationView>> {
      const conditions: string[] = [];
      const params: unknown[] = [];
      const add = (sql: string, value: unknown) => {
        params.push(value);
        conditions.push(`${sql} $${params.length}`);
      };
      if (scope.institutionId) add('e.institution_id =', scope.institutionId);
      if (scope.bydelId) add('e.bydel_id =', scope.bydelId);
      if (filters.stayId) add('e.stay_id =', filters.stayId);
      if (filters.kind) add('e.kind =', filters.kind);
      const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
      const total = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM escalations e ${where}`, params);
      params.push(filters.limit, filters.offset);
      const rows = await pool.query(
        `SELECT e.* FROM escalations e ${where} ORDER BY e.created_at DESC, e.id LIMIT $${params.length - 1} OFFSET $${params.length}`,
        params,
      );
      return {
        items: rows.rows.map((e) => ({
          id: e.id,
          stayId: e.stay_id,
          milestone: e.milestone,
          kind: e.kind,
          dueDate: e.due_date,
          recipient: e.recipient_role,
          institutionId: e.institution_id,
          bydelId: e.bydel_id,
          createdAt: (e.created_at as Date).toISOString(),
        })),
        total: Number(total.rows[0]!.n),
        limit: filters.limit,
        offset: filters.offset,
      };
    },

    /** The audit trail, oldest first; `action` matches an action or its prefix (`milestone`, `escalation.overdue`). */
    async history(stayId: string, filters: { action?: string; from?: string; to?: string } = {}): Promise<AuditView[]> {
      const params: unknown[] = [stayId];
      const where = ['stay_id = $1'];
      if (filters.action) {
        params.push(filters.action, `${filters.action}.%`);
        where.push(`(action = $${params.length - 1} OR action LIKE $${params.length})`);
      }
      if (filters.from) {
        params.push(filters.from);
        where.push(`at >= $${params.length}::timestamptz`);
      }
      if (filters.to) {
        params.push(filters.to);
        where.push(`at < $${params.length}::timestamptz`);
      }
      const rows = await pool.query(`SELECT * FROM audit_events WHERE ${where.join(' AND ')} ORDER BY seq`, params);
      return rows.rows.map((a) => ({
        seq: a.seq,
        at: (a.at as Date).toISOString(),
        atOslo: DateTime.fromJSDate(a.at as Date, { zone: OSLO }).toFormat('yyyy-MM-dd HH:mm:ss'),
        actor: { sub: a.actor_sub, role: a.actor_role, org: a.actor_org },
        action: a.action,
        milestone: a.milestone,
        details: a.details,
      }));
    },

    /** Whether the stay exists and the caller may see it (a stay outside the scope is reported as absent). */
    async isVisible(id: string, scope: ReadScope): Promise<boolean> {
      const params: unknown[] = [id];
      const where = whereClause(scope, {}, params, osloDate(now()));
      const found = await pool.query(`SELECT 1 FROM stays s ${where ? `${where} AND` : 'WHERE'} s.id = $1`, params);
      return found.rowCount === 1;
    },

    async ping(): Promise<void> {
      await pool.query('SELECT 1');
    },
  };
}

export type StayReadModel = ReturnType<typeof createStayReadModel>;

declare module 'fastify' {
  interface FastifyInstance {
    stayReadModel: StayReadModel;
  }
}

export default fp(
  async (app: FastifyInstance, opts: { pool: Pool }) => {
    app.decorate('stayReadModel', createStayReadModel(opts.pool));
  },
  { name: 'stay-read-model' },
);
