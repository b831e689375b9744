// The life of a stay after the first months (§3): events, agreed deviations (§1), extra status reports (§2.2); the
// exit plan (§3.2) is in exit-plan.tsx.
// Each form is generated from the API's own zod schema for that body (schemas/stays.ts).
import { PktButton } from '@oslokommune/punkt-react';
import { useRef, useState } from 'react';
import { DeviationBody, EVENT_BODIES, ExtraStatusReportBody } from '../../../schemas/stays';
import { milestoneRule } from '../../../rules/milestones';
import { EXIT_PLAN_SECTION, type ExitPlan } from '../../../rules/exit-plan';
import { STAY_EVENT_TYPES, type StayEventType } from '../../../rules/types';
import { api, type Milestone, type Stay } from '../api';
import { SchemaForm, specsOf } from '../forms/schema-form';
import { formatDate } from '../format';
import { BYDELER, orgName } from '../organisations';
import type { Role, User } from '../session';
import { CorrectionForm, eventRecordDate, mayCorrect } from './corrections';
import { EVENT_TITLES, fieldLabel, milestoneTitle, PARTY, VALUE_LABELS } from '../texts';

/** Mirrors the API's EVENT_ROLES: who may record which event (the API refuses the others with 403). */
const EVENT_ROLES: Record<StayEventType, Role[]> = {
  'housing-offered': ['institution', 'bydel', 'admin'],
  discharged: ['institution', 'admin'],
  'moved-in': ['institution', 'bydel', 'admin'],
  'ended-early': ['institution', 'bydel', 'admin'],
  'bydel-changed': ['bydel', 'admin'],
};

const bydelChoices = (name: string) =>
  name === 'receivingBydelId' || name === 'bydelId' ? BYDELER.map((b) => ({ value: b.id, label: b.name })) : undefined;

function eventOpen(stay: Stay, type: StayEventType): boolean {
  const t = stay.transition;
  if (stay.status !== 'active' || t.endedEarly) return false;
  switch (type) {
    case 'housing-offered':
      return !t.housingOffered;
    case 'discharged':
      return !t.dischargedOn;
    case 'moved-in':
      return !!t.housingOffered && !t.movedInOn;
    default:
      return true;
  }
}

type FactRow = { label: string; value: string; event?: StayEventType };

export function TransitionFacts(props: {
  stay: Stay;
  user?: User | null;
  onCorrected?(stay: Stay, notice: string): void;
}) {
  const { stay } = props;
  const [correcting, setCorrecting] = useState<StayEventType | null>(null);
  const t = stay.transition;
  const rows: FactRow[] = [];
  const row = (label: string, value: string, event?: StayEventType) => rows.push({ label, value, event });
  if (t.housingOffered) row('Bolig tilbudt', formatDate(String(t.housingOffered.date ?? '')), 'housing-offered');
  if (typeof t.housingOffered?.expectedMoveInDate === 'string')
    row('Forventet innflytting', formatDate(t.housingOffered.expectedMoveInDate));
  if (t.dischargedOn) row('Utskrevet', formatDate(t.dischargedOn), 'discharged');
  if (t.availability)
    row(
      'Institusjonen tilgjengelig for beboeren (§3)',
      `${formatDate(t.availability.from)}–${formatDate(t.availability.until)}`,
    );
  if (t.movedInOn) row('Flyttet inn', formatDate(t.movedInOn), 'moved-in');
  if (t.participationEndsOn) row('Institusjonens deltakelse slutter (§3.3)', formatDate(t.participationEndsOn));
  const keep = (t.exitPlan as Partial<ExitPlan> | null)?.keepPlace;
  if (keep)
    row(
      `Beholder ${keep.kind === 'day-place' ? 'dagplass' : 'institusjonsplassen'} (${EXIT_PLAN_SECTION})`,
      describeKeepPlace(keep),
    );
  if (t.endedEarly)
    row(
      'Avsluttet før tiden',
      `${formatDate(String(t.endedEarly.date ?? ''))}, ${VALUE_LABELS[String(t.endedEarly.reason)] ?? String(t.endedEarly.reason)}`,
      'ended-early',
    );
  t.bydelChanges.forEach((c, i) => {
    row(
      'Bytte av bydel',
      `${formatDate(c.date)}: ${orgName(c.from)} → ${orgName(c.to)}`,
      i === t.bydelChanges.length - 1 ? 'bydel-changed' : undefined,
    );
  });
  if (t.completedOn) row('Fullført', formatDate(t.completedOn));
  if (rows.length === 0) return null;
  const correctable = (event?: StayEventType): event is StayEventType =>
    !!event && !!props.onCorrected && mayCorrect(stay, props.user ?? null, { event });
  return (
    <section aria-labelledby="overgang" className="block">
      <h2 id="overgang" className="pkt-txt-22-medium">
        Overgang til egen bolig
      </h2>
      <dl className="facts">
        {rows.map(({ label, value, event }) => (
          <div key={label + value} data-event={event}>
            <dt>{label}</dt>
            <dd>
              {value}
              {correctable(event) && correcting !== event && (
                <PktButton
                  type="button"
                  skin="tertiary"
                  size="small"
                  className="correct-button"
                  aria-label={`Korriger «${EVENT_TITLES[event]}»`}
                  onClick={() => setCorrecting(event)}
                >
                  Korriger
                </PktButton>
              )}
            </dd>
          </div>
        ))}
      </dl>
      {correcting && (
        <CorrectionForm
          stay={stay}
          target={{ event: correcting }}
          currentDate={eventRecordDate(stay, correcting)}
          onCancel={() => setCorrecting(null)}
          onDone={(updated, notice) => {
            setCorrecting(null);
            props.onCorrected?.(updated, notice);
          }}
        />
      )}
    </section>
  );
}

