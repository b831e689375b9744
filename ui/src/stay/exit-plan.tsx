// The exit plan (utflyttingsplan, Fellesskriv §3.2 and vedlegg 1): eight parts with named tasks, the contact persons
// from the stay's contacts, the contingency plan (kriseplan) and any kept place. The form sends the API's own schema
// (rules/exit-plan.ts); the printable page is what the resident takes home.
import { PktAlert, PktButton } from '@oslokommune/punkt-react';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router-dom';
import {
  CONTINGENCY_PLAN_PART,
  type ContingencyPlan,
  EXIT_PLAN_PART_TITLES_NB,
  EXIT_PLAN_PARTS,
  EXIT_PLAN_SECTION,
  EXIT_PLAN_TEXT_LIMITS,
  ExitPlan,
} from '../../../rules/exit-plan';
import type { Contact } from '../../../schemas/contacts';
import { api, type Stay } from '../api';
import { ChoiceField, DateField, ErrorSummary, fieldId, YesNoField } from '../fields';
import { SpecField, specsOf } from '../forms/schema-form';
import { initialValues, kindFinder, toBody, type Values } from '../forms/specs';
import { formatDate, parseDateInput } from '../format';
import { EXIT_PLAN_RESPONSIBLE, EXIT_PLAN_STATUS, fieldLabel, KEEP_PLACE_PAID_BY } from '../texts';
import { ContactPicker, TASK_FIELDS, TaskList, type TaskDraft, taskBody, taskDraft } from './exit-plan-tasks';
import { PlainSelect } from '../forms/plain-fields';
import { FormActions } from '../forms/form-actions';
import { useFormSubmit } from '../forms/use-form-submit';

type Part = (typeof EXIT_PLAN_PARTS)[number];
type SavedPlan = Partial<ExitPlan> | null;
type PartDraft = { responsible: string; status: string; tasks: TaskDraft[] };

export const CONTINGENCY_STATUS: Record<ContingencyPlan['status'], string> = {
  'not-needed': 'Ikke nødvendig',
  'to-be-made': 'Skal lages',
  made: 'Laget',
};

export const HEALTH_NOTICE =
  'Skriv korte oppgaver og navn. Ikke skriv helseopplysninger her: planen skrives ut og tas med hjem av beboeren.';

/** Keeping the institution place or a day place after move-in (§3.2, vedlegg 1): the API's own schema. */
export const keepPlaceSpecs = specsOf(ExitPlan.shape.keepPlace.unwrap().unwrap());
const keepPlaceKind = kindFinder(keepPlaceSpecs);
export const keepPlaceLabel = (name: string) => fieldLabel('exit-plan:keepPlace', name);
export const keepPlaceChoices = (name: string) =>
  name === 'paidBy' ? Object.entries(KEEP_PLACE_PAID_BY).map(([value, label]) => ({ value, label })) : undefined;

function keepPlaceValues(saved: ExitPlan['keepPlace']): Values {
  if (!saved) return initialValues(keepPlaceSpecs);
  return {
    kind: saved.kind,
    daysPerWeek: String(saved.daysPerWeek),
    until: formatDate(saved.until),
    paidBy: saved.paidBy,
  };
}

