import type { Pool } from 'pg';
import { namedStatement } from '../../../../config/database';
import type { AccessLogRow } from '../access-log';
import { personNameSql } from '../../../../outbox/people';
import { milestoneRule } from '../../../../rules/milestones';
import { milestoneStatus } from '../../../../rules/milestone-status';
import { dueSoonUntil } from '../../../../rules/due-soon';
import { osloDate } from '../../../../rules/oslo-calendar';
import type { IsoDate, MilestoneKey, Party } from '../../../../rules/types';
import { emptyTransition } from '../../../../workflows/stay/stay-state';
import type { Interpretations } from '../../../../rules/interpretations';
import type { Deviation, PendingDeviation, Transition } from '../../../../workflows/stay/types';
import type {
  MilestoneView,
  MovingTo,
  RecordedBy,
  StayFilters,
  StayList,
  StaySort,
  StayView,
} from '../../../../schemas/stays';
import type { Scope } from '../auth';
import { WhereClause } from './where-clause';

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
  interpretations?: Interpretations | null;
  /** Written by the workflow (migration 0009 back-filled the stays before it). */
  recorded_by?: RecordedBy | null;
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
  pending_deviation: PendingDeviation | null;
  silenced_by: string | null;
};

/**
 * What a caller reads. `withMovingIn`: a bydel also reads the active stays of residents moving to it — housing was
 * offered with it as the receiving bydel, and its booppfølger is to be involved early (§3) — until the bydel change
 * makes the stay its own. Reading only: commands use the plain scope.
 */
export type ReadScope = Scope & { withMovingIn?: boolean };

/** The list's filters as the route resolves them: `mine` becomes the caller's user id. */
export type StayListFilters = Omit<StayFilters, 'mine'> & {
  /** Stays where this user is a contact ("mine beboere"). */
  contactUserId?: string;
};

/** The stays a caller may read, narrowed by the list's filters. */
function whereStays(scope: ReadScope, filters: Partial<StayListFilters>, today: IsoDate, where = new WhereClause()) {
  if (scope.institutionId) where.add('s.institution_id = ?', scope.institutionId);
  if (scope.bydelId && scope.withMovingIn)
    where.add(
      `(s.bydel_id = ? OR (s.status = 'active' AND ${MOVING_TO_BYDEL} = ? AND ${OFFER_STILL_OPEN}))`,
      scope.bydelId,
    );
  else if (scope.bydelId) where.add('s.bydel_id = ?', scope.bydelId);
  if (filters.institutionId) where.add('s.institution_id = ?', filters.institutionId);
  if (filters.bydelId) where.add('s.bydel_id = ?', filters.bydelId);
  if (filters.status) where.add('s.status = ?', filters.status);
  if (filters.movingTo)
    where.add(
      `s.status = 'active' AND ${MOVING_TO_BYDEL} = ? AND s.bydel_id <> ? AND ${OFFER_STILL_OPEN}`,
      filters.movingTo,
    );
  if (filters.contactUserId)
    where.add('EXISTS (SELECT 1 FROM stay_contacts c WHERE c.stay_id = s.id AND c.user_id = ?)', filters.contactUserId);
  if (filters.overdue !== undefined)
    where.add(`${filters.overdue ? '' : 'NOT '}EXISTS (SELECT 1 FROM ${overdueMilestones('?')})`, today);
  if (filters.search)
    where.add(
      "s.resident_ref ILIKE '%' || ? || '%'",
      // a reference may hold "_", which LIKE would read as any character
      filters.search.replaceAll('_', '\\_'),
    );
  return where;
}

/** The stay's binding deadlines that passed before the date `date` stands for (`$n`, or `?` in a WhereClause). */
const overdueMilestones = (date: string) => `stay_milestones m WHERE m.stay_id = s.id
  AND m.done_at IS NULL AND m.applicable AND m.escalates AND m.due_date < ${date}::date`;

