import { PktAlert, PktButton, PktTag } from '@oslokommune/punkt-react';
import { useCallback, useEffect, useState } from 'react';
import { MEETING_PARTIES } from '../../../rules/meeting-flags';
import type { Contact } from '../../../schemas/contacts';
import type { Meeting, MeetingList } from '../../../schemas/meetings';
import { api, ApiError, type Stay, tokenStore } from '../api';
import { problemToFormErrors } from '../errors';
import { todayInOslo } from '../format';
import { milestoneSection, milestoneTitle } from '../texts';
import { AttendanceForm, CancelMeeting, MoveMeetingForm, PlanMeetingForm } from './meeting-forms';
import { flagText, formatLocalTime, MEETING_STATUS, PARTY_LABEL } from './meeting-texts';

const STATUS_SKIN = { planned: 'blue', held: 'green', cancelled: 'gray' } as const;

/** The stay's meetings and the next planned one per milestone; `reload` after a change. */
export function useMeetings(stayId: string | undefined) {
  const [list, setList] = useState<MeetingList | null>(null);
  const [error, setError] = useState<string>();
  const load = useCallback(
    (signal?: AbortSignal) => {
      if (!stayId) return;
      api<MeetingList>(`/api/stays/${stayId}/meetings`, { signal })
        .then(setList)
        .catch(
          (err) =>
            (err as Error).name !== 'AbortError' &&
            setError(problemToFormErrors(err, { kindOf: () => undefined }).form),
        );
    },
    [stayId],
  );
  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal);
    return () => controller.abort();
  }, [load]);
  return { list, error, reload: () => load() };
}

