// What a primary contact sees first on a stay: what is due (with days left or over), the planned meetings and who is
// involved, and the whole stay at a glance. Read-only summaries; the forms are further down the page.
import { PktTag } from '@oslokommune/punkt-react';
import { daysBetween } from '../../../rules/oslo-calendar';
import type { Contact } from '../../../schemas/contacts';
import type { Meeting } from '../../../schemas/meetings';
import type { Milestone, Stay } from '../api';
import { formatDate, isDueSoon, todayInOslo } from '../format';
import { EVENT_TITLES, milestoneTitle } from '../texts';

/** "5 dager over fristen" / "i dag" / "om 12 dager" */
export function daysLeftText(dueDate: string, today: string): string {
  const days = daysBetween(today, dueDate);
  if (days < 0) return `${-days} ${days === -1 ? 'dag' : 'dager'} over fristen`;
  if (days === 0) return 'fristen er i dag';
  return `om ${days} ${days === 1 ? 'dag' : 'dager'}`;
}

/** Open deadlines that need a look: every overdue one, then the next ones, soonest first. */
export function dueNow(milestones: Milestone[], today: string, next = 3) {
  const open = milestones.filter((m) => m.dueDate && !m.doneAt && m.status !== 'not-applicable');
  const overdue = open.filter((m) => m.status === 'overdue').sort((a, b) => a.dueDate!.localeCompare(b.dueDate!));
  const upcoming = open
    .filter((m) => m.status === 'pending' && m.dueDate! >= today)
    .sort((a, b) => a.dueDate!.localeCompare(b.dueDate!))
    .slice(0, next);
  return { overdue, upcoming };
}

function DueRow({ m, today, tone }: { m: Milestone; today: string; tone: 'overdue' | 'due-soon' | 'pending' }) {
  return (
    <li className={`due-list__item tone-${tone}`} data-due={m.key}>
      <a href={`#milepael-${m.key}`} className="pkt-link">
        {milestoneTitle(m.key, m.title)}
      </a>{' '}
      <span className="section">(Fellesskriv {m.section})</span>
      <span className="due-list__when">
        {formatDate(m.dueDate)} · <strong>{daysLeftText(m.dueDate!, today)}</strong>
      </span>
    </li>
  );
}

