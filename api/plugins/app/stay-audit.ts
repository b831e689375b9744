import type { PoolClient } from 'pg';
import { actorOf, type Caller } from './auth';

/**
 * Appends an entry the API wrote (contacts, meetings) to the stay's audit trail, inside the caller's transaction,
 * so a change is never recorded without its audit entry. The workflow numbers its own entries 1, 2, 3 …; these take
 * negative numbers from a sequence of their own (migration 0030) and never collide with them.
 */
export async function appendStayAudit(
  client: PoolClient,
  entry: {
    stayId: string;
    caller: Caller;
    action: string;
    milestone?: string | null;
    details: Record<string, unknown>;
  },
): Promise<void> {
  const actor = actorOf(entry.caller);
  await client.query(
    `INSERT INTO audit_events (stay_id, seq, at, actor_sub, actor_role, actor_org, action, milestone, details)
     VALUES ($1, -nextval('audit_events_api_seq'), clock_timestamp(), $2, $3, $4, $5, $6, $7)`,
    [
      entry.stayId,
      actor.sub,
      actor.role,
      actor.org,
      entry.action,
      entry.milestone ?? null,
      JSON.stringify(entry.details),
    ],
  );
}