/** The stay's calendar file, fetched with the bearer token (a plain link cannot send it) and saved. */
async function downloadCalendar(stayId: string): Promise<void> {
  const token = tokenStore.get();
  const response = await fetch(`/api/stays/${stayId}/calendar.ics`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (!response.ok) throw new ApiError({ status: response.status, title: response.statusText, detail: '' });
  const url = URL.createObjectURL(await response.blob());
  const a = Object.assign(document.createElement('a'), { href: url, download: `opphold-${stayId}.ics` });
  a.click();
  URL.revokeObjectURL(url);
}

/**
 * Meetings of the stay (§2, §2.1, §3.1, §3.3): plan one in Oslo time with a place or video link and who is invited,
 * move or cancel it, record who attended and whether housing was on the agenda. What the Fellesskriv objects to is
 * shown on the meeting at once.
 */
export function MeetingsCard(props: {
  stay: Stay;
  contacts: Contact[];
  meetings: MeetingList | null;
  loadError?: string;
  canEdit: boolean;
  onChanged(notice: string): void;
}) {
  const { stay, meetings } = props;
  const [planning, setPlanning] = useState(false);
  const [downloadError, setDownloadError] = useState<string>();
  const recurring = (key: string) => stay.milestones.find((m) => m.key === key)?.recurring ?? false;
  const contactName = (id: string) => props.contacts.find((c) => c.id === id)?.name ?? 'en tidligere kontaktperson';
  return (
    <section aria-labelledby="moter" className="block meetings-card" data-testid="meetings">
      <h2 id="moter" className="pkt-txt-22-medium">
        Møter
      </h2>
      {props.loadError && <PktAlert skin="error">{props.loadError}</PktAlert>}
      {!meetings && !props.loadError && <p aria-live="polite">Laster møter …</p>}
      {meetings && meetings.meetings.length === 0 && <p>Ingen møter er planlagt ennå.</p>}
      {meetings && meetings.meetings.length > 0 && (
        <ul className="meetings">
          {meetings.meetings.map((m) => (
            <MeetingItem
              key={m.id}
              stay={stay}
              meeting={m}
              recurring={recurring(m.milestone)}
              contactName={contactName}
              canEdit={props.canEdit}
              onChanged={props.onChanged}
            />
          ))}
        </ul>
      )}
      <div className="form-actions">
        {props.canEdit && !planning && (
          <PktButton type="button" skin="secondary" size="small" onClick={() => setPlanning(true)}>
            Planlegg møte
          </PktButton>
        )}
        <PktButton
          type="button"
          skin="tertiary"
          size="small"
          onClick={() => {
            setDownloadError(undefined);
            downloadCalendar(stay.id).catch(() => setDownloadError('Kalenderen kunne ikke lastes ned. Prøv igjen.'));
          }}
        >
          Last ned møter og frister til kalenderen (.ics)
        </PktButton>
      </div>
      {downloadError && (
        <PktAlert skin="error" role="alert" compact>
          {downloadError}
        </PktAlert>
      )}
      {planning && (
        <PlanMeetingForm
          stay={stay}
          contacts={props.contacts}
          onCancel={() => setPlanning(false)}
          onDone={(meeting) => {
            setPlanning(false);
            props.onChanged(
              `${milestoneTitle(meeting.milestone)} er planlagt ${formatLocalTime(meeting.plannedAt)}.${
                meeting.flags.length
                  ? ` Merk: ${meeting.flags.map((f) => flagText(f, recurring(meeting.milestone))).join(' ')}`
                  : ''
              }`,
            );
          }}
        />
      )}
    </section>
  );
}

function MeetingItem(props: {
  stay: Stay;
  meeting: Meeting;
  recurring: boolean;
  contactName(id: string): string;
  canEdit: boolean;
  onChanged(notice: string): void;
}) {
  const { meeting: m, stay } = props;
  const [open, setOpen] = useState<'move' | 'cancel' | 'attendance' | null>(null);
  const title = milestoneTitle(m.milestone);
  const mayRecord = m.status !== 'cancelled' && m.plannedAt.slice(0, 10) <= todayInOslo();
  return (
    <li className={`meeting status-${m.status}`} data-meeting={m.id} data-status={m.status}>
      <div className="timeline__head">
        <h3 className="pkt-txt-18-medium">
          {title} <span className="section">(Fellesskriv {milestoneSection(m.milestone)})</span>
        </h3>
        <PktTag skin={STATUS_SKIN[m.status]}>{MEETING_STATUS[m.status]}</PktTag>
      </div>
      <dl className="timeline__facts">
        <div>
          <dt>Tid</dt>
          <dd>
            {formatLocalTime(m.plannedAt)} ({m.durationMinutes} min)
          </dd>
        </div>
        {m.place && (
          <div>
            <dt>Sted</dt>
            <dd>{m.place}</dd>
          </div>
        )}
        {m.videoLink && (
          <div>
            <dt>Video</dt>
            <dd>
              <a className="pkt-link" href={m.videoLink} target="_blank" rel="noreferrer">
                Videolenke
              </a>
            </dd>
          </div>
        )}
        {m.invited.length > 0 && (
          <div>
            <dt>Invitert</dt>
            <dd>{m.invited.map(props.contactName).join(', ')}</dd>
          </div>
        )}
        {m.attendance && (
          <div>
            <dt>Til stede</dt>
            <dd>
              {MEETING_PARTIES.filter((p) => m.attendance![p])
                .map((p) => PARTY_LABEL[p].toLowerCase())
                .join(', ') || 'ingen registrert'}
            </dd>
          </div>
        )}
        {m.housingOnAgenda !== null && (
          <div>
            <dt>Bolig på dagsordenen</dt>
            <dd>{m.housingOnAgenda ? 'Ja' : 'Nei'}</dd>
          </div>
        )}
      </dl>
      {m.flags.length > 0 && (
        <ul className="meeting__flags" aria-label={`Avvik for ${title.toLowerCase()}`}>
          {m.flags.map((f) => (
            <li key={f.code} data-flag={f.code}>
              <PktAlert skin="warning" compact>
                {flagText(f, props.recurring)}
              </PktAlert>
            </li>
          ))}
        </ul>
      )}
      {props.canEdit && m.status === 'planned' && open === null && (
        <div className="form-actions">
          <PktButton type="button" skin="tertiary" size="small" onClick={() => setOpen('move')}>
            Flytt møtet
          </PktButton>
          <PktButton type="button" skin="tertiary" size="small" onClick={() => setOpen('cancel')}>
            Avlys møtet
          </PktButton>
        </div>
      )}
      {props.canEdit && mayRecord && open === null && (
        <PktButton type="button" skin="secondary" size="small" onClick={() => setOpen('attendance')}>
          {m.attendance ? 'Rett oppmøte' : 'Registrer oppmøte'}
        </PktButton>
      )}
      {open === 'move' && (
        <MoveMeetingForm
          stay={stay}
          meeting={m}
          onCancel={() => setOpen(null)}
          onDone={(moved) => {
            setOpen(null);
            props.onChanged(`${title} er flyttet til ${formatLocalTime(moved.plannedAt)}. De inviterte får beskjed.`);
          }}
        />
      )}
      {open === 'cancel' && (
        <CancelMeeting
          stay={stay}
          meeting={m}
          onCancel={() => setOpen(null)}
          onDone={() => {
            setOpen(null);
            props.onChanged(`${title} ${formatLocalTime(m.plannedAt)} er avlyst. De inviterte får beskjed.`);
          }}
        />
      )}
      {open === 'attendance' && (
        <AttendanceForm
          stay={stay}
          meeting={m}
          onCancel={() => setOpen(null)}
          onDone={(held) => {
            setOpen(null);
            props.onChanged(
              `Oppmøtet på ${title.toLowerCase()} er registrert.${
                held.flags.length ? ` Merk: ${held.flags.map((f) => flagText(f, props.recurring)).join(' ')}` : ''
              }`,
            );
          }}
        />
      )}
    </li>
  );
}