/** "2 dager i uken til 01.03.2027, betales av bydelen" */
export function describeKeepPlace(keep: NonNullable<ExitPlan['keepPlace']>): string {
  const paid = { bydel: 'betales av bydelen', resident: 'betales av beboeren', none: 'ingen betaling' }[keep.paidBy];
  return `${keep.daysPerWeek} ${keep.daysPerWeek === 1 ? 'dag' : 'dager'} i uken til og med ${formatDate(keep.until)}, ${paid}`;
}

export function EventsPanel(props: { stay: Stay; role: Role; onDone(stay: Stay, notice: string): void }) {
  const [open, setOpen] = useState<StayEventType | null>(null);
  const types = STAY_EVENT_TYPES.filter((t) => EVENT_ROLES[t].includes(props.role) && eventOpen(props.stay, t));
  if (types.length === 0) return null;
  return (
    <section aria-labelledby="hendelser" className="block">
      <h2 id="hendelser" className="pkt-txt-22-medium">
        Registrer hendelse
      </h2>
      {!open && (
        <div className="form-actions">
          {types.map((t) => (
            <PktButton key={t} type="button" skin="secondary" size="small" onClick={() => setOpen(t)}>
              {EVENT_TITLES[t]}
            </PktButton>
          ))}
        </div>
      )}
      {open && (
        <div data-event-form={open}>
          <h3 className="pkt-txt-18-medium">{EVENT_TITLES[open]}</h3>
          <SchemaForm
            idPrefix={`hendelse-${open}`}
            specs={specsOf(EVENT_BODIES[open])}
            ariaLabel={`Registrer hendelse: ${EVENT_TITLES[open]}`}
            submitLabel="Registrer hendelsen"
            labelOf={(name) => fieldLabel(`event:${open}`, name)}
            choicesOf={bydelChoices}
            initial={{ date: '' }}
            refusal={{ admittedAt: props.stay.admittedAt, dateField: 'date' }}
            submit={(body) => api<Stay>(`/api/stays/${props.stay.id}/events/${open}`, { method: 'POST', body })}
            onDone={(stay) => {
              props.onDone(stay, `${EVENT_TITLES[open]} er registrert.`);
              setOpen(null);
            }}
            onCancel={() => setOpen(null)}
          />
        </div>
      )}
    </section>
  );
}

const deviationSpecs = specsOf(DeviationBody).filter((s) => s.name !== 'milestone');

export function DeviationForm(props: { stay: Stay; milestone: Milestone; onDone(stay: Stay): void; onCancel(): void }) {
  return (
    <SchemaForm
      idPrefix={`avvik-${props.milestone.key}`}
      specs={deviationSpecs}
      ariaLabel={`Avtal annen frist for «${milestoneTitle(props.milestone.key)}»`}
      submitLabel="Lagre avtalt frist"
      labelOf={(name) => fieldLabel('deviation', name)}
      refusal={{ admittedAt: props.stay.admittedAt, dateField: 'dueDate' }}
      submit={(body) =>
        api<Stay>(`/api/stays/${props.stay.id}/deviations`, {
          method: 'POST',
          body: { ...body, milestone: props.milestone.key },
        })
      }
      onDone={props.onDone}
      onCancel={props.onCancel}
    />
  );
}

const extraReportSpecs = specsOf(ExtraStatusReportBody);

/** §2.2: an agreed additional status report, due on its own date; it appears in the timeline as its own milestone. */
export function ExtraStatusReportForm(props: { stay: Stay; onDone(stay: Stay, notice: string): void }) {
  const [open, setOpen] = useState(false);
  const agreed = useRef('');
  const section = milestoneRule('extra-status-report').section;
  return (
    <section aria-labelledby="ekstra-statusrapport" className="block">
      <h2 id="ekstra-statusrapport" className="pkt-txt-22-medium">
        Ekstra statusrapport ({section})
      </h2>
      <p>
        Har institusjonen og bydelen avtalt en statusrapport i tillegg til den faste? Registrer fristen, så følges den
        opp som de andre fristene.
      </p>
      {!open && (
        <PktButton type="button" skin="secondary" size="small" onClick={() => setOpen(true)}>
          Avtal ekstra statusrapport
        </PktButton>
      )}
      {open && (
        <SchemaForm
          idPrefix="ekstra-statusrapport"
          specs={extraReportSpecs}
          ariaLabel="Avtal ekstra statusrapport"
          submitLabel="Lagre avtalt statusrapport"
          labelOf={(name) => fieldLabel('extra-status-report:agree', name)}
          refusal={{
            admittedAt: props.stay.admittedAt,
            dateField: 'dueDate',
            messages: {
              'date-before-prerequisite': {
                field: 'dueDate',
                message: 'Fristen har allerede passert. Velg dagens dato eller en senere dato.',
              },
              'already-done': {
                field: 'dueDate',
                message: 'En ekstra statusrapport med denne fristen er allerede avtalt.',
              },
            },
          }}
          submit={(body) => {
            agreed.current = String(body.dueDate ?? '');
            return api<Stay>(`/api/stays/${props.stay.id}/extra-status-reports`, { method: 'POST', body });
          }}
          onDone={(stay) => {
            setOpen(false);
            props.onDone(stay, `Ekstra statusrapport med frist ${formatDate(agreed.current)} er avtalt.`);
          }}
          onCancel={() => setOpen(false)}
        />
      )}
    </section>
  );
}

export function describeDeviation(m: Milestone): string | null {
  if (!m.deviation) return null;
  return `Avtalt ny frist ${formatDate(m.deviation.dueDate)} (${PARTY[m.deviation.agreedBy] ?? m.deviation.agreedBy}, ${formatDate(m.deviation.agreedOn)}): ${m.deviation.reason}`;
}
