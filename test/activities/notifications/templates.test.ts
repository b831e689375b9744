import { describe, expect, it } from 'vitest';
import type { MailContext } from '../../../activities/notifications/mail-context';
import { digestMail, immediateMail, type NotificationItem } from '../../../activities/notifications/templates';

const NAMES: Record<string, string> = { 'inst-1': 'Tyrili Klokkergården', 'bydel-1': 'Bydel Frogner' };
const ctx = (over: Partial<MailContext> = {}): MailContext => ({
  appBaseUrl: 'http://app.test',
  name: (id) => NAMES[id] ?? id,
  contacts: [],
  followedBy: [],
  ...over,
});

const item = (over: Partial<NotificationItem>): NotificationItem => ({
  deliveryId: 'd-1',
  escalationId: 'e-1',
  alarmId: 'a-1',
  kind: 'reminder',
  milestone: 'status-report',
  stayId: 's-1',
  dueDate: '2026-05-05',
  institutionId: 'inst-1',
  bydelId: 'bydel-1',
  ...over,
});

describe('notification texts', () => {
  it('asks the bydel where a discharged resident went, without anything about the person', () => {
    const mail = immediateMail(item({ milestone: 'move-in-recorded', dueDate: '2026-03-24' }), ctx());
    expect(mail.text).toContain('det er ikke registrert hvor beboeren flyttet (frist 24.03.2026)');
    expect(mail.text).toContain('Registrer innflytting i egen bolig, eller at oppholdet ble avsluttet');
  });

  it('lists a deadline once in a digest, at its highest level, with the levels it climbed since the last one', () => {
    const mail = digestMail(
      {
        deliveryId: 'g-1',
        digestDate: '2026-05-20',
        items: [
          item({ deliveryId: 'd-2', kind: 'second-level' }),
          item({ deliveryId: 'd-1', kind: 'overdue' }),
          item({ deliveryId: 'd-3', alarmId: 'a-2', milestone: 'applications', dueDate: '2026-07-05' }),
        ],
      },
      ctx(),
    );
    expect(mail.text).toContain('   Tyrili Klokkergården, Bydel Frogner. Se oppholdet: http://app.test/opphold/s-1');
    expect(mail.subject).toBe('Daglig oversikt 20.05.2026: 2 frister å følge opp');
    expect(mail.text.match(/«Statusrapport»/g)).toHaveLength(1);
    expect(mail.text).toContain('Frist fortsatt overskredet – varsel til begge parter – Fristen «Statusrapport»');
    expect(mail.text).toContain('Nivåer siden forrige oversikt: frist overskredet → varsel til begge parter.');
    expect(mail.text).toContain('Varsel-ID: d-1, d-2');
  });

  it('names the organisations, who follows the deadline up and who to call', () => {
    const mail = immediateMail(
      item({ kind: 'overdue' }),
      ctx({
        followedBy: ['Kari Nordmann'],
        contacts: [
          {
            role: 'primary-contact',
            name: 'Ola Primær',
            organisationId: 'inst-1',
            phone: '22 00 00 00',
            email: 'ola@inst.test',
          },
          { role: 'bydel-contact', name: 'Bydel Kontakt', organisationId: 'bydel-1', phone: null, email: null },
        ],
      }),
    );
    expect(mail.text).toContain('Oppholdet gjelder en beboer ved Tyrili Klokkergården, Bydel Frogner.');
    expect(mail.text).toContain('Følges opp av Kari Nordmann.');
    expect(mail.text).toContain('- Ola Primær, primærkontakt, Tyrili Klokkergården, tlf. 22 00 00 00, ola@inst.test');
    expect(mail.text).toContain('- Bydel Kontakt, kontaktperson i bydelen, Bydel Frogner');
    expect(mail.text).not.toContain('inst-1');
  });

  it('says how to take a deadline nobody follows up yet', () => {
    const mail = immediateMail(item({ kind: 'reminder' }), ctx());
    expect(mail.text).toContain('Ingen har tatt saken ennå.');
    expect(mail.text).toContain('trykker «Ta saken»');
    expect(mail.text).not.toContain('Kontaktpersoner for oppholdet');
  });
});
