import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';
import { milestoneRule } from '../../../rules/milestones';
import { OSLO } from '../../../rules/oslo-calendar';
import type { IsoDate, MilestoneKey } from '../../../rules/types';

/** What an event names about its stay: the organisations always, the resident only where the organisation opted in. */
export type CalendarStay = { id: string; residentRef: string; institutionId: string; bydelId: string };

export type CalendarMeeting = {
  id: string;
  stayId: string;
  milestone: MilestoneKey;
  start: Date;
  durationMinutes: number;
  place: string | null;
  videoLink: string | null;
  /** Each move raises the event's SEQUENCE, so calendar clients take the new time. */
  moves: number;
  updatedAt: Date;
};

export type CalendarDeadline = { stayId: string; milestone: MilestoneKey; dueDate: IsoDate };

export type CalendarInput = {
  name: string;
  stays: CalendarStay[];
  meetings: CalendarMeeting[];
  deadlines: CalendarDeadline[];
  orgName: (id: string) => string;
  residentRefInTitles: boolean;
  /** Links in events point at `${appBaseUrl}/opphold/<stay id>`, where access is checked. */
  appBaseUrl: string;
  /** How often a subscribed client should fetch again (feeds). */
  refreshMinutes?: number;
};

const UID_DOMAIN = 'oppholdslopet.oslo.kommune.no';

/**
 * An RFC 5545 calendar of meetings (DTSTART with TZID=Europe/Oslo and its VTIMEZONE) and open deadlines (all-day
 * events), built with ical-generator. UIDs are stable, so a client that imports or subscribes again updates the
 * events instead of duplicating them; a deadline's UID carries its due date, so a moved deadline is a new event.
 */
export function renderCalendar(input: CalendarInput): string {
  const stays = new Map(input.stays.map((s) => [s.id, s]));
  const about = (stayId: string) => {
    const stay = stays.get(stayId);
    if (!stay) return '';
    const orgs = `${input.orgName(stay.institutionId)} / ${input.orgName(stay.bydelId)}`;
    return input.residentRefInTitles ? ` – ${stay.residentRef} (${orgs})` : ` (${orgs})`;
  };
  const link = (stayId: string) => `${input.appBaseUrl}/opphold/${stayId}`;

  const calendar = ical({
    name: input.name,
    prodId: { company: 'Oslo kommune', product: 'Oppholdsløpet', language: 'NB' },
    // the VTIMEZONE of every zone the events name; the calendar itself has none, so DTSTAMP stays in UTC
    timezone: { name: null, generator: getVtimezoneComponent },
    ...(input.refreshMinutes ? { ttl: input.refreshMinutes * 60 } : {}),
  });
  for (const m of input.meetings) {
    const rule = milestoneRule(m.milestone);
    const start = DateTime.fromJSDate(m.start, { zone: OSLO });
    calendar.createEvent({
      id: `meeting-${m.id}@${UID_DOMAIN}`,
      sequence: m.moves,
      stamp: m.updatedAt,
      start,
      end: start.plus({ minutes: m.durationMinutes }),
      timezone: OSLO,
      summary: `${rule.titleNb}${about(m.stayId)}`,
      location: m.place ?? (m.videoLink ? 'Video' : null),
      url: m.videoLink ?? link(m.stayId),
      description: [
        `${rule.titleNb} (Fellesskriv 3/2021 ${rule.section}).`,
        ...(m.videoLink ? [`Videolenke: ${m.videoLink}`] : []),
        `Se oppholdet: ${link(m.stayId)}`,
      ].join('\n'),
      status: ICalEventStatus.CONFIRMED,
    });
  }
  for (const d of input.deadlines) {
    const rule = milestoneRule(d.milestone);
    calendar.createEvent({
      id: `deadline-${d.stayId}-${d.milestone}-${d.dueDate}@${UID_DOMAIN}`,
      start: DateTime.fromISO(d.dueDate, { zone: OSLO }),
      allDay: true,
      summary: `Frist: ${rule.titleNb}${about(d.stayId)}`,
      url: link(d.stayId),
      description: `Frist for «${rule.titleNb}» (Fellesskriv 3/2021 ${rule.section}).\nSe oppholdet: ${link(d.stayId)}`,
    });
  }
  return calendar.toString();
}
