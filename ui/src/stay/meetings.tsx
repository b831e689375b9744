import { PktAlert, PktButton, PktCheckbox, PktSelect, PktTag } from '@oslokommune/punkt-react';
import { type FormEvent, type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import {
  MEETING_MILESTONES,
  MEETING_PARTIES,
  type MeetingMilestone,
  type MeetingParty,
  OBLIGATORY_PARTIES,
} from '../../../rules/meeting-flags';
import type { Contact } from '../../../schemas/contacts';
import type { Meeting, MeetingList } from '../../../schemas/meetings';
import { api, ApiError, type Stay, tokenStore } from '../api';
import { type FormErrors, problemToFormErrors } from '../errors';
import { ChoiceField, DateField, ErrorSummary, fieldId, TextField } from '../fields';
import { formatDate, isIsoDateText, parseDateInput, todayInOslo } from '../format';
import { milestoneSection, milestoneTitle } from '../texts';
import { CONTACT_ROLE_LABEL } from './contacts';

export const MEETING_STATUS = { planned: 'Planlagt', held: 'Holdt', cancelled: 'Avlyst' } as const;
const STATUS_SKIN = { planned: 'blue', held: 'green', cancelled: 'gray' } as const;

export const PARTY_LABEL: Record<MeetingParty, string> = {
  resident: 'Beboeren',
  institution: 'Institusjonen',
  bydel: 'Bydelen',
  housingFollowUpWorker: 'Booppfølgeren',
  relatives: 'Pårørende',
  others: 'Andre',
};

/** 2026-03-02T10:00 → 02.03.2026 kl. 10:00 */
export const formatLocalTime = (local: string) => `${formatDate(local.slice(0, 10))} kl. ${local.slice(11, 16)}`;
/** 2026-03-02T10:00 → 02.03. kl. 10:00 (what a milestone shows of its next meeting) */
export const formatShortLocalTime = (local: string) =>
  `${local.slice(8, 10)}.${local.slice(5, 7)}. kl. ${local.slice(11, 16)}`;

/** What the Fellesskriv would object to, in Norwegian (the API's flags, rules/meeting-flags.ts). */
export function flagText(flag: Meeting['flags'][number], recurring: boolean): string {
  switch (flag.code) {
    case 'planned-after-deadline':
      return recurring
        ? `Møtet er etter anbefalt tidspunkt ${formatDate(flag.dueDate)} (Fellesskriv ${flag.section}).`
        : `Møtet er etter fristen ${formatDate(flag.dueDate)} (Fellesskriv ${flag.section}).`;
    case 'obligatory-party-missing':
      return `${flag.party === 'bydel' ? 'Bydelen' : 'Institusjonen'} plikter å delta (Fellesskriv ${flag.section}), men var ikke til stede.`;
    case 'housing-not-on-agenda':
      return `Bolig skal være fast tema på alle samarbeidsmøter (Fellesskriv ${flag.section}), men var ikke på dagsordenen.`;
  }
}

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

/** "9.30", "0930", "09:30" → 09:30; anything else as typed (refused next to the field). */
function parseTimeInput(text: string): string {
  const m = /^(\d{1,2})[:.]?(\d{2})$/.exec(text.trim());
  return m ? `${m[1]!.padStart(2, '0')}:${m[2]}` : text.trim();
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

type FormShellProps = {
  label: string;
  errors: FormErrors;
  labelOf(path: string): string;
  idOf(path: string): string;
  busy: boolean;
  submitLabel: string;
  onSubmit(): Promise<void>;
  onCancel(): void;
  children: ReactNode;
};

/** A form with an error summary that takes focus after a refusal, a submit and a cancel button. */
function FormShell(props: FormShellProps) {
  const ref = useRef<HTMLFormElement>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await props.onSubmit();
    requestAnimationFrame(() => ref.current?.querySelector<HTMLElement>('[data-error-summary]')?.focus());
  };
  return (
    <form ref={ref} onSubmit={submit} noValidate className="completion-form stack" aria-label={props.label}>
      <ErrorSummary form={props.errors.form} fields={props.errors.fields} labelOf={props.labelOf} idOf={props.idOf} />
      {props.children}
      <div className="form-actions">
        <PktButton type="submit" skin="primary" disabled={props.busy}>
          {props.submitLabel}
        </PktButton>
        <PktButton type="button" skin="tertiary" onClick={props.onCancel}>
          Avbryt
        </PktButton>
      </div>
    </form>
  );
}

const WHEN_LABELS: Record<string, string> = {
  date: 'Dato',
  time: 'Klokkeslett',
  plannedAt: 'Tidspunkt',
  milestone: 'Møte',
  place: 'Sted',
  videoLink: 'Videolenke',
  invited: 'Inviterte',
  housingOnAgenda: 'Bolig på dagsordenen',
};

/** Date and time typed the Norwegian way → the API's Oslo wall-clock time, or the field errors. */
function plannedAtOf(date: string, time: string): { plannedAt?: string; fields: Record<string, string> } {
  const day = parseDateInput(date);
  const clock = parseTimeInput(time);
  const fields: Record<string, string> = {};
  if (!isIsoDateText(day)) fields.date = 'Skriv en gyldig dato på formen dd.mm.åååå.';
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(clock)) fields.time = 'Skriv klokkeslettet som TT:MM, for eksempel 10:00.';
  return Object.keys(fields).length ? { fields } : { plannedAt: `${day}T${clock}`, fields };
}

