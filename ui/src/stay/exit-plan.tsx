// The exit plan (utflyttingsplan, Fellesskriv §3.2 and vedlegg 1): eight parts with named tasks, the contact persons
// from the stay's contacts, the contingency plan (kriseplan) and any kept place. The form sends the API's own schema
// (rules/exit-plan.ts); the printable page is what the resident takes home.
import { PktAlert, PktButton } from '@oslokommune/punkt-react';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import {
  CONTINGENCY_PLAN_PART,
  type ContingencyPlan,
  EXIT_PLAN_OWNERS,
  EXIT_PLAN_PART_TITLES_NB,
  EXIT_PLAN_PARTS,
  EXIT_PLAN_SECTION,
  EXIT_PLAN_TEXT_LIMITS,
  ExitPlan,
  type ExitPlanTask,
} from '../../../rules/exit-plan';
import type { Contact } from '../../../schemas/contacts';
import { api, type Stay } from '../api';
import { type FormErrors, problemToFormErrors } from '../errors';
import { ChoiceField, DateField, ErrorSummary, fieldId, YesNoField } from '../fields';
import { useRowKeys } from '../forms/row-keys';
import { SpecField, specsOf } from '../forms/schema-form';
import { initialValues, kindFinder, toBody, type Values } from '../forms/specs';
import { formatDate, parseDateInput } from '../format';
import { orgName } from '../organisations';
import { EXIT_PLAN_RESPONSIBLE, EXIT_PLAN_STATUS, fieldLabel, KEEP_PLACE_PAID_BY } from '../texts';

type Part = (typeof EXIT_PLAN_PARTS)[number];
type SavedPlan = Partial<ExitPlan> | null;

export const CONTINGENCY_STATUS: Record<ContingencyPlan['status'], string> = {
  'not-needed': 'Ikke nødvendig',
  'to-be-made': 'Skal lages',
  made: 'Laget',
};

export const CONTACT_ROLE: Record<Contact['role'], string> = {
  'primary-contact': 'Primærkontakt',
  'bydel-contact': 'Kontakt i bydelen',
  'housing-follow-up-worker': 'Booppfølger',
  other: 'Annen kontakt',
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

/** The stay's contacts (names and numbers for the plan); an empty list when they cannot be read. */
export function useContacts(stayId: string) {
  const [contacts, setContacts] = useState<Contact[] | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    api<{ contacts: Contact[] }>(`/api/stays/${stayId}/contacts`, { signal: controller.signal })
      .then((r) => setContacts(r.contacts))
      .catch((err) => (err as Error).name !== 'AbortError' && setContacts([]));
    return () => controller.abort();
  }, [stayId]);
  return contacts;
}

/** "Kari Primær (Primærkontakt)" — a contact named in the plan but since removed from the stay's list says so. */
export const contactName = (contacts: Contact[], id: string) => {
  const c = contacts.find((x) => x.id === id);
  return c ? `${c.name} (${CONTACT_ROLE[c.role]})` : 'Kontakt som er fjernet fra listen';
};

export function ownerOf(task: ExitPlanTask, contacts: Contact[]): string {
  const who = task.ownerContactId ? contactName(contacts, task.ownerContactId) : task.ownerName;
  const party = EXIT_PLAN_RESPONSIBLE[task.owner] ?? task.owner;
  return who ? `${who}, ${party.toLowerCase()}` : party;
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

type TaskDraft = {
  title: string;
  owner: string;
  ownerContactId: string;
  ownerName: string;
  dueOn: string;
  done: boolean;
};
type PartDraft = { responsible: string; status: string; tasks: TaskDraft[] };

const emptyTask = (): TaskDraft => ({
  title: '',
  owner: '',
  ownerContactId: '',
  ownerName: '',
  dueOn: '',
  done: false,
});
const taskDraft = (t: ExitPlanTask): TaskDraft => ({
  title: t.title,
  owner: t.owner,
  ownerContactId: t.ownerContactId ?? '',
  ownerName: t.ownerName ?? '',
  dueOn: t.dueOn ? formatDate(t.dueOn) : '',
  done: t.done ?? false,
});
/** What was typed, as the API takes it: empty optional fields left out, dates as YYYY-MM-DD. */
const taskBody = (t: TaskDraft) => ({
  title: t.title,
  owner: t.owner,
  ...(t.ownerContactId ? { ownerContactId: t.ownerContactId } : {}),
  ...(t.ownerName.trim() ? { ownerName: t.ownerName } : {}),
  ...(t.dueOn.trim() ? { dueOn: parseDateInput(t.dueOn) } : {}),
  ...(t.done ? { done: true } : {}),
});

const TASK_FIELDS = {
  title: 'oppgave',
  owner: 'ansvarlig',
  ownerContactId: 'person',
  ownerName: 'navn',
  dueOn: 'frist',
};

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
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
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
    setBusy(true);
    try {
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
      const stay = await api<Stay>(`/api/stays/${props.stay.id}/exit-plan`, { method: 'PUT', body });
      setErrors({ fields: {} });
      props.onDone(stay);
    } catch (err) {
      setErrors(
        problemToFormErrors(err, {
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
        }),
      );
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[data-error-summary]')?.focus());
    } finally {
      setBusy(false);
    }
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
      <div className="form-actions">
        <PktButton type="submit" skin="primary" disabled={busy}>
          {busy ? 'Lagrer …' : 'Lagre utflyttingsplanen'}
        </PktButton>
        <PktButton type="button" skin="tertiary" onClick={props.onCancel}>
          Avbryt
        </PktButton>
      </div>
    </form>
  );
}