/** The stay's open deadlines (with a due date). Indexed by migration 0053: one short index range per stay. */
const OPEN_DEADLINES = `stay_milestones m
  WHERE m.stay_id = s.id AND m.done_at IS NULL AND m.applicable AND m.due_date IS NOT NULL`;

/** The stay's next deadline, as `next`: the open one due first (the rule book's order breaks ties). */
const NEXT_DEADLINE = `LEFT JOIN LATERAL (
  SELECT m.key, m.due_date FROM ${OPEN_DEADLINES} ORDER BY m.due_date, m.position LIMIT 1
) next ON true`;

/**
 * The list's orders. Each ends with the stay id, so that a page boundary never splits ties differently from one call
 * to the next; `next` says it reads the next deadline of every matching stay.
 */
const ORDERS: Record<StaySort, { by: string; next?: true }> = {
  admitted: { by: 's.admitted_at DESC, s.id' },
  'next-deadline': { by: 'next.due_date NULLS LAST, s.resident_ref, s.id', next: true },
  resident: { by: 's.resident_ref, s.admitted_at DESC, s.id' },
};

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
export const OFFER_STILL_OPEN = `NOT EXISTS (SELECT 1 FROM audit_events b WHERE b.stay_id = s.id AND b.action = 'event.bydel-changed'
  AND b.seq > (SELECT max(o.seq) FROM audit_events o WHERE o.stay_id = s.id AND o.action = 'event.housing-offered'))`;

/** The columns of a StayRow, named: a prepared statement must not select `*` (see namedStatement). */
const STAY_COLUMNS = `s.id, s.resident_ref, s.institution_id, s.bydel_id, s.admitted_at, s.status, s.convener, s.revision,
  s.created_at, s.updated_at, s.rules_version, s.previous_stay_id, s.transition, s.interpretations, s.recorded_by`;

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

