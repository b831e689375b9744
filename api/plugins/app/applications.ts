import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Pool, PoolClient } from 'pg';
import { withTransaction } from '../../../config/database';
import { APPLICATIONS_SECTION } from '../../../rules/applications';
import type { AddApplicationBody, Application, UpdateApplicationBody } from '../../../schemas/applications';
import type { Caller } from './auth';
import { appendStayAudit } from './stay-audit';
import type { StayView } from '../../../schemas/stays';

type ApplicationRow = {
  id: string;
  origin: Application['origin'];
  type: Application['type'];
  other_type: string | null;
  responsible: Application['responsible'];
  sent_on: string;
  outcome: Application['outcome'];
  outcome_on: string | null;
  report_attached: boolean;
  updated_at: Date | null;
};

const toApplication = (r: ApplicationRow): Application => ({
  id: r.id,
  origin: r.origin,
  type: r.type,
  otherType: r.other_type,
  responsible: r.responsible,
  sentOn: r.sent_on,
  outcome: r.outcome,
  outcomeOn: r.outcome_on,
  reportAttached: r.report_attached,
  updatedAt: r.updated_at ? r.updated_at.toISOString() : null,
});

/**
 * The id of the `index`th application recorded with the applications milestone: derived (a name-based UUID), so the
 * same application has the same id in every read, before and after anything more is recorded about it.
 */
