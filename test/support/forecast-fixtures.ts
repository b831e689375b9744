import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createReadModelActivities } from '../../activities/read-model/sync-stay';
import { createNotificationSettings } from '../../api/plugins/app/notification-settings';
import { SecretBox } from '../../config/secret-box';
import { EMBEDDED_WEBHOOKS } from '../../config/webhook-target';
import type { IsoDate, MilestoneKey, Party } from '../../rules/types';
import type { MilestoneRow } from '../../workflows/stay/types';

export const WEBHOOK_SECRET = 'forecast-digest-webhook-secret';
export const testSecrets = new SecretBox(new Map([['k-test', randomBytes(32)]]), 'k-test');

type Deadline = { key: MilestoneKey; dueDate: IsoDate; doneAt?: IsoDate | null; responsible?: Party };
export type SeededStay = { id: string; residentRef: string; institutionId: string; bydelId: string };

/**
 * Writes a stay with exactly these deadlines through the real read-model activity (as its workflow would), so the
 * forecast's SQL reads what production rows look like. Call again with a higher revision to change it.
 */
export async function seedStay(
  pool: Pool,
  stay: Partial<SeededStay> & { institutionId: string; bydelId: string },
  deadlines: Deadline[],
  revision = 1,
): Promise<SeededStay> {
  const seeded = {
    id: stay.id ?? randomUUID(),
    residentRef: stay.residentRef ?? `R-FD-${randomUUID().slice(0, 8)}`,
    ...stay,
  };
  const now = new Date().toISOString();
  const milestones: MilestoneRow[] = deadlines.map((d, position) => ({
    key: d.key,
    dueDate: d.dueDate,
    originalDueDate: null,
    doneAt: d.doneAt ?? null,
    applicable: true,
    recurring: false,
    escalates: true,
    responsible: d.responsible ?? 'institution',
    details: null,
    deviation: null,
    closedBy: null,
    position,
  }));
  await createReadModelActivities(pool).syncStayReadModel({
    stay: {
      id: seeded.id,
      residentRef: seeded.residentRef,
      institutionId: seeded.institutionId,
      bydelId: seeded.bydelId,
      admittedAt: '2026-01-05',
      status: 'active',
      convener: 'institution',
      revision,
      createdAt: now,
      updatedAt: now,
    },
    milestones,
    audit: [],
    escalations: [],
  });
  return seeded;
}

/** Registers organisations straight in the register (the test database is the digest's own). */
export async function registerOrgs(pool: Pool, orgs: { id: string; kind: 'institution' | 'bydel'; name: string }[]) {
  for (const o of orgs)
    await pool.query('INSERT INTO organisations (id, kind, name) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING', [
      o.id,
      o.kind,
      o.name,
    ]);
}

/** Who is told, as an administrator sets it: e-mail recipients and, optionally, a webhook. */
export async function notify(
  pool: Pool,
  orgId: string,
  recipients: { email: string; role: 'coordinator' | 'leader' }[],
  webhookUrl?: string,
) {
  await createNotificationSettings(pool, testSecrets, EMBEDDED_WEBHOOKS).put(
    orgId,
    {
      recipients: recipients.map((r) => ({ ...r, delivery: 'immediate', digestTime: '07:00' })),
      webhook: webhookUrl ? { url: webhookUrl, secret: WEBHOOK_SECRET } : null,
    },
    'admin',
  );
}
