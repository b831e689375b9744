// The life of a stay after the first months (§3): events, agreed deviations (§1) and the exit plan (§3.2).
// Each form is generated from the API's own zod schema for that body (api/routes/stays/schemas.ts).
import { PktButton } from '@oslokommune/punkt-react';
import { useRef, useState, type FormEvent } from 'react';
import { DeviationBody, EVENT_BODIES } from '../../../api/routes/stays/schemas';
import { EXIT_PLAN_PART_TITLES_NB, EXIT_PLAN_PARTS, EXIT_PLAN_SECTION, ExitPlan } from '../../../rules/exit-plan';
import { STAY_EVENT_TYPES, type StayEventType } from '../../../rules/types';
import { api, type Milestone, type Stay } from '../api';
import { problemToFormErrors, type FormErrors } from '../errors';
import { DateField, ErrorSummary, fieldId, YesNoField } from '../fields';
import { SchemaForm, specsOf } from '../forms/schema-form';
import { formatDate, parseDateInput } from '../format';
import { BYDELER, orgName } from '../organisations';
import type { Role } from '../session';
import { EVENT_TITLES, EXIT_PLAN_RESPONSIBLE, EXIT_PLAN_STATUS, fieldLabel, milestoneTitle, PARTY, VALUE_LABELS } from '../texts';

/** Mirrors the API's EVENT_ROLES: who may record which event (the API refuses the others with 403). */
const EVENT_ROLES: Record<StayEventType, Role[]> = {
  'housing-offered': ['institution', 'bydel', 'admin'],
  discharged: ['institution', 'admin'],
  'moved-in': ['institution', 'bydel', 'admin'],
  'ended-early': ['institution', 'bydel', 'admin'],
  'bydel-changed': ['bydel', 'admin'],
};

const bydelChoices = (name: string) => (name === 'receivingBydelId' || name === 'bydelId' ? BYDELER.map((b) => ({ value: b.id, label: b.name })) : undefined);

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

