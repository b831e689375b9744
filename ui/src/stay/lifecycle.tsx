// The life of a stay after the first months (§3): events, agreed deviations (§1) and the exit plan (§3.2).
// Each form is generated from the API's own zod schema for that body (schemas/stays.ts).
import { PktButton } from '@oslokommune/punkt-react';
import { useRef, useState, type FormEvent } from 'react';
import { DeviationBody, EVENT_BODIES, ExtraStatusReportBody } from '../../../schemas/stays';
import { milestoneRule } from '../../../rules/milestones';
import { EXIT_PLAN_PART_TITLES_NB, EXIT_PLAN_PARTS, EXIT_PLAN_SECTION, ExitPlan } from '../../../rules/exit-plan';
import { mayRecordEvent } from '../../../rules/permissions';
import { STAY_EVENT_TYPES, type StayEventType } from '../../../rules/types';
import { api, type Milestone, type Stay } from '../api';
import { problemToFormErrors, type FormErrors } from '../errors';
import { DateField, ErrorSummary, fieldId, YesNoField } from '../fields';
import { SchemaForm, SpecField, specsOf } from '../forms/schema-form';
import { initialValues, kindFinder, toBody, type Values } from '../forms/specs';
import { formatDate, parseDateInput } from '../format';
import { BYDELER, orgName } from '../organisations';
import type { Role, User } from '../session';
import { CorrectionForm, eventRecordDate, mayCorrect } from './corrections';
import {
  EVENT_TITLES,
  EXIT_PLAN_RESPONSIBLE,
  EXIT_PLAN_STATUS,
  fieldLabel,
  milestoneTitle,
  PARTY,
  ROLE,
  VALUE_LABELS,
} from '../texts';

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
    case 'ended-early':
      // after a discharge, only while no move-in is recorded: it records where the resident went instead
      return !t.dischargedOn || !t.movedInOn;
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
  return `${keep.daysPerWeek} ${keep.daysPerWeek === 1 ? 'dag' : 'dager'} i uken til og med ${formatDate(keep.until)}, betales av ${keep.paidBy === 'bydel' ? 'bydelen' : 'beboeren'}`;
}

export function EventsPanel(props: { stay: Stay; role: Role; onDone(stay: Stay, notice: string): void }) {
  const [open, setOpen] = useState<StayEventType | null>(null);
  const types = STAY_EVENT_TYPES.filter((t) => mayRecordEvent(props.role, t) && eventOpen(props.stay, t));
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
  const d = m.deviation;
  if (!d) return null;
  const confirmed = Object.entries(d.confirmedBy ?? {})
    .map(([party, c]) => `${PARTY[party]?.toLowerCase() ?? party} ${formatDate(c.on)}`)
    .join(' og ');
  const how = d.statedOnBehalfOfBoth
    ? `registrert på vegne av begge parter av ${ROLE[d.statedOnBehalfOfBoth.role]?.toLowerCase() ?? d.statedOnBehalfOfBoth.role}`
    : confirmed
      ? `bekreftet av ${confirmed}`
      : formatDate(d.agreedOn);
  return `Avtalt ny frist ${formatDate(d.dueDate)} (${PARTY[d.agreedBy] ?? d.agreedBy}, ${how}): ${d.reason}`;
}

type PartValue = { responsible: string; status: string };

/** Keeping the institution place or a day place after move-in (§3.2, vedlegg 1): the API's own schema. */
const keepPlaceSpecs = specsOf(ExitPlan.shape.keepPlace.unwrap().unwrap());
const keepPlaceKind = kindFinder(keepPlaceSpecs);
export const keepPlaceLabel = (name: string) => fieldLabel('exit-plan:keepPlace', name);

function keepPlaceValues(saved: ExitPlan['keepPlace']): Values {
  if (!saved) return initialValues(keepPlaceSpecs);
  return {
    kind: saved.kind,
    daysPerWeek: String(saved.daysPerWeek),
    until: formatDate(saved.until),
    paidBy: saved.paidBy,
  };
}
const RESPONSIBLE_OPTIONS = Object.entries(EXIT_PLAN_RESPONSIBLE).map(([value, label]) => ({ value, label }));
const STATUS_OPTIONS = Object.entries(EXIT_PLAN_STATUS).map(([value, label]) => ({ value, label }));

