import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRetentionActivities } from '../../../activities/read-model/anonymise-stay';
import type { Caller } from '../../../api/plugins/app/auth';
import { createApplications } from '../../../api/plugins/app/applications';
import { createContacts } from '../../../api/plugins/app/contacts';
import { createInbox } from '../../../api/plugins/app/inbox';
import { createMeetings } from '../../../api/plugins/app/meetings';
import { createMilestoneAssignees } from '../../../api/plugins/app/milestone-assignees';
import { createParticipation } from '../../../api/plugins/app/participation';
import { testPool } from '../../support/database';
import { raiseEscalations } from '../../support/escalation-fixtures';

const INST = `inst-anon-${randomUUID().slice(0, 6)}`;
const BYDEL = 'bydel-anon';
const institution: Caller = { sub: 'staff-anon-1', role: 'institution', org: INST };

describe("anonymiseStay: staff contact data, meeting places, the resident's own answers", () => {
  let pool: Pool;
  let stayId: string;
  let meetingId: string;

  beforeAll(async () => {
    pool = testPool();
    const raised = await raiseEscalations(pool, { institutionId: INST, bydelId: BYDEL }, [
      { milestone: 'exit-meeting', kind: 'overdue', dueDate: '2026-02-20', recipient: 'institution' },
    ]);
    stayId = raised.stayId;
    const { contacts } = await createContacts(pool).replace(stayId, institution, [
      {
        role: 'primary-contact',
        name: 'Kari Primær',
        organisationId: INST,
        phone: '+47 22 33 44 55',
        email: 'kari@kontakt.test',
        userId: 'staff-anon-1',
      },
    ]);
    const meetings = createMeetings(pool);
    const { row } = await meetings.plan(stayId, institution, {
      milestone: 'exit-meeting',
      start: Date.parse('2026-03-02T09:00:00Z'),
      place: 'Storgata 1, leilighet 302',
      invited: [contacts[0]!.id],
    });
    meetingId = row.id;
    await meetings.update(stayId, meetingId, institution, { place: 'Storgata 1, leilighet 304' });
    const participation = createParticipation(pool);
    await participation.putConsent(
      stayId,
      institution,
      { given: true, date: '2026-01-10', validUntil: '2026-07-10' },
      '2026-02-01',
    );
    await createApplications(pool).add(stayId, institution, {
      type: 'other',
      otherType: 'Søknad til Kirkens Bymisjon',
      responsible: 'institution',
      sentOn: '2026-01-20',
    });
    // the exit plan as the workflow writes it to the read model, and its audit entry (before → after per part)
    const finances = {
      responsible: 'bydel',
      status: 'in-progress',
      tasks: [
        { title: 'Søke bostøtte hos Husbanken', owner: 'other', ownerName: 'Ola Saksbehandler', dueOn: '2026-03-01' },
      ],
    };
    await pool.query(`UPDATE stays SET transition = $2 WHERE id = $1`, [
      stayId,
      JSON.stringify({ exitPlan: { parts: { finances }, contingencyPlanConsidered: true }, bydelChanges: [] }),
    ]);
    await pool.query(
      `INSERT INTO audit_events (stay_id, seq, at, actor_sub, actor_role, actor_org, action, milestone, details)
       VALUES ($1, 7, now(), 'staff-anon-1', 'bydel', $2, 'exit-plan.updated', NULL, $3)`,
      [
        stayId,
        BYDEL,
        JSON.stringify({ section: '§3.2', created: true, changes: { finances: { from: null, to: finances } } }),
      ],
    );
    await participation.putRelatives(stayId, institution, {
      involvement: 'not-wanted-by-resident',
      date: '2026-01-10',
    });
    // Kari takes the exit meeting ("Ta saken"): named in the audit entry by the contact with her login
    const taken = await createMilestoneAssignees(pool).take(stayId, 'exit-meeting', institution);
    expect(taken).toMatchObject([{ userId: 'staff-anon-1', name: 'Kari Primær' }]);
    // … and its missed deadline in the inbox
    const alarm = await createInbox(pool).assignToSelf(institution, raised.escalations[0]!.id);
    expect(alarm).toMatchObject({ assignedTo: 'staff-anon-1', assignedToName: 'Kari Primær' });
  });
  afterAll(() => pool?.end());

  it("clears contacts' names, phones, e-mails and logins, meeting places, and the same in the audit trail", async () => {
    const anonymise = () =>
      createRetentionActivities(pool).anonymiseStay({
        stayId,
        auditSeq: 100,
        at: new Date().toISOString(),
        retentionDays: 365,
      });
    await anonymise();
    await anonymise(); // a retried activity finds nothing left and changes nothing

    const contacts = await pool.query(
      'SELECT role, name, organisation_id, phone, email, user_id FROM stay_contacts WHERE stay_id = $1',
      [stayId],
    );
    // who had which role, from which organisation, remains for anonymous figures
    expect(contacts.rows).toEqual([
      { role: 'primary-contact', name: 'anonymisert', organisation_id: INST, phone: null, email: null, user_id: null },
    ]);
    const meeting = await pool.query(
      'SELECT milestone, place, video_link, created_by, planned_at FROM stay_meetings WHERE id = $1',
      [meetingId],
    );
    expect(meeting.rows[0]).toMatchObject({
      milestone: 'exit-meeting',
      place: null,
      video_link: null,
      created_by: null,
    });
    expect(meeting.rows[0].planned_at.toISOString()).toBe('2026-03-02T09:00:00.000Z');

    const audit = await pool.query<{ action: string; actor_sub: string | null; details: Record<string, unknown> }>(
      `SELECT action, actor_sub, details FROM audit_events WHERE stay_id = $1 ORDER BY at, seq`,
      [stayId],
    );
    expect(audit.rows.map((a) => a.action)).toEqual([
      'contacts.updated',
      'meeting.planned',
      'meeting.updated',
      'consent.recorded',
      'application.added',
      'exit-plan.updated',
      'relatives.updated',
      'milestone.taken',
      'escalation.taken',
      'stay.anonymised',
    ]);
    expect((await pool.query('SELECT 1 FROM stay_milestone_assignees WHERE stay_id = $1', [stayId])).rowCount).toBe(0);
    // the resident's own answers are not kept at all, neither in their tables nor as before → after
    for (const table of ['stay_consents', 'stay_relatives'])
      expect((await pool.query(`SELECT 1 FROM ${table} WHERE stay_id = $1`, [stayId])).rowCount).toBe(0);
    for (const a of audit.rows.filter((r) => /^(consent|relatives)\./.test(r.action)))
      expect(Object.keys(a.details)).toEqual(['section']);
    // the exit plan keeps who does a task by when, not what it is or whose name
    const scrubbed = { responsible: 'bydel', status: 'in-progress', tasks: [{ owner: 'other', dueOn: '2026-03-01' }] };
    const transition = (await pool.query('SELECT transition FROM stays WHERE id = $1', [stayId])).rows[0].transition;
    expect(transition.exitPlan.parts.finances).toEqual(scrubbed);
    expect(audit.rows.find((a) => a.action === 'exit-plan.updated')!.details.changes).toEqual({
      finances: { from: null, to: scrubbed },
    });
    // an application keeps its type, dates and outcome; the name of an `other` one goes
    const application = await pool.query(
      'SELECT type, other_type, sent_on, outcome FROM stay_applications WHERE stay_id = $1',
      [stayId],
    );
    expect(application.rows).toEqual([{ type: 'other', other_type: null, sent_on: '2026-01-20', outcome: 'pending' }]);
    const text = JSON.stringify(audit.rows);
    for (const personal of [
      'Kari',
      '22 33 44 55',
      'kontakt.test',
      'Storgata',
      'staff-anon-1',
      'Bymisjon',
      'Husbanken',
      'Saksbehandler',
    ])
      expect(text).not.toContain(personal);
    expect(audit.rows[1]!.details).toMatchObject({
      after: { milestone: 'exit-meeting', plannedAt: '2026-03-02T10:00' },
    });
  });
});
