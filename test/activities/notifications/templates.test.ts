import { describe, expect, it } from 'vitest';
import { digestMail, immediateMail, type NotificationItem } from '../../../activities/notifications/templates';

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
    const mail = immediateMail(item({ milestone: 'move-in-recorded', dueDate: '2026-03-24' }), 'http://app.test');
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
      'http://app.test',
    );
    expect(mail.subject).toBe('Daglig oversikt 20.05.2026: 2 frister å følge opp');
    expect(mail.text.match(/«Statusrapport»/g)).toHaveLength(1);
    expect(mail.text).toContain('Frist fortsatt overskredet – varsel til begge parter – Fristen «Statusrapport»');
    expect(mail.text).toContain('Nivåer siden forrige oversikt: frist overskredet → varsel til begge parter.');
    expect(mail.text).toContain('Varsel-ID: d-1, d-2');
  });
});