/** A native select with a visible label and, for screen readers, the full name ("Økonomi: status"). */
function PlainSelect(props: {
  id: string;
  label: string;
  visibleLabel: string;
  value: string;
  onChange(value: string): void;
  options: [string, string][];
  error?: string;
  emptyLabel?: string;
}) {
  return (
    <div className="plain-field">
      <label htmlFor={props.id} className="plain-field__label" aria-hidden="true">
        {props.visibleLabel}
      </label>
      <select
        id={props.id}
        className={`pkt-input${props.error ? ' pkt-input--error' : ''}`}
        aria-label={props.label}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${props.id}-error` : undefined}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      >
        <option value="">{props.emptyLabel ?? 'Velg …'}</option>
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      {props.error && (
        <span className="field-error" id={`${props.id}-error`}>
          {props.error}
        </span>
      )}
    </div>
  );
}

function PlainText(props: {
  id: string;
  label: string;
  visibleLabel: string;
  value: string;
  onChange(value: string): void;
  maxLength: number;
  error?: string;
  placeholder?: string;
}) {
  return (
    <div className="plain-field">
      <label htmlFor={props.id} className="plain-field__label" aria-hidden="true">
        {props.visibleLabel}
      </label>
      <input
        id={props.id}
        className={`pkt-input${props.error ? ' pkt-input--error' : ''}`}
        aria-label={props.label}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${props.id}-error` : undefined}
        value={props.value}
        maxLength={props.maxLength}
        placeholder={props.placeholder}
        autoComplete="off"
        onChange={(e) => props.onChange(e.target.value)}
      />
      {props.error && (
        <span className="field-error" id={`${props.id}-error`}>
          {props.error}
        </span>
      )}
    </div>
  );
}