export function TransitionFacts({ stay }: { stay: Stay }) {
  const t = stay.transition;
  const rows: [string, string][] = [];
  if (t.housingOffered) rows.push(['Bolig tilbudt', formatDate(String(t.housingOffered.date ?? ''))]);
  if (typeof t.housingOffered?.expectedMoveInDate === 'string') rows.push(['Forventet innflytting', formatDate(t.housingOffered.expectedMoveInDate)]);
  if (t.dischargedOn) rows.push(['Utskrevet', formatDate(t.dischargedOn)]);
  if (t.availability) rows.push(['Institusjonen tilgjengelig for beboeren (§3)', `${formatDate(t.availability.from)}–${formatDate(t.availability.until)}`]);
  if (t.movedInOn) rows.push(['Flyttet inn', formatDate(t.movedInOn)]);
  if (t.participationEndsOn) rows.push(['Institusjonens deltakelse slutter (§3.3)', formatDate(t.participationEndsOn)]);
  if (t.endedEarly) rows.push(['Avsluttet før tiden', `${formatDate(String(t.endedEarly.date ?? ''))}, ${VALUE_LABELS[String(t.endedEarly.reason)] ?? String(t.endedEarly.reason)}`]);
  for (const c of t.bydelChanges) rows.push(['Bytte av bydel', `${formatDate(c.date)}: ${orgName(c.from)} → ${orgName(c.to)}`]);
  if (t.completedOn) rows.push(['Fullført', formatDate(t.completedOn)]);
  if (rows.length === 0) return null;
  return (
    <section aria-labelledby="overgang" className="block">
      <h2 id="overgang" className="pkt-txt-22-medium">
        Overgang til egen bolig
      </h2>
      <dl className="facts">
        {rows.map(([k, v]) => (
          <div key={k + v}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
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
      submit={(body) => api<Stay>(`/api/stays/${props.stay.id}/deviations`, { method: 'POST', body: { ...body, milestone: props.milestone.key } })}
      onDone={props.onDone}
      onCancel={props.onCancel}
    />
  );
}

export function describeDeviation(m: Milestone): string | null {
  if (!m.deviation) return null;
  return `Avtalt ny frist ${formatDate(m.deviation.dueDate)} (${PARTY[m.deviation.agreedBy] ?? m.deviation.agreedBy}, ${formatDate(m.deviation.agreedOn)}): ${m.deviation.reason}`;
}

type PartValue = { responsible: string; status: string };
const RESPONSIBLE_OPTIONS = Object.entries(EXIT_PLAN_RESPONSIBLE).map(([value, label]) => ({ value, label }));
const STATUS_OPTIONS = Object.entries(EXIT_PLAN_STATUS).map(([value, label]) => ({ value, label }));

/** §3.2, vedlegg 1: the eight parts of the exit plan, each with who is responsible and how far it has come. */
export function ExitPlanForm(props: { stay: Stay; onDone(stay: Stay): void }) {
  const saved = props.stay.transition.exitPlan as Partial<ExitPlan> | null;
  const [parts, setParts] = useState<Record<string, PartValue>>(() =>
    Object.fromEntries(EXIT_PLAN_PARTS.map((p) => [p, { responsible: saved?.parts?.[p]?.responsible ?? '', status: saved?.parts?.[p]?.status ?? '' }])),
  );
  const [contingency, setContingency] = useState<'' | 'ja' | 'nei'>(saved ? (saved.contingencyPlanConsidered ? 'ja' : 'nei') : '');
  const [endsOn, setEndsOn] = useState(saved?.participationEndsOn ? formatDate(saved.participationEndsOn) : '');
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const idOf = (path: string) => fieldId('utskrivningsplan', path);
  const labelOf = (path: string) => {
    const [, part, field] = path.split('.');
    if (part && field) return `${EXIT_PLAN_PART_TITLES_NB[part as keyof typeof EXIT_PLAN_PART_TITLES_NB] ?? part}: ${field === 'status' ? 'status' : 'ansvarlig'}`;
    return path === 'contingencyPlanConsidered' ? 'Kriseplan vurdert' : path === 'participationEndsOn' ? 'Institusjonens deltakelse slutter' : path;
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    try {
      const body = {
        parts,
        ...(contingency ? { contingencyPlanConsidered: contingency === 'ja' } : {}),
        ...(endsOn.trim() ? { participationEndsOn: parseDateInput(endsOn) } : {}),
      };
      const stay = await api<Stay>(`/api/stays/${props.stay.id}/exit-plan`, { method: 'PUT', body });
      setErrors({ fields: {} });
      setOpen(false);
      props.onDone(stay);
    } catch (err) {
      setErrors(
        problemToFormErrors(err, {
          kindOf: (path) => (/^parts\.[a-z-]+\.(status|responsible)$/.test(path) ? 'choice' : path === 'contingencyPlanConsidered' ? 'boolean' : path === 'participationEndsOn' ? 'date' : undefined),
          dateField: 'participationEndsOn',
        }),
      );
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[data-error-summary]')?.focus());
    } finally {
      setBusy(false);
    }
  }

  const doneCount = EXIT_PLAN_PARTS.filter((p) => ['done', 'continued', 'not-relevant'].includes(parts[p]!.status)).length;
  return (
    <section aria-labelledby="utskrivningsplan" className="block">
      <h2 id="utskrivningsplan" className="pkt-txt-22-medium">
        Utskrivningsplan ({EXIT_PLAN_SECTION})
      </h2>
      <p>{saved ? `${doneCount} av ${EXIT_PLAN_PARTS.length} deler er avklart.` : 'Ingen utskrivningsplan er registrert ennå.'}</p>
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
                        aria-describedby={errors.fields[`parts.${p}.${field}`] ? `${idOf(`parts.${p}.${field}`)}-error` : undefined}
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
          <YesNoField id={idOf('contingencyPlanConsidered')} label="Er kriseplan vurdert?" value={contingency} onChange={setContingency} error={errors.fields.contingencyPlanConsidered} />
          <DateField
            id={idOf('participationEndsOn')}
            label="Institusjonens deltakelse slutter (om annet enn 4 uker etter utflytting er avtalt)"
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