/** The stays and their milestones. Statuses are computed at read time against today's date in Oslo. */
export function createStaysRepository(pool: Pool, now: () => number) {
  return {
    /**
     * The stay in the caller's scope, or null. With `log`, the same statement writes the access-log row of the read
     * (only when a stay was found): every command answers with this read, so it is on the path of each one.
     */
    async getStay(id: string, scope: ReadScope, log?: AccessLogRow): Promise<StayView | null> {
      const where = whereStays(scope, {}, osloDate(now()), new WhereClause().add('s.id = ?', id));
      const read = `SELECT ${STAY_COLUMNS}, COALESCE((SELECT json_agg(m ORDER BY m.position) FROM stay_milestones m
             WHERE m.stay_id = s.id), '[]') AS milestones
           FROM stays s ${where.sql}`;
      const n = where.params.length;
      const stay = await pool.query<StayRow & { milestones: MilestoneRowDb[] }>(
        log
          ? {
              ...namedStatement(
                'get-stay-logged',
                `WITH s AS (${read}), logged AS (
                   INSERT INTO access_log (actor_sub, actor_role, actor_org, stay_id, view, request_id)
                   SELECT $${n + 1}, $${n + 2}, $${n + 3}, s.id, $${n + 4}, $${n + 5} FROM s
                 )
                 SELECT * FROM s`,
              ),
              values: [...where.params, log.actorSub, log.actorRole, log.actorOrg, log.view, log.requestId],
            }
          : { ...namedStatement('get-stay', read), values: where.params },
      );
      const row = stay.rows[0];
      if (!row) return null;
      const nowMs = now();
      const views = row.milestones.map((m): MilestoneView => {
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
          pendingDeviation: m.pending_deviation,
          silencedBy: m.silenced_by,
        };
      });
      return {
        ...stayFields(row),
        interpretations: row.interpretations ?? null,
        overdue: views.some((v) => v.status === 'overdue'),
        transition: row.transition ?? emptyTransition(),
        milestones: views,
        recordedBy: row.recorded_by ?? { milestones: {}, events: {} },
      };
    },

    async listStays(scope: ReadScope, filters: StayListFilters): Promise<StayList> {
      const today = osloDate(now());
      const where = whereStays(scope, filters, today);
      const { params } = where;
      const n = params.length;
      const order = ORDERS[filters.sort];
      // the page and the counts are independent reads: two connections at once, not one after the other
      const [counts, rows] = await Promise.all([
        // materialised: each matching stay's two probes are made once, however often the counts below name them
        pool.query<{ total: number; overdue: number; due_soon: number }>(
          `WITH matching AS MATERIALIZED (
             SELECT s.status, EXISTS (SELECT 1 FROM ${overdueMilestones(`$${n + 1}`)}) AS overdue,
               (SELECT min(m.due_date) FROM ${OPEN_DEADLINES}) AS next_due
             FROM stays s ${where.sql})
           SELECT count(*)::int AS total, count(*) FILTER (WHERE overdue)::int AS overdue,
             count(*) FILTER (WHERE NOT overdue AND status = 'active'
               AND next_due BETWEEN $${n + 1}::date AND $${n + 2}::date)::int AS due_soon
           FROM matching`,
          [...params, today, dueSoonUntil(today)],
        ),
        // The page's stays first, then what is shown of them: the subqueries below run for its rows only, not for
        // every stay the order has to look at.
        pool.query<
          StayRow & {
            next_due_date: string | null;
            next_milestone: MilestoneKey | null;
            overdue_count: number;
            housing_offered: HousingOfferedRow | null;
            offer_open: boolean;
            next_assigned_to: string | null;
            next_assigned_to_name: string | null;
          }
        >(
          `WITH page AS MATERIALIZED (
             SELECT s.id, row_number() OVER (ORDER BY ${order.by}) AS ord
             FROM stays s ${order.next ? NEXT_DEADLINE : ''}
             ${where.sql}
             ORDER BY ${order.by}
             LIMIT $${n + 2} OFFSET $${n + 3})
           SELECT s.id, s.resident_ref, s.institution_id, s.bydel_id, s.admitted_at, s.status, s.convener, s.revision,
             s.created_at, s.updated_at, s.rules_version, s.previous_stay_id,
             s.transition->'housingOffered' AS housing_offered, ${OFFER_STILL_OPEN} AS offer_open,
             next.due_date::text AS next_due_date, next.key AS next_milestone,
             nma.assigned_to AS next_assigned_to,
             ${personNameSql('nma.assigned_to', 's.id')} AS next_assigned_to_name,
             (SELECT count(*)::int FROM ${overdueMilestones(`$${n + 1}`)}) AS overdue_count
           FROM page JOIN stays s ON s.id = page.id
           ${NEXT_DEADLINE}
           LEFT JOIN stay_milestone_assignees nma ON nma.stay_id = s.id AND nma.milestone = next.key
           ORDER BY page.ord`,
          [...params, today, filters.limit, filters.offset],
        ),
      ]);
      const { total, overdue, due_soon } = counts.rows[0]!;
      return {
        items: rows.rows.map((r) => ({
          ...stayFields(r),
          overdue: r.overdue_count > 0,
          overdueCount: r.overdue_count,
          nextDueDate: r.next_due_date,
          nextMilestone: r.next_milestone,
          nextMilestoneAssignee: r.next_assigned_to
            ? { userId: r.next_assigned_to, name: r.next_assigned_to_name }
            : null,
          movingTo: movingToOf(r.bydel_id, r.status, r.housing_offered, r.offer_open),
        })),
        total,
        counts: { overdue, dueSoon: due_soon },
        limit: filters.limit,
        offset: filters.offset,
      };
    },

    /** Whether the stay exists and the caller may see it (a stay outside the scope is reported as absent). */
    async isVisible(id: string, scope: ReadScope): Promise<boolean> {
      const where = whereStays(scope, {}, osloDate(now()), new WhereClause().add('s.id = ?', id));
      const found = await pool.query({
        ...namedStatement('stay-visible', `SELECT 1 FROM stays s ${where.sql}`),
        values: where.params,
      });
      return found.rowCount === 1;
    },
  };
}