export function DueNowCard({ stay }: { stay: Stay }) {
  const today = todayInOslo();
  const { overdue, upcoming } = dueNow(stay.milestones, today);
  return (
    <section aria-labelledby="frister-na" className="card overview-card" data-testid="due-now">
      <h2 id="frister-na" className="pkt-txt-22-medium">
        Frister nå
      </h2>
      {overdue.length === 0 && upcoming.length === 0 && <p>Ingen åpne frister.</p>}
      {overdue.length > 0 && (
        <>
          <h3 className="pkt-txt-18-medium">
            <PktTag skin="red">Forfalt</PktTag> {overdue.length} {overdue.length === 1 ? 'frist' : 'frister'}
          </h3>
          <ul className="due-list">
            {overdue.map((m) => (
              <DueRow key={m.key} m={m} today={today} tone="overdue" />
            ))}
          </ul>
        </>
      )}
      {upcoming.length > 0 && (
        <>
          <h3 className="pkt-txt-18-medium">Neste frister</h3>
          <ul className="due-list">
            {upcoming.map((m) => (
              <DueRow key={m.key} m={m} today={today} tone={isDueSoon(m.dueDate, today) ? 'due-soon' : 'pending'} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

const TIME = (m: Meeting) => `${formatDate(m.plannedAt.slice(0, 10))} kl. ${m.plannedAt.slice(11, 16)}`;

/**
 * The meetings planned from today on, soonest first. The page's own list of meetings and contacts (the ones the
 * meetings and contacts sections below change), so that planning or moving a meeting shows here at once.
 */
export function PlannedMeetingsCard({
  meetings,
  contacts,
}: {
  meetings: Meeting[] | null;
  contacts: Contact[] | null;
}) {
  const today = todayInOslo();
  const planned = (meetings ?? []).filter((m) => m.status === 'planned' && m.plannedAt.slice(0, 10) >= today);
  return (
    <section aria-labelledby="planlagte-moter" className="card overview-card" data-testid="planned-meetings">
      <h2 id="planlagte-moter" className="pkt-txt-22-medium">
        Planlagte møter
      </h2>
      {!meetings && <p aria-live="polite">Laster møter …</p>}
      {meetings && planned.length === 0 && <p>Ingen møter er planlagt.</p>}
      {planned.length > 0 && (
        <ul className="overview-list">
          {planned.map((m) => (
            <li key={m.id} data-meeting={m.milestone}>
              <strong>{milestoneTitle(m.milestone)}</strong> · {TIME(m)}
              {m.place ? ` · ${m.place}` : ''}
              {m.videoLink ? ' · videomøte' : ''}
              {m.invited.length > 0 && contacts && (
                <span className="overview-list__sub">
                  Invitert:{' '}
                  {m.invited
                    .map((id) => contacts.find((c) => c.id === id)?.name)
                    .filter(Boolean)
                    .join(', ')}
                </span>
              )}
              {m.flags.length > 0 && (
                <span className="overview-list__sub field-error">{m.flags.map((f) => f.message).join(' ')}</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

type TimelineEntry = { date: string; label: string; kind: 'done' | 'event' | 'due' | 'overdue' | 'today'; key: string };

/** The whole stay in date order: what was done and happened, today, and what is still due. */
export function timelineOf(stay: Stay, today: string): TimelineEntry[] {
  const entries: TimelineEntry[] = [{ date: stay.admittedAt, label: 'Innskrevet', kind: 'event', key: 'admitted' }];
  for (const m of stay.milestones) {
    const title = milestoneTitle(m.key, m.title);
    if (m.doneAt) entries.push({ date: m.doneAt, label: title, kind: 'done', key: `done-${m.key}` });
    else if (m.dueDate && m.status !== 'not-applicable')
      entries.push({
        date: m.dueDate,
        label: `Frist: ${title}`,
        kind: m.status === 'overdue' ? 'overdue' : 'due',
        key: `due-${m.key}`,
      });
  }
  const t = stay.transition;
  const event = (date: unknown, type: keyof typeof EVENT_TITLES | string, label?: string) => {
    if (typeof date === 'string')
      entries.push({ date, label: label ?? EVENT_TITLES[type] ?? type, kind: 'event', key: type });
  };
  event(t.housingOffered?.date, 'housing-offered');
  event(t.dischargedOn, 'discharged');
  event(t.movedInOn, 'moved-in');
  event(t.endedEarly?.date, 'ended-early');
  t.bydelChanges.forEach((c, i) => {
    event(c.date, `bydel-changed-${i}`, EVENT_TITLES['bydel-changed']);
  });
  event(t.completedOn, 'completed', 'Oppholdet fullført');
  if (stay.status === 'active') entries.push({ date: today, label: 'I dag', kind: 'today', key: 'today' });
  const order = { event: 0, done: 1, today: 2, overdue: 3, due: 4 };
  return entries.sort((a, b) => a.date.localeCompare(b.date) || order[a.kind] - order[b.kind]);
}

const KIND_LABEL: Record<TimelineEntry['kind'], string> = {
  done: 'Fullført',
  event: 'Hendelse',
  due: 'Frist',
  overdue: 'Forfalt',
  today: '',
};

export function StayTimeline({ stay }: { stay: Stay }) {
  const entries = timelineOf(stay, todayInOslo());
  return (
    <section aria-labelledby="hele-oppholdet" className="block card" data-testid="stay-timeline">
      <h2 id="hele-oppholdet" className="pkt-txt-22-medium">
        Hele oppholdet
      </h2>
      <ol className="compact-timeline">
        {entries.map((e) => (
          <li key={e.key} className={`compact-timeline__item kind-${e.kind}`} data-kind={e.kind}>
            <span className="compact-timeline__date">{formatDate(e.date)}</span>{' '}
            <span className="compact-timeline__label">
              {e.kind !== 'today' && <span className="pkt-sr-only">{KIND_LABEL[e.kind]}: </span>}
              {e.label}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