/** The API's refusals of a meeting, placed at the date field where they concern the time. */
function meetingErrors(err: unknown, admittedAt: string): FormErrors {
  const errors = problemToFormErrors(err, {
    kindOf: (path) =>
      path === 'plannedAt'
        ? 'date'
        : ['place', 'videoLink', 'milestone'].includes(path)
          ? 'text'
          : path.startsWith('invited')
            ? 'choice'
            : undefined,
    admittedAt,
    messages: {
      'already-done': {
        field: 'milestone',
        message: 'Dette møtet er allerede registrert som holdt. Velg et annet møte.',
      },
      'not-applicable': { field: 'milestone', message: 'Dette møtet er ikke lenger aktuelt for oppholdet.' },
      'meeting-cancelled': { message: 'Møtet er avlyst. Planlegg et nytt møte i stedet.' },
      'meeting-held': { message: 'Møtet er holdt, så det kan ikke flyttes eller avlyses.' },
      'meeting-in-the-future': { message: 'Oppmøtet registreres på eller etter møtedagen.' },
    },
  });
  if (errors.fields.plannedAt) {
    errors.fields.date = errors.fields.plannedAt;
    delete errors.fields.plannedAt;
  }
  return errors;
}

function PlanMeetingForm(props: { stay: Stay; contacts: Contact[]; onCancel(): void; onDone(meeting: Meeting): void }) {
  const { stay } = props;
  const open = MEETING_MILESTONES.filter((key) => {
    const m = stay.milestones.find((x) => x.key === key);
    return !m || m.recurring ? m?.status !== 'not-applicable' : m.status !== 'done' && m.status !== 'not-applicable';
  });
  const [milestone, setMilestone] = useState<MeetingMilestone>(open[0] ?? 'cooperation-meeting');
  const [date, setDate] = useState('');
  const [time, setTime] = useState('');
  const [place, setPlace] = useState('');
  const [videoLink, setVideoLink] = useState('');
  const [invited, setInvited] = useState<string[]>([]);
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const idOf = (path: string) => fieldId('nytt-mote', path);
  const due = stay.milestones.find((m) => m.key === milestone)?.dueDate;

  async function submit() {
    const when = plannedAtOf(date, time);
    if (!when.plannedAt) {
      setErrors({ fields: when.fields });
      return;
    }
    setBusy(true);
    try {
      const meeting = await api<Meeting>(`/api/stays/${stay.id}/meetings`, {
        method: 'POST',
        body: {
          milestone,
          plannedAt: when.plannedAt,
          ...(place.trim() ? { place: place.trim() } : {}),
          ...(videoLink.trim() ? { videoLink: videoLink.trim() } : {}),
          ...(invited.length ? { invited } : {}),
        },
      });
      props.onDone(meeting);
    } catch (err) {
      setErrors(meetingErrors(err, stay.admittedAt));
    } finally {
      setBusy(false);
    }
  }

  return (
    <FormShell
      label="Planlegg møte"
      errors={errors}
      labelOf={(p) => WHEN_LABELS[p] ?? p}
      idOf={idOf}
      busy={busy}
      submitLabel="Planlegg møtet"
      onSubmit={submit}
      onCancel={props.onCancel}
    >
      <PktSelect
        id={idOf('milestone')}
        label="Møte"
        value={milestone}
        onChange={(e) => setMilestone(e.target.value as MeetingMilestone)}
        hasError={!!errors.fields.milestone}
        errorMessage={errors.fields.milestone}
        helptext={due ? `Frist ${formatDate(due)} (Fellesskriv ${milestoneSection(milestone)})` : undefined}
      >
        {open.map((key) => (
          <option key={key} value={key}>
            {milestoneTitle(key)}
          </option>
        ))}
      </PktSelect>
      <DateField id={idOf('date')} label="Dato" value={date} onChange={setDate} error={errors.fields.date} />
      <TextField
        id={idOf('time')}
        label="Klokkeslett"
        value={time}
        onChange={setTime}
        error={errors.fields.time}
        helptext="TT:MM, norsk tid"
      />
      <TextField
        id={idOf('place')}
        label="Sted"
        optional
        value={place}
        onChange={setPlace}
        error={errors.fields.place}
        helptext="Rom eller adresse. Stedet står bare i Oppholdsløpet og i kalenderfilen, ikke i e-poster."
      />
      <TextField
        id={idOf('videoLink')}
        label="Videolenke"
        optional
        value={videoLink}
        onChange={setVideoLink}
        error={errors.fields.videoLink}
        helptext="Begynner med https://"
      />
      {props.contacts.length > 0 && (
        <fieldset className="list-field" id={idOf('invited')}>
          <legend className="pkt-txt-16-medium">
            Hvem inviteres? (de får e-post når møtet planlegges eller flyttes)
          </legend>
          {props.contacts.map((c) => (
            <PktCheckbox
              key={c.id}
              id={idOf(`invited-${c.id}`)}
              label={`${c.name} (${CONTACT_ROLE_LABEL[c.role].toLowerCase()})`}
              checked={invited.includes(c.id)}
              onChange={(e) =>
                setInvited((ids) => (e.target.checked ? [...ids, c.id] : ids.filter((id) => id !== c.id)))
              }
            />
          ))}
        </fieldset>
      )}
    </FormShell>
  );
}