/** What the stay page shows of the plan: how far each part has come, with its tasks, and where to print it. */
export function ExitPlanSection(props: {
  stay: Stay;
  contacts: Contact[] | null;
  editable: boolean;
  onDone(stay: Stay): void;
}) {
  const saved = props.stay.transition.exitPlan as SavedPlan;
  const [open, setOpen] = useState(false);
  const { contacts } = props;
  const settled = saved?.parts
    ? EXIT_PLAN_PARTS.filter((p) => ['done', 'continued', 'not-relevant'].includes(saved.parts![p]?.status ?? ''))
        .length
    : 0;
  const tasks = saved?.parts ? EXIT_PLAN_PARTS.flatMap((p) => saved.parts![p]?.tasks ?? []) : [];
  return (
    <section aria-labelledby="utflyttingsplan" className="block card" data-testid="exit-plan">
      <h2 id="utflyttingsplan" className="pkt-txt-22-medium">
        Utflyttingsplan ({EXIT_PLAN_SECTION})
      </h2>
      <p>
        {saved
          ? `${settled} av ${EXIT_PLAN_PARTS.length} deler er avklart.${tasks.length > 0 ? ` ${tasks.filter((t) => t.done).length} av ${tasks.length} oppgaver er utført.` : ''}`
          : 'Ingen utflyttingsplan er registrert ennå.'}
      </p>
      {saved && (
        <p className="no-print">
          <Link to={`/opphold/${props.stay.id}/utflyttingsplan`} className="pkt-link">
            Utflyttingsplanen for utskrift (til beboeren)
          </Link>
        </p>
      )}
      {props.editable && !open && (
        <PktButton type="button" skin="secondary" size="small" className="no-print" onClick={() => setOpen(true)}>
          {saved ? 'Oppdater utflyttingsplanen' : 'Lag utflyttingsplan'}
        </PktButton>
      )}
      {open && contacts && (
        <ExitPlanForm
          stay={props.stay}
          contacts={contacts}
          onCancel={() => setOpen(false)}
          onDone={(stay) => {
            setOpen(false);
            props.onDone(stay);
          }}
        />
      )}
    </section>
  );
}

