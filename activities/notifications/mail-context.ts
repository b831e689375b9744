import type { Pool } from 'pg';
import { personNameSql } from '../../outbox/people';

/** Someone to call about the stay, as a mail lists them. */
export type ContactLine = {
  role: string;
  name: string;
  organisationId: string;
  phone: string | null;
  email: string | null;
};

/**
 * What a mail about a stay names, read when it is sent (nothing personal is queued): organisations by name, the
 * stay's contacts (who to call), and who follows a deadline up.
 */
export type MailContext = {
  appBaseUrl: string;
  name: (orgId: string) => string;
  contacts: ContactLine[];
  /** For an alarm: the people who took its milestone or the alarm itself, by name. */
  followedBy: string[];
};

const ROLE_NB: Record<string, string> = {
  'primary-contact': 'primærkontakt',
  'bydel-contact': 'kontaktperson i bydelen',
  'housing-follow-up-worker': 'booppfølger',
  other: 'annen kontakt',
};

export const contactLine = (c: ContactLine, name: (id: string) => string) =>
  `- ${c.name}, ${ROLE_NB[c.role] ?? c.role}, ${name(c.organisationId)}${c.phone ? `, tlf. ${c.phone}` : ''}${c.email ? `, ${c.email}` : ''}`;

/** Organisation ids → names (an id the register does not know is shown as it is). */
export async function organisationNames(pool: Pool, ids: string[]): Promise<(id: string) => string> {
  const { rows } = await pool.query<{ id: string; name: string }>(
    'SELECT id, name FROM organisations WHERE id = ANY($1)',
    [[...new Set(ids)]],
  );
  const names = new Map(rows.map((o) => [o.id, o.name]));
  return (id: string) => names.get(id) ?? id;
}

/**
 * The context of a mail about one stay: the names of `orgIds` and of the contacts' organisations, the stay's contacts
 * but "other", and, for an alarm
 * (`deadline`), who follows it up — whoever took its milestone on the stay or the alarm in the inbox.
 */
export async function stayMailContext(
  pool: Pool,
  appBaseUrl: string,
  stayId: string,
  orgIds: string[],
  deadline?: { milestone: string; alarmId: string },
): Promise<MailContext> {
  const [contacts, followers] = await Promise.all([
    pool.query<ContactLine & { organisation_id: string }>(
      `SELECT role, name, organisation_id, phone, email FROM stay_contacts
        WHERE stay_id = $1 AND role <> 'other' ORDER BY position`,
      [stayId],
    ),
    deadline
      ? pool.query<{ name: string | null }>(
          `SELECT ${personNameSql('t.sub', '$1::uuid')} AS name FROM (
             SELECT assigned_to AS sub, assigned_at AS since FROM stay_milestone_assignees
              WHERE stay_id = $1 AND milestone = $2
             UNION
             SELECT assigned_to, assigned_at FROM deadline_alarms WHERE id = $3 AND assigned_to IS NOT NULL
           ) t ORDER BY t.since`,
          [stayId, deadline.milestone, deadline.alarmId],
        )
      : Promise.resolve({ rows: [] as { name: string | null }[] }),
  ]);
  return {
    appBaseUrl,
    name: await organisationNames(pool, [...orgIds, ...contacts.rows.map((c) => c.organisation_id)]),
    contacts: contacts.rows.map((c) => ({ ...c, organisationId: c.organisation_id })),
    followedBy: [...new Set(followers.rows.map((r) => r.name).filter((n): n is string => !!n))],
  };
}