function MoveMeetingForm(props: { stay: Stay; meeting: Meeting; onCancel(): void; onDone(meeting: Meeting): void }) {
  const [date, setDate] = useState(formatDate(props.meeting.plannedAt.slice(0, 10)));
  const [time, setTime] = useState(props.meeting.plannedAt.slice(11, 16));
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const idOf = (path: string) => fieldId(`flytt-${props.meeting.id}`, path);
  async function submit() {
    const when = plannedAtOf(date, time);
    if (!when.plannedAt) {
      setErrors({ fields: when.fields });
      return;
    }
    setBusy(true);
    try {
      props.onDone(
        await api<Meeting>(`/api/stays/${props.stay.id}/meetings/${props.meeting.id}`, {
          method: 'PATCH',
          body: { plannedAt: when.plannedAt },
        }),
      );
    } catch (err) {
      setErrors(meetingErrors(err, props.stay.admittedAt));
    } finally {
      setBusy(false);
    }
  }
  return (
    <FormShell
      label={`Flytt ${milestoneTitle(props.meeting.milestone).toLowerCase()}`}
      errors={errors}
      labelOf={(p) => WHEN_LABELS[p] ?? p}
      idOf={idOf}
      busy={busy}
      submitLabel="Flytt møtet"
      onSubmit={submit}
      onCancel={props.onCancel}
    >
      <DateField id={idOf('date')} label="Ny dato" value={date} onChange={setDate} error={errors.fields.date} />
      <TextField
        id={idOf('time')}
        label="Nytt klokkeslett"
        value={time}
        onChange={setTime}
        error={errors.fields.time}
        helptext="TT:MM, norsk tid"
      />
    </FormShell>
  );
}