function ExitPlanForm(props: { stay: Stay; contacts: Contact[]; onCancel(): void; onDone(stay: Stay): void }) {
  const saved = props.stay.transition.exitPlan as SavedPlan;
  const [parts, setParts] = useState<Record<Part, PartDraft>>(
    () =>
      Object.fromEntries(
        EXIT_PLAN_PARTS.map((p) => [
          p,
          {
            responsible: saved?.parts?.[p]?.responsible ?? '',
            status: saved?.parts?.[p]?.status ?? '',
            tasks: (saved?.parts?.[p]?.tasks ?? []).map(taskDraft),
          },
        ]),
      ) as Record<Part, PartDraft>,
  );
  const [contactIds, setContactIds] = useState<string[]>(saved?.parts?.['contact-persons']?.contactIds ?? []);
  const savedCrisis = saved?.parts?.[CONTINGENCY_PLAN_PART];
  const [considered, setConsidered] = useState<'' | 'ja' | 'nei'>(
    saved ? (saved.contingencyPlanConsidered ? 'ja' : 'nei') : '',
  );
  const [crisisStatus, setCrisisStatus] = useState<string>(savedCrisis?.status ?? '');
  const [crisisSteps, setCrisisSteps] = useState<TaskDraft[]>((savedCrisis?.steps ?? []).map(taskDraft));
  const [crisisContacts, setCrisisContacts] = useState<string[]>(savedCrisis?.contactIds ?? []);
  const [crisisReview, setCrisisReview] = useState(savedCrisis?.reviewOn ? formatDate(savedCrisis.reviewOn) : '');
  const [endsOn, setEndsOn] = useState(saved?.participationEndsOn ? formatDate(saved.participationEndsOn) : '');
  const [keep, setKeep] = useState<'' | 'ja' | 'nei'>(saved ? (saved.keepPlace ? 'ja' : 'nei') : '');
  const [keepValues, setKeepValues] = useState<Values>(() => keepPlaceValues(saved?.keepPlace));
  const { errors, setErrors, busy, formRef, run } = useFormSubmit();
  const idOf = (path: string) => fieldId('utflyttingsplan', path);

  const partTitle = (key: string) =>
    key === CONTINGENCY_PLAN_PART ? 'Kriseplan' : (EXIT_PLAN_PART_TITLES_NB[key as Part] ?? key);
  const labelOf = (path: string) => {
    const [, part, field, index, taskField] = path.split('.');
    if (path.startsWith('keepPlace.'))
      return `Beholde plass: ${keepPlaceLabel(path.slice('keepPlace.'.length)).toLowerCase()}`;
    if (part && (field === 'tasks' || field === 'steps'))
      return `${partTitle(part)}, ${field === 'steps' ? 'tiltak' : 'oppgave'} ${Number(index) + 1}${taskField ? `: ${TASK_FIELDS[taskField as keyof typeof TASK_FIELDS] ?? taskField}` : ''}`;
    if (part && field === 'contactIds') return `${partTitle(part)}: kontaktpersoner`;
    if (part && field)
      return `${partTitle(part)}: ${field === 'status' ? 'status' : field === 'reviewOn' ? 'ses på igjen' : 'ansvarlig'}`;
    if (path === 'keepPlace') return 'Beholde institusjonsplass eller dagplass';
    return path === 'contingencyPlanConsidered'
      ? 'Kriseplan vurdert'
      : path === 'participationEndsOn'
        ? 'Institusjonens deltakelse slutter'
        : path;
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    const body = {
      parts: {
        ...Object.fromEntries(
          EXIT_PLAN_PARTS.map((p) => [
            p,
            {
              responsible: parts[p].responsible,
              status: parts[p].status,
              ...(parts[p].tasks.length > 0 ? { tasks: parts[p].tasks.map(taskBody) } : {}),
              ...(p === 'contact-persons' && contactIds.length > 0 ? { contactIds } : {}),
            },
          ]),
        ),
        ...(considered === 'ja' && crisisStatus
          ? {
              [CONTINGENCY_PLAN_PART]: {
                status: crisisStatus,
                ...(crisisSteps.length > 0 ? { steps: crisisSteps.map(taskBody) } : {}),
                ...(crisisContacts.length > 0 ? { contactIds: crisisContacts } : {}),
                ...(crisisReview.trim() ? { reviewOn: parseDateInput(crisisReview) } : {}),
              },
            }
          : {}),
      },
      ...(considered ? { contingencyPlanConsidered: considered === 'ja' } : {}),
      ...(endsOn.trim() ? { participationEndsOn: parseDateInput(endsOn) } : {}),
      ...(keep === 'ja'
        ? { keepPlace: toBody(keepPlaceSpecs, keepValues) }
        : keep === 'nei'
          ? { keepPlace: null }
          : {}),
    };
    await run(
      async () => {
        const stay = await api<Stay>(`/api/stays/${props.stay.id}/exit-plan`, { method: 'PUT', body });
        setErrors({ fields: {} });
        props.onDone(stay);
      },
      {
        kindOf: (path) =>
          /\.(tasks|steps)\.\d+\.(title|ownerName)$/.test(path)
            ? 'text'
            : /\.(tasks|steps)\.\d+\.dueOn$/.test(path) || /\.reviewOn$/.test(path)
              ? 'date'
              : /\.(tasks|steps)(\.\d+\.(owner|ownerContactId))?$/.test(path) ||
                  /\.contactIds(\.\d+)?$/.test(path) ||
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
        messages: {
          'not-a-contact-of-this-stay': {
            message: 'Planen nevner en person som ikke lenger står i kontaktlisten. Last siden på nytt.',
          },
        },
      },
    );
  }

  const setPart = (p: Part, change: Partial<PartDraft>) =>
    setParts((all) => ({ ...all, [p]: { ...all[p], ...change } }));

  return (
    <form
      ref={formRef}
      className="completion-form exit-plan-form"
      onSubmit={submit}
      noValidate
      aria-label="Utflyttingsplan"
    >
      <ErrorSummary form={errors.form} fields={errors.fields} labelOf={labelOf} idOf={idOf} />
      <PktAlert skin="info" compact>
        {HEALTH_NOTICE}
      </PktAlert>
      {EXIT_PLAN_PARTS.map((p) => (
        <fieldset key={p} className="exit-plan-part" data-part={p}>
          <legend className="pkt-txt-18-medium">{EXIT_PLAN_PART_TITLES_NB[p]}</legend>
          <div className="exit-plan-part__head">
            {(['responsible', 'status'] as const).map((field) => (
              <PlainSelect
                key={field}
                id={idOf(`parts.${p}.${field}`)}
                label={`${EXIT_PLAN_PART_TITLES_NB[p]}: ${field === 'status' ? 'status' : 'ansvarlig'}`}
                visibleLabel={field === 'status' ? 'Status' : 'Ansvarlig'}
                value={parts[p][field]}
                onChange={(v) => setPart(p, { [field]: v })}
                options={Object.entries(field === 'status' ? EXIT_PLAN_STATUS : EXIT_PLAN_RESPONSIBLE)}
                error={errors.fields[`parts.${p}.${field}`]}
              />
            ))}
          </div>
          {p === 'contact-persons' && (
            <ContactPicker
              id={idOf('parts.contact-persons.contactIds')}
              legend="Kontaktpersoner beboeren tar med seg (fra kontaktlisten)"
              contacts={props.contacts}
              value={contactIds}
              onChange={setContactIds}
              error={errors.fields['parts.contact-persons.contactIds']}
            />
          )}
          <TaskList
            partTitle={EXIT_PLAN_PART_TITLES_NB[p]}
            path={`parts.${p}.tasks`}
            noun="oppgave"
            tasks={parts[p].tasks}
            onChange={(tasks) => setPart(p, { tasks })}
            contacts={props.contacts}
            errors={errors.fields}
            idOf={idOf}
          />
        </fieldset>
      ))}
      <fieldset className="exit-plan-part" data-part={CONTINGENCY_PLAN_PART}>
        <legend className="pkt-txt-18-medium">Kriseplan ({EXIT_PLAN_SECTION}: «bør også vurderes»)</legend>
        <YesNoField
          id={idOf('contingencyPlanConsidered')}
          label="Er kriseplan vurdert?"
          value={considered}
          onChange={setConsidered}
          error={errors.fields.contingencyPlanConsidered}
        />
        {considered === 'ja' && (
          <>
            <ChoiceField
              id={idOf(`parts.${CONTINGENCY_PLAN_PART}.status`)}
              label="Kriseplanen"
              value={crisisStatus}
              onChange={setCrisisStatus}
              options={Object.entries(CONTINGENCY_STATUS).map(([value, label]) => ({ value, label }))}
              error={errors.fields[`parts.${CONTINGENCY_PLAN_PART}.status`]}
              inline
            />
            <TaskList
              partTitle="Kriseplan"
              path={`parts.${CONTINGENCY_PLAN_PART}.steps`}
              noun="tiltak"
              tasks={crisisSteps}
              onChange={setCrisisSteps}
              contacts={props.contacts}
              errors={errors.fields}
              idOf={idOf}
              max={EXIT_PLAN_TEXT_LIMITS.tasksPerPart}
            />
            <ContactPicker
              id={idOf(`parts.${CONTINGENCY_PLAN_PART}.contactIds`)}
              legend="Hvem beboeren ringer når tiltakene ikke strekker til"
              contacts={props.contacts}
              value={crisisContacts}
              onChange={setCrisisContacts}
              error={errors.fields[`parts.${CONTINGENCY_PLAN_PART}.contactIds`]}
            />
            <DateField
              id={idOf(`parts.${CONTINGENCY_PLAN_PART}.reviewOn`)}
              label="Kriseplanen ses på igjen"
              value={crisisReview}
              onChange={setCrisisReview}
              error={errors.fields[`parts.${CONTINGENCY_PLAN_PART}.reviewOn`]}
              optional
            />
          </>
        )}
      </fieldset>
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
              choicesOf={keepPlaceChoices}
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
      <FormActions label="Lagre utflyttingsplanen" busy={busy} onCancel={props.onCancel} />
    </form>
  );
}
