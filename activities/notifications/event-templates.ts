import { milestoneRule } from '../../rules/milestones';
import type { MilestoneKey } from '../../rules/types';
import type { EventKind } from '../../outbox/enqueue-event';
import { contactLine, type MailContext } from './mail-context';
import { type Mail, milestoneTitle, norwegianDate, stayLink } from './templates';

/** A notification about an event (not an escalation), as the outbox holds it. */
export type EventItem = {
  deliveryId: string;
  eventId: string;
  kind: EventKind;
  stayId: string;
  institutionId: string;
  bydelId: string;
  details: Record<string, unknown>;
};

/** 2026-03-02T10:00 → 02.03.2026 kl. 10:00 */
const norwegianTime = (local: string) => `${norwegianDate(local)} kl. ${local.slice(11, 16)}`;

const section = (key: unknown) => {
  try {
    return milestoneRule(key as MilestoneKey).section;
  } catch {
    return '';
  }
};

type Texts = { subject: string; lines: string[]; withContacts: boolean };

function texts(item: EventItem, name: (id: string) => string): Texts {
  const d = item.details;
  const institution = name(item.institutionId);
  const bydel = name(item.bydelId);
  switch (item.kind) {
    case 'housing-offered': {
      const to = name(String(d.receivingBydelId ?? item.bydelId));
      const moving = d.receivingBydelId && d.receivingBydelId !== d.fromBydelId;
      return {
        subject: `Bolig tilbudt: beboer ved ${institution} flytter til ${to}`,
        lines: [
          `En beboer ved ${institution} har fått tilbud om bolig i ${to} (registrert ${norwegianDate(String(d.date))}).`,
          ...(moving ? [`Beboeren kommer fra ${name(String(d.fromBydelId))}, som har ansvaret til bydelsbyttet.`] : []),
          ...(d.expectedMoveInDate ? [`Forventet innflytting: ${norwegianDate(String(d.expectedMoveInDate))}.`] : []),
          '',
          'Bydelen og booppfølgeren skal involveres så tidlig som mulig (Fellesskriv 3/2021 §3), og utflyttingsmøtet holdes senest straks etter tilbudet (§3.1).',
        ],
        withContacts: true,
      };
    }
    case 'status-report-received': {
      const title = milestoneTitle(String(d.milestone));
      return {
        subject: `${title} mottatt fra ${institution}`,
        lines: [
          `${institution} har registrert «${title}» for en beboer fra ${bydel} (${norwegianDate(String(d.doneAt))}).`,
          '',
          'Bydelen vurderer om statusrapporten er tilstrekkelig (Fellesskriv 3/2021 §2.2). Er den mangelfull, meld det i Oppholdsløpet, så kartlegger institusjonen og bydelen årsakene.',
        ],
        withContacts: true,
      };
    }
    case 'final-report-sent':
      return {
        subject: `Sluttrapport sendt fra ${institution}`,
        lines: [
          `${institution} har sendt sluttrapporten for oppholdet til en beboer fra ${bydel} (${norwegianDate(String(d.doneAt))}).`,
          '',
          'Sluttrapporten sendes bydelen tre uker etter at oppholdet er avsluttet (Fellesskriv 3/2021 §3.3).',
        ],
        withContacts: true,
      };
    case 'meeting-planned':
    case 'meeting-moved':
    case 'meeting-cancelled': {
      const title = milestoneTitle(String(d.milestone));
      const when = norwegianTime(String(d.plannedAt));
      const about = `om en beboer ved ${institution} (${bydel}), Fellesskriv 3/2021 ${section(d.milestone)}`;
      const lines =
        item.kind === 'meeting-planned'
          ? [`Du er invitert til ${title.toLowerCase()} ${when}, ${about}.`]
          : item.kind === 'meeting-moved'
            ? [`${title} ${about} er flyttet fra ${norwegianTime(String(d.previousPlannedAt))} til ${when}.`]
            : [`${title} ${when}, ${about}, er avlyst.`];
      return {
        subject:
          item.kind === 'meeting-planned'
            ? `Møte planlagt: ${title} ${when}`
            : item.kind === 'meeting-moved'
              ? `Møte flyttet: ${title} ${when}`
              : `Møte avlyst: ${title} ${when}`,
        lines: [
          ...lines,
          '',
          'Sted og eventuell videolenke står i Oppholdsløpet, der du også kan legge møtet i kalenderen din (.ics).',
        ],
        withContacts: false,
      };
    }
  }
}

/**
 * The e-mail about an event, in Norwegian: organisations by name, the stay's contacts for a hand-over (who to
 * call), never the resident — not even the pseudonymous reference.
 */
export function eventMail(item: EventItem, ctx: Pick<MailContext, 'name' | 'contacts' | 'appBaseUrl'>): Mail {
  const t = texts(item, ctx.name);
  return {
    subject: t.subject,
    text: [
      'Hei,',
      '',
      ...t.lines,
      ...(t.withContacts && ctx.contacts.length > 0
        ? ['', 'Kontaktpersoner for oppholdet:', ...ctx.contacts.map((c) => contactLine(c, ctx.name))]
        : []),
      '',
      `Se oppholdet: ${stayLink(ctx.appBaseUrl, item.stayId)}`,
      '',
      `Varsel-ID: ${item.deliveryId}`,
      '',
      'E-posten nevner ikke beboeren. Logg inn i Oppholdsløpet for å se oppholdet.',
      'Dette er en automatisk melding fra Oppholdsløpet, Oslo kommune. Ikke svar på denne e-posten.',
      '',
    ].join('\n'),
  };
}