function CancelMeeting(props: { stay: Stay; meeting: Meeting; onCancel(): void; onDone(): void }) {
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [busy, setBusy] = useState(false);
  async function submit() {
    setBusy(true);
    try {
      await api(`/api/stays/${props.stay.id}/meetings/${props.meeting.id}`, {
        method: 'PATCH',
        body: { status: 'cancelled' },
      });
      props.onDone();
    } catch (err) {
      setErrors(meetingErrors(err, props.stay.admittedAt));
    } finally {
      setBusy(false);
    }
  }
  return (
    <FormShell
      label={`Avlys ${milestoneTitle(props.meeting.milestone).toLowerCase()}`}
      errors={errors}
      labelOf={(p) => p}
      idOf={(p) => p}
      busy={busy}
      submitLabel="Bekreft avlysning"
      onSubmit={submit}
      onCancel={props.onCancel}
    >
      <p>
        Vil du avlyse møtet {formatLocalTime(props.meeting.plannedAt)}? De inviterte får beskjed på e-post. Avlysningen
        kan ikke angres, men du kan planlegge et nytt møte.
      </p>
    </FormShell>
  );
}

function AttendanceForm(props: { stay: Stay; meeting: Meeting; onCancel(): void; onDone(meeting: Meeting): void }) {
  const { meeting } = props;
  const obligatory = OBLIGATORY_PARTIES[meeting.milestone];
  const [attended, setAttended] = useState<Record<MeetingParty, boolean>>(
    meeting.attendance ?? {
      resident: false,
      institution: false,
      bydel: false,
      housingFollowUpWorker: false,
      relatives: false,
      others: false,
    },
  );
  const [housing, setHousing] = useState<'' | 'ja' | 'nei'>(
    meeting.housingOnAgenda === null ? '' : meeting.housingOnAgenda ? 'ja' : 'nei',
  );
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const idOf = (path: string) => fieldId(`oppmote-${meeting.id}`, path);
  async function submit() {
    if (!housing) {
      setErrors({
        fields: { housingOnAgenda: 'Svar ja eller nei: bolig skal være fast tema på alle samarbeidsmøter.' },
      });
      return;
    }
    setBusy(true);
    try {
      props.onDone(
        await api<Meeting>(`/api/stays/${props.stay.id}/meetings/${meeting.id}/attendance`, {
          method: 'PUT',
          body: { attended, housingOnAgenda: housing === 'ja' },
        }),
      );
    } catch (err) {
      setErrors(meetingErrors(err, props.stay.admittedAt));
    } finally {
      setBusy(false);
    }
  }
  return (
    <FormShell
      label={`Oppmøte på ${milestoneTitle(meeting.milestone).toLowerCase()}`}
      errors={errors}
      labelOf={(p) => WHEN_LABELS[p] ?? p}
      idOf={idOf}
      busy={busy}
      submitLabel="Lagre oppmøte"
      onSubmit={submit}
      onCancel={props.onCancel}
    >
      <fieldset className="list-field" id={idOf('attended')}>
        <legend className="pkt-txt-16-medium">Hvem deltok?</legend>
        {MEETING_PARTIES.map((p) => (
          <PktCheckbox
            key={p}
            id={idOf(`attended-${p}`)}
            label={
              obligatory?.party === p
                ? `${PARTY_LABEL[p]} (plikter å delta, Fellesskriv ${obligatory.section})`
                : PARTY_LABEL[p]
            }
            checked={attended[p]}
            onChange={(e) => setAttended((a) => ({ ...a, [p]: e.target.checked }))}
          />
        ))}
      </fieldset>
      <ChoiceField
        id={idOf('housingOnAgenda')}
        label="Var bolig på dagsordenen? (fast tema på alle samarbeidsmøter, Fellesskriv §2)"
        value={housing}
        onChange={(v) => setHousing(v as 'ja' | 'nei')}
        options={[
          { value: 'ja', label: 'Ja' },
          { value: 'nei', label: 'Nei' },
        ]}
        inline
        error={errors.fields.housingOnAgenda}
      />
    </FormShell>
  );
}