export function milestoneApplicationId(stayId: string, index: number): string {
  const h = createHash('sha1').update(`${stayId}:applications-milestone:${index}`).digest('hex');
  const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

type MilestoneApplication = { type: Application['type']; responsible: Application['responsible']; sentAt: string };

/** The applications the milestone recorded (§2.2), as rows nothing more has been recorded about yet. */
export function milestoneApplications(stay: Pick<StayView, 'id' | 'milestones'>): ApplicationRow[] {
  const m = stay.milestones.find((x) => x.key === 'applications');
  const listed = (m?.doneAt ? (m.details?.applications as MilestoneApplication[] | undefined) : undefined) ?? [];
  return listed.map((a, i) => ({
    id: milestoneApplicationId(stay.id, i),
    origin: 'milestone',
    type: a.type,
    other_type: null,
    responsible: a.responsible,
    sent_on: a.sentAt,
    outcome: 'pending',
    outcome_on: null,
    report_attached: false,
    updated_at: null,
  }));
}

const snapshot = (a: Application) => ({
  type: a.type,
  otherType: a.otherType,
  responsible: a.responsible,
  sentOn: a.sentOn,
  outcome: a.outcome,
  outcomeOn: a.outcomeOn,
  reportAttached: a.reportAttached,
});

const COLUMNS = 'id, origin, type, other_type, responsible, sent_on, outcome, outcome_on, report_attached, updated_at';

async function rowsOf(client: Pool | PoolClient, stayId: string): Promise<ApplicationRow[]> {
  const rows = await client.query<ApplicationRow>(
    `SELECT ${COLUMNS} FROM stay_applications WHERE stay_id = $1 ORDER BY created_at, id`,
    [stayId],
  );
  return rows.rows;
}

const bySentOn = (a: Application, b: Application) => (a.sentOn < b.sentOn ? -1 : a.sentOn > b.sentOn ? 1 : 0);

/**
 * What the stay has: the milestone's applications (with whatever was recorded about them since) and the added ones,
 * by the day they were sent; on the same day in the order they were listed, then added (a stable sort).
 */
function merge(stay: Pick<StayView, 'id' | 'milestones'>, stored: ApplicationRow[]): Application[] {
  const storedById = new Map(stored.map((r) => [r.id, r]));
  const fromMilestone = milestoneApplications(stay).map((r) => storedById.get(r.id) ?? r);
  const listed = new Set(fromMilestone.map((r) => r.id));
  return [...fromMilestone, ...stored.filter((r) => !listed.has(r.id))].map(toApplication).sort(bySentOn);
}

/**
 * Applications of stays (stay_applications). Every change is one transaction with its audit entry in the stay's
 * trail (before → after); a change that changes nothing writes nothing.
 */
export function createApplications(pool: Pool) {
  return {
    list: async (stay: Pick<StayView, 'id' | 'milestones'>) => merge(stay, await rowsOf(pool, stay.id)),

    /** Adds an application. With an Idempotency-Key a retry by the same user answers with the one it added. */
    async add(
      stayId: string,
      caller: Caller,
      body: AddApplicationBody,
      idempotencyKey?: string,
    ): Promise<{ application: Application; created: boolean }> {
      return withTransaction(pool, async (client) => {
        const earlier = async () =>
          idempotencyKey
            ? (
                await client.query<ApplicationRow>(
                  `SELECT ${COLUMNS} FROM stay_applications WHERE stay_id = $1 AND created_by = $2 AND idempotency_key = $3`,
                  [stayId, caller.sub, idempotencyKey],
                )
              ).rows[0]
            : undefined;
        const found = await earlier();
        if (found) return { application: toApplication(found), created: false };
        const inserted = await client.query<ApplicationRow>(
          `INSERT INTO stay_applications (id, stay_id, origin, type, other_type, responsible, sent_on, outcome,
             outcome_on, report_attached, created_by, idempotency_key)
           VALUES (gen_random_uuid(), $1, 'added', $2, $3, $4, $5, $6, $7, $8, $9, $10)
           ON CONFLICT ON CONSTRAINT stay_applications_once DO NOTHING RETURNING ${COLUMNS}`,
          [
            stayId,
            body.type,
            body.otherType ?? null,
            body.responsible,
            body.sentOn,
            body.outcome ?? 'pending',
            body.outcomeOn ?? null,
            body.reportAttached ?? false,
            caller.sub,
            idempotencyKey ?? null,
          ],
        );
        const row = inserted.rows[0];
        // the same key raced us between the look-up and the insert: theirs is the application
        if (!row) return { application: toApplication((await earlier())!), created: false };
        const application = toApplication(row);
        await appendStayAudit(client, {
          stayId,
          caller,
          action: 'application.added',
          milestone: 'applications',
          details: { applicationId: application.id, section: APPLICATIONS_SECTION, after: snapshot(application) },
        });
        return { application, created: true };
      });
    },

    /**
     * The application as it would be after `change` (null: not an application of this stay), for the rules to
     * check before anything is written.
     */
    async preview(
      stay: Pick<StayView, 'id' | 'milestones'>,
      applicationId: string,
      change: UpdateApplicationBody,
    ): Promise<Application | null> {
      const current = (await this.list(stay)).find((a) => a.id === applicationId);
      return current ? applyChange(current, change) : null;
    },

    /** Records an outcome, the report, or a correction; the first change to a milestone's application stores it. */
    async update(
      stay: Pick<StayView, 'id' | 'milestones'>,
      applicationId: string,
      caller: Caller,
      change: UpdateApplicationBody,
    ): Promise<Application | null> {
      return withTransaction(pool, async (client) => {
        await client.query("SELECT pg_advisory_xact_lock(hashtext('stay-applications'), hashtext($1))", [stay.id]);
        const before = merge(stay, await rowsOf(client, stay.id)).find((a) => a.id === applicationId);
        if (!before) return null;
        const after = applyChange(before, change);
        const b = snapshot(before);
        const a = snapshot(after);
        const keys = (Object.keys(a) as (keyof typeof a)[]).filter((k) => a[k] !== b[k]);
        if (keys.length === 0) return before;
        const saved = await client.query<ApplicationRow>(
          `INSERT INTO stay_applications (id, stay_id, origin, type, other_type, responsible, sent_on, outcome,
             outcome_on, report_attached, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
           ON CONFLICT (id) DO UPDATE SET responsible = EXCLUDED.responsible, sent_on = EXCLUDED.sent_on,
             outcome = EXCLUDED.outcome, outcome_on = EXCLUDED.outcome_on,
             report_attached = EXCLUDED.report_attached, updated_at = now()
           RETURNING ${COLUMNS}`,
          [
            after.id,
            stay.id,
            after.origin,
            after.type,
            after.otherType,
            after.responsible,
            after.sentOn,
            after.outcome,
            after.outcomeOn,
            after.reportAttached,
            caller.sub,
          ],
        );
        await appendStayAudit(client, {
          stayId: stay.id,
          caller,
          action: 'application.updated',
          milestone: 'applications',
          details: {
            applicationId,
            section: APPLICATIONS_SECTION,
            before: Object.fromEntries(keys.map((k) => [k, b[k]])),
            after: Object.fromEntries(keys.map((k) => [k, a[k]])),
          },
        });
        return toApplication(saved.rows[0]!);
      });
    },
  };
}

/** A new outcome replaces the old one's date; a pending application has none. */
function applyChange(a: Application, change: UpdateApplicationBody): Application {
  const outcome = change.outcome ?? a.outcome;
  const outcomeOn = outcome === 'pending' ? null : change.outcomeOn === undefined ? a.outcomeOn : change.outcomeOn;
  return {
    ...a,
    responsible: change.responsible ?? a.responsible,
    sentOn: change.sentOn ?? a.sentOn,
    outcome,
    outcomeOn,
    reportAttached: change.reportAttached ?? a.reportAttached,
  };
}

export type Applications = ReturnType<typeof createApplications>;

declare module 'fastify' {
  interface FastifyInstance {
    applications: Applications;
  }
}

export default fp(
  async (app: FastifyInstance, opts: { pool: Pool }) => {
    app.decorate('applications', createApplications(opts.pool));
  },
  { name: 'applications' },
);