/** The named tasks of a part (or the kriseplan's steps): what, who (party and person), by when, done. */
function TaskList(props: {
  partTitle: string;
  path: string;
  noun: 'oppgave' | 'tiltak';
  tasks: TaskDraft[];
  onChange(tasks: TaskDraft[]): void;
  contacts: Contact[];
  errors: Record<string, string>;
  idOf(path: string): string;
  max?: number;
}) {
  const max = props.max ?? EXIT_PLAN_TEXT_LIMITS.tasksPerPart;
  const rows = useRowKeys(props.tasks.length);
  const set = (i: number, change: Partial<TaskDraft>) =>
    props.onChange(props.tasks.map((t, j) => (j === i ? { ...t, ...change } : t)));
  const listError = props.errors[props.path];
  return (
    <div className="task-list">
      {listError && (
        <span className="field-error" id={`${props.idOf(props.path)}-error`}>
          {listError}
        </span>
      )}
      {props.tasks.map((t, i) => {
        const name = `${props.partTitle}, ${props.noun} ${i + 1}`;
        const at = (field: string) => `${props.path}.${i}.${field}`;
        return (
          <div key={rows.keys[i]} className="task-row" data-task={i}>
            <PlainText
              id={props.idOf(at('title'))}
              label={`${name}: hva`}
              visibleLabel={props.noun === 'tiltak' ? 'Tiltak' : 'Oppgave'}
              value={t.title}
              onChange={(title) => set(i, { title })}
              maxLength={EXIT_PLAN_TEXT_LIMITS.taskTitle}
              error={props.errors[at('title')]}
            />
            <PlainSelect
              id={props.idOf(at('owner'))}
              label={`${name}: ansvarlig`}
              visibleLabel="Ansvarlig"
              value={t.owner}
              onChange={(owner) => set(i, { owner })}
              options={EXIT_PLAN_OWNERS.map((o) => [o, EXIT_PLAN_RESPONSIBLE[o] ?? o])}
              error={props.errors[at('owner')]}
            />
            <PlainSelect
              id={props.idOf(at('ownerContactId'))}
              label={`${name}: person fra kontaktlisten`}
              visibleLabel="Person"
              value={t.ownerContactId}
              onChange={(ownerContactId) => set(i, { ownerContactId })}
              options={props.contacts.map((c) => [c.id, `${c.name} (${CONTACT_ROLE[c.role]})`])}
              emptyLabel="Ingen valgt"
              error={props.errors[at('ownerContactId')]}
            />
            {!t.ownerContactId && (
              <PlainText
                id={props.idOf(at('ownerName'))}
                label={`${name}: navn eller rolle, om personen ikke står i kontaktlisten`}
                visibleLabel="Eller navn/rolle"
                value={t.ownerName}
                onChange={(ownerName) => set(i, { ownerName })}
                maxLength={EXIT_PLAN_TEXT_LIMITS.ownerName}
                placeholder="f.eks. NAV-veileder"
                error={props.errors[at('ownerName')]}
              />
            )}
            <PlainText
              id={props.idOf(at('dueOn'))}
              label={`${name}: frist (dd.mm.åååå)`}
              visibleLabel="Frist"
              value={t.dueOn}
              onChange={(dueOn) => set(i, { dueOn })}
              maxLength={10}
              placeholder="dd.mm.åååå"
              error={props.errors[at('dueOn')]}
            />
            <div className="plain-field plain-field--check">
              <input
                type="checkbox"
                id={props.idOf(at('done'))}
                checked={t.done}
                onChange={(e) => set(i, { done: e.target.checked })}
              />
              <label htmlFor={props.idOf(at('done'))}>
                Utført<span className="pkt-sr-only">: {name}</span>
              </label>
            </div>
            <PktButton
              type="button"
              skin="tertiary"
              size="small"
              aria-label={`Fjern ${name}`}
              onClick={() => {
                rows.remove(i);
                props.onChange(props.tasks.filter((_, j) => j !== i));
              }}
            >
              Fjern
            </PktButton>
          </div>
        );
      })}
      {props.tasks.length < max && (
        <PktButton
          type="button"
          skin="tertiary"
          size="small"
          aria-label={`Legg til ${props.noun}: ${props.partTitle}`}
          onClick={() => props.onChange([...props.tasks, emptyTask()])}
        >
          {props.noun === 'tiltak' ? 'Legg til tiltak' : 'Legg til oppgave'}
        </PktButton>
      )}
    </div>
  );
}

/** Contacts of the stay, ticked (their names and numbers come from the contact list, not typed again). */
function ContactPicker(props: {
  id: string;
  legend: string;
  contacts: Contact[];
  value: string[];
  onChange(ids: string[]): void;
  error?: string;
}) {
  return (
    <fieldset className="contact-picker" id={props.id}>
      <legend>{props.legend}</legend>
      {props.contacts.length === 0 && (
        <p className="muted">Oppholdet har ingen kontakter ennå. Legg dem inn i kontaktlisten først.</p>
      )}
      {props.contacts.map((c) => {
        const id = `${props.id}-${c.id}`;
        return (
          <div key={c.id} className="plain-field--check">
            <input
              type="checkbox"
              id={id}
              checked={props.value.includes(c.id)}
              onChange={(e) =>
                props.onChange(e.target.checked ? [...props.value, c.id] : props.value.filter((x) => x !== c.id))
              }
            />
            <label htmlFor={id}>
              {c.name} ({CONTACT_ROLE[c.role]}, {orgName(c.organisationId)})
            </label>
          </div>
        );
      })}
      {props.error && <span className="field-error">{props.error}</span>}
    </fieldset>
  );
}
