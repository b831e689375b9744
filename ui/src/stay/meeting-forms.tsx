import { PktCheckbox, PktSelect } from '@oslokommune/punkt-react';
import { useState } from 'react';
import {
  MEETING_MILESTONES,
  MEETING_PARTIES,
  type MeetingMilestone,
  type MeetingParty,
  OBLIGATORY_PARTIES,
} from '../../../rules/meeting-flags';
import type { Contact } from '../../../schemas/contacts';
import type { Meeting } from '../../../schemas/meetings';
import { api, type Stay } from '../api';
import { ChoiceField, DateField, fieldId, TextField } from '../fields';
import { formatDate } from '../format';
import { useFormSubmit } from '../forms/use-form-submit';
import { milestoneSection, milestoneTitle } from '../texts';
import { CONTACT_ROLE_LABEL } from './contacts';
import { FormShell, meetingErrors, plannedAtOf, WHEN_LABELS } from './meeting-form-shell';
import { formatLocalTime, PARTY_LABEL } from './meeting-texts';

/** The forms that change a meeting: plan, move, cancel, record who attended. */

export function PlanMeetingForm(props: {
  stay: Stay;
  contacts: Contact[];
  onCancel(): void;
  onDone(meeting: Meeting): void;
}) {
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
  const form = useFormSubmit();
  const { errors } = form;
  const idOf = (path: string) => fieldId('nytt-mote', path);
  const due = stay.milestones.find((m) => m.key === milestone)?.dueDate;

  async function submit() {
    const when = plannedAtOf(date, time);
    if (!when.plannedAt) {
      return form.refuse({ fields: when.fields });
    }
    await form.run(
      async () => {
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
      },
      (err) => meetingErrors(err, stay.admittedAt),
    );
  }

  return (
    <FormShell
      label="Planlegg møte"
      labelOf={(p) => WHEN_LABELS[p] ?? p}
      idOf={idOf}
      form={form}
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

export function MoveMeetingForm(props: {
  stay: Stay;
  meeting: Meeting;
  onCancel(): void;
  onDone(meeting: Meeting): void;
}) {
  const [date, setDate] = useState(formatDate(props.meeting.plannedAt.slice(0, 10)));
  const [time, setTime] = useState(props.meeting.plannedAt.slice(11, 16));
  const form = useFormSubmit();
  const { errors } = form;
  const idOf = (path: string) => fieldId(`flytt-${props.meeting.id}`, path);
  async function submit() {
    const when = plannedAtOf(date, time);
    if (!when.plannedAt) {
      return form.refuse({ fields: when.fields });
    }
    await form.run(
      async () => {
        props.onDone(
          await api<Meeting>(`/api/stays/${props.stay.id}/meetings/${props.meeting.id}`, {
            method: 'PATCH',
            body: { plannedAt: when.plannedAt },
          }),
        );
      },
      (err) => meetingErrors(err, props.stay.admittedAt),
    );
  }
  return (
    <FormShell
      label={`Flytt ${milestoneTitle(props.meeting.milestone).toLowerCase()}`}
      labelOf={(p) => WHEN_LABELS[p] ?? p}
      idOf={idOf}
      form={form}
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

export function CancelMeeting(props: { stay: Stay; meeting: Meeting; onCancel(): void; onDone(): void }) {
  const form = useFormSubmit();
  async function submit() {
    await form.run(
      async () => {
        await api(`/api/stays/${props.stay.id}/meetings/${props.meeting.id}`, {
          method: 'PATCH',
          body: { status: 'cancelled' },
        });
        props.onDone();
      },
      (err) => meetingErrors(err, props.stay.admittedAt),
    );
  }
  return (
    <FormShell
      label={`Avlys ${milestoneTitle(props.meeting.milestone).toLowerCase()}`}
      labelOf={(p) => p}
      idOf={(p) => p}
      form={form}
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

export function AttendanceForm(props: {
  stay: Stay;
  meeting: Meeting;
  onCancel(): void;
  onDone(meeting: Meeting): void;
}) {
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
  const form = useFormSubmit();
  const { errors } = form;
  const idOf = (path: string) => fieldId(`oppmote-${meeting.id}`, path);
  async function submit() {
    if (!housing) {
      return form.refuse({
        fields: { housingOnAgenda: 'Svar ja eller nei: bolig skal være fast tema på alle samarbeidsmøter.' },
      });
    }
    await form.run(
      async () => {
        props.onDone(
          await api<Meeting>(`/api/stays/${props.stay.id}/meetings/${meeting.id}/attendance`, {
            method: 'PUT',
            body: { attended, housingOnAgenda: housing === 'ja' },
          }),
        );
      },
      (err) => meetingErrors(err, props.stay.admittedAt),
    );
  }
  return (
    <FormShell
      label={`Oppmøte på ${milestoneTitle(meeting.milestone).toLowerCase()}`}
      labelOf={(p) => WHEN_LABELS[p] ?? p}
      idOf={idOf}
      form={form}
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