/** §3.2, vedlegg 1: the eight parts of the exit plan, each with who is responsible and how far it has come. */
export function ExitPlanForm(props: { stay: Stay; onDone(stay: Stay): void }) {
  const saved = props.stay.transition.exitPlan as Partial<ExitPlan> | null;
  const [parts, setParts] = useState<Record<string, PartValue>>(() =>
    Object.fromEntries(
      EXIT_PLAN_PARTS.map((p) => [
        p,
        { responsible: saved?.parts?.[p]?.responsible ?? '', status: saved?.parts?.[p]?.status ?? '' },
      ]),
    ),
  );
  const [contingency, setContingency] = useState<'' | 'ja' | 'nei'>(
    saved ? (saved.contingencyPlanConsidered ? 'ja' : 'nei') : '',
  );
  const [endsOn, setEndsOn] = useState(saved?.participationEndsOn ? formatDate(saved.participationEndsOn) : '');
  const [keep, setKeep] = useState<'' | 'ja' | 'nei'>(saved ? (saved.keepPlace ? 'ja' : 'nei') : '');
  const [keepValues, setKeepValues] = useState<Values>(() => keepPlaceValues(saved?.keepPlace));
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const idOf = (path: string) => fieldId('utskrivningsplan', path);
  const labelOf = (path: string) => {
    const [, part, field] = path.split('.');
    if (path.startsWith('keepPlace.'))
      return `Beholde plass: ${keepPlaceLabel(path.slice('keepPlace.'.length)).toLowerCase()}`;
    if (part && field)
      return `${EXIT_PLAN_PART_TITLES_NB[part as keyof typeof EXIT_PLAN_PART_TITLES_NB] ?? part}: ${field === 'status' ? 'status' : 'ansvarlig'}`;
    if (path === 'keepPlace') return 'Beholde institusjonsplass eller dagplass';
    return path === 'contingencyPlanConsidered'
      ? 'Kriseplan vurdert'
      : path === 'participationEndsOn'
        ? 'Institusjonens deltakelse slutter'
        : path;
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    try {
      const body = {
        parts,
        ...(contingency ? { contingencyPlanConsidered: contingency === 'ja' } : {}),
        ...(endsOn.trim() ? { participationEndsOn: parseDateInput(endsOn) } : {}),
        ...(keep === 'ja'
          ? { keepPlace: toBody(keepPlaceSpecs, keepValues) }
          : keep === 'nei'
            ? { keepPlace: null }
            : {}),
      };
      const stay = await api<Stay>(`/api/stays/${props.stay.id}/exit-plan`, { method: 'PUT', body });
      setErrors({ fields: {} });
      setOpen(false);
      props.onDone(stay);
    } catch (err) {
      setErrors(
        problemToFormErrors(err, {
          kindOf: (path) =>
            /^parts\.[a-z-]+\.(status|responsible)$/.test(path)
              ? 'choice'
              : path.startsWith('keepPlace.')
                ? keepPlaceKind(path.slice('keepPlace.'.length))
                : path === 'contingencyPlanConsidered' || path === 'keepPlace'
                  ? 'boolean'
                  : path === 'participationEndsOn'
                    ? 'date'
                    : undefined,
          dateField: 'participationEndsOn',
        }),
      );
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[data-error-summary]')?.focus());
    } finally {
      setBusy(false);
    }
  }

  const doneCount = EXIT_PLAN_PARTS.filter((p) =>
    ['done', 'continued', 'not-relevant'].includes(parts[p]!.status),
  ).length;
  return (
    <section aria-labelledby="utskrivningsplan" className="block">
      <h2 id="utskrivningsplan" className="pkt-txt-22-medium">
        Utskrivningsplan ({EXIT_PLAN_SECTION})
      </h2>
      <p>
        {saved
          ? `${doneCount} av ${EXIT_PLAN_PARTS.length} deler er avklart.`
          : 'Ingen utskrivningsplan er registrert ennå.'}
      </p>
      {!open && (
        <PktButton type="button" skin="secondary" size="small" onClick={() => setOpen(true)}>
          {saved ? 'Oppdater utskrivningsplanen' : 'Lag utskrivningsplan'}
        </PktButton>
      )}
      {open && (
        <form ref={formRef} className="completion-form" onSubmit={submit} noValidate aria-label="Utskrivningsplan">
          <ErrorSummary form={errors.form} fields={errors.fields} labelOf={labelOf} idOf={idOf} />
          <table className="pkt-table exit-plan">
            <caption className="pkt-sr-only">De åtte delene av utskrivningsplanen</caption>
            <thead>
              <tr>
                <th scope="col">Del</th>
                <th scope="col">Ansvarlig</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {EXIT_PLAN_PARTS.map((p) => (
                <tr key={p}>
                  <th scope="row">{EXIT_PLAN_PART_TITLES_NB[p]}</th>
                  {(['responsible', 'status'] as const).map((field) => (
                    <td key={field}>
                      <select
                        className={`pkt-input${errors.fields[`parts.${p}.${field}`] ? ' pkt-input--error' : ''}`}
                        id={idOf(`parts.${p}.${field}`)}
                        aria-label={`${EXIT_PLAN_PART_TITLES_NB[p]}: ${field === 'status' ? 'status' : 'ansvarlig'}`}
                        aria-invalid={errors.fields[`parts.${p}.${field}`] ? true : undefined}
                        aria-describedby={
                          errors.fields[`parts.${p}.${field}`] ? `${idOf(`parts.${p}.${field}`)}-error` : undefined
                        }
                        value={parts[p]![field]}
                        onChange={(e) => setParts((all) => ({ ...all, [p]: { ...all[p]!, [field]: e.target.value } }))}
                      >
                        <option value="">Velg …</option>
                        {(field === 'status' ? STATUS_OPTIONS : RESPONSIBLE_OPTIONS).map((o) => (
                          <option key={o.value} value={o.value}>
                            {o.label}
                          </option>
                        ))}
                      </select>
                      {errors.fields[`parts.${p}.${field}`] && (
                        <span className="field-error" id={`${idOf(`parts.${p}.${field}`)}-error`}>
                          {errors.fields[`parts.${p}.${field}`]}
                        </span>
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <YesNoField
            id={idOf('contingencyPlanConsidered')}
            label="Er kriseplan vurdert?"
            value={contingency}
            onChange={setContingency}
            error={errors.fields.contingencyPlanConsidered}
          />
          <fieldset className="keep-place" data-keep-place>
            <legend className="pkt-txt-18-medium">
              Beholde institusjonsplass eller dagplass etter innflytting ({EXIT_PLAN_SECTION}, vedlegg 1)
            </legend>
            <YesNoField
              id={idOf('keepPlace')}
              label="Er det avtalt at beboeren beholder institusjonsplassen eller en dagplass etter innflytting?"
              value={keep}
              onChange={setKeep}
              error={errors.fields.keepPlace}
              optional
            />
            {keep === 'ja' &&
              keepPlaceSpecs.map((spec) => (
                <SpecField
                  key={spec.name}
                  spec={spec}
                  labelOf={keepPlaceLabel}
                  path={`keepPlace.${spec.name}`}
                  value={keepValues[spec.name]}
                  onChange={(v) => setKeepValues((all) => ({ ...all, [spec.name]: v }))}
                  errors={errors.fields}
                  idOf={idOf}
                />
              ))}
          </fieldset>
          <DateField
            id={idOf('participationEndsOn')}
            label="Institusjonens deltakelse slutter (§3.3, om annet enn 4 uker etter utflytting er avtalt)"
            value={endsOn}
            onChange={setEndsOn}
            error={errors.fields.participationEndsOn}
            optional
          />
          <div className="form-actions">
            <PktButton type="submit" skin="primary" disabled={busy}>
              {busy ? 'Lagrer …' : 'Lagre utskrivningsplanen'}
            </PktButton>
            <PktButton type="button" skin="tertiary" onClick={() => setOpen(false)}>
              Avbryt
            </PktButton>
          </div>
        </form>
      )}
    </section>
  );
}
