// One form per milestone, built from the same zod schema the API validates with (rules/milestone-details.ts):
// a field added to a milestone's record appears here, and the API's answer for it lands next to it.
import { PktButton } from '@oslokommune/punkt-react';
import { useRef, useState, type FormEvent } from 'react';
import { z } from 'zod';
import { completionBodySchema, isoDate } from '../../../rules/milestone-details';
import { milestoneRule } from '../../../rules/milestones';
import { isMilestoneKey } from '../../../rules/types';
import { api, type Stay } from '../api';
import { problemToFormErrors, type FieldKind, type FormErrors } from '../errors';
import { ChoiceField, ConfirmField, DateField, enumOptions, ErrorSummary, fieldId, YesNoField } from '../fields';
import { formatDate, parseDateInput, todayInOslo } from '../format';
import { fieldLabel, milestoneTitle } from '../texts';

type Spec = { name: string; kind: FieldKind; optional: boolean; options?: readonly string[]; item?: Spec[] };

function specOf(name: string, schema: z.ZodType): Spec {
  let s: z.ZodType = schema;
  let optional = false;
  if (s instanceof z.ZodOptional) {
    optional = true;
    s = s.unwrap() as z.ZodType;
  }
  if (s === isoDate || (s instanceof z.ZodString && /(At|Date)$/.test(name))) return { name, kind: 'date', optional };
  if (s instanceof z.ZodBoolean) return { name, kind: 'boolean', optional };
  if (s instanceof z.ZodLiteral) return { name, kind: 'confirm', optional };
  if (s instanceof z.ZodEnum) return { name, kind: 'choice', optional, options: s.options as string[] };
  if (s instanceof z.ZodArray && s.element instanceof z.ZodObject) {
    return { name, kind: 'list', optional, item: specsOf(s.element as z.ZodObject) };
  }
  return { name, kind: 'text', optional };
}

const specsOf = (schema: z.ZodObject): Spec[] => Object.entries(schema.shape).map(([name, field]) => specOf(name, field as z.ZodType));

export function completionSpecs(key: string): Spec[] | null {
  if (!isMilestoneKey(key)) return null;
  const specs = specsOf(completionBodySchema(key));
  // doneAt first: it is the one thing every completion has.
  return [...specs.filter((s) => s.name === 'doneAt'), ...specs.filter((s) => s.name !== 'doneAt')];
}

type Values = Record<string, unknown>;

function initialValues(specs: Spec[]): Values {
  const values: Values = {};
  for (const s of specs) {
    if (s.kind === 'date') values[s.name] = s.name === 'doneAt' ? formatDate(todayInOslo()) : '';
    else if (s.kind === 'confirm') values[s.name] = false;
    else if (s.kind === 'list') values[s.name] = [];
    else values[s.name] = '';
  }
  return values;
}

/** What the form holds → the request body; unanswered optional fields are left out, as the API expects. */
function toBody(specs: Spec[], values: Values): Values {
  const body: Values = {};
  for (const s of specs) {
    const v = values[s.name];
    if (s.kind === 'date') {
      if (v !== '') body[s.name] = parseDateInput(String(v));
    } else if (s.kind === 'boolean') {
      if (v === 'ja') body[s.name] = true;
      else if (v === 'nei') body[s.name] = false;
    } else if (s.kind === 'confirm') {
      if (v === true) body[s.name] = true;
    } else if (s.kind === 'list') {
      body[s.name] = (v as Values[]).map((item) => toBody(s.item!, item));
    } else if (v !== '') body[s.name] = v;
  }
  return body;
}

function kindFinder(specs: Spec[]): (path: string) => FieldKind | undefined {
  const kinds = new Map<string, FieldKind>();
  for (const s of specs) {
    kinds.set(s.name, s.kind);
    for (const i of s.item ?? []) kinds.set(`${s.name}.*.${i.name}`, i.kind);
  }
  return (path) => kinds.get(path);
}

export function CompletionForm(props: { stay: Stay; milestoneKey: string; onDone(stay: Stay): void; onCancel(): void }) {
  const { stay, milestoneKey: key } = props;
  const specs = completionSpecs(key)!;
  const [values, setValues] = useState<Values>(() => initialValues(specs));
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const prefix = `fullfor-${key}`;
  const idOf = (path: string) => fieldId(prefix, path);
  const labelOf = (path: string) => {
    const parts = path.split('.');
    const last = parts[parts.length - 1]!;
    const label = fieldLabel(key, last);
    return parts.length > 1 ? `${fieldLabel(key, parts[0]!)} nr. ${Number(parts[1]) + 1}: ${label}` : label;
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    try {
      const updated = await api<Stay>(`/api/stays/${stay.id}/milestones/${key}`, { method: 'POST', body: toBody(specs, values) });
      props.onDone(updated);
    } catch (err) {
      const next = problemToFormErrors(err, {
        kindOf: kindFinder(specs),
        milestone: key,
        admittedAt: stay.admittedAt,
        dateField: 'doneAt',
        requires: milestoneRule(key as never).requires,
      });
      setErrors(next);
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[data-error-summary]')?.focus());
    } finally {
      setBusy(false);
    }
  }

  const set = (name: string, value: unknown) => setValues((v) => ({ ...v, [name]: value }));

  return (
    <form ref={formRef} className="completion-form" onSubmit={submit} noValidate aria-label={`Registrer «${milestoneTitle(key)}»`}>
      <ErrorSummary form={errors.form} fields={errors.fields} labelOf={labelOf} idOf={idOf} />
      {specs.map((s) => (
        <SpecField key={s.name} spec={s} milestone={key} path={s.name} value={values[s.name]} onChange={(v) => set(s.name, v)} errors={errors.fields} idOf={idOf} />
      ))}
      <div className="form-actions">
        <PktButton type="submit" skin="primary" disabled={busy}>
          {busy ? 'Lagrer …' : 'Registrer som fullført'}
        </PktButton>
        <PktButton type="button" skin="tertiary" onClick={props.onCancel}>
          Avbryt
        </PktButton>
      </div>
    </form>
  );
}

function SpecField(props: {
  spec: Spec;
  milestone: string;
  path: string;
  value: unknown;
  onChange(value: unknown): void;
  errors: Record<string, string>;
  idOf(path: string): string;
}) {
  const { spec, milestone, path } = props;
  const id = props.idOf(path);
  const label = fieldLabel(milestone, spec.name);
  const error = props.errors[path];
  switch (spec.kind) {
    case 'date':
      return <DateField id={id} label={label} value={String(props.value ?? '')} onChange={props.onChange} error={error} optional={spec.optional} />;
    case 'boolean':
      return <YesNoField id={id} label={label} value={(props.value as '' | 'ja' | 'nei') ?? ''} onChange={props.onChange} error={error} optional={spec.optional} />;
    case 'confirm':
      return <ConfirmField id={id} label={label} checked={props.value === true} onChange={props.onChange} error={error} optional={spec.optional} />;
    case 'choice':
      return (
        <ChoiceField id={id} label={label} value={String(props.value ?? '')} onChange={props.onChange} options={enumOptions(spec.options ?? [])} error={error} optional={spec.optional} />
      );
    case 'list':
      return <ListField {...props} />;
    default:
      return null;
  }
}

function ListField(props: { spec: Spec; milestone: string; path: string; value: unknown; onChange(value: unknown): void; errors: Record<string, string>; idOf(path: string): string }) {
  const items = (props.value as Values[]) ?? [];
  const label = fieldLabel(props.milestone, props.spec.name);
  const error = props.errors[props.path];
  const update = (index: number, name: string, value: unknown) =>
    props.onChange(items.map((item, i) => (i === index ? { ...item, [name]: value } : item)));
  return (
    <fieldset className={`list-field${error ? ' list-field--error' : ''}`} id={props.idOf(props.path)} tabIndex={-1} aria-describedby={error ? `${props.idOf(props.path)}-error` : undefined}>
      <legend className="pkt-txt-18-medium">{label}</legend>
      {items.length === 0 && <p className="muted">Ingen lagt til ennå.</p>}
      {items.map((item, index) => (
        <div className="list-field__item" key={index} role="group" aria-label={`${label} nr. ${index + 1}`}>
          {props.spec.item!.map((s) => (
            <SpecField
              key={s.name}
              spec={s}
              milestone={props.milestone}
              path={`${props.path}.${index}.${s.name}`}
              value={item[s.name]}
              onChange={(v) => update(index, s.name, v)}
              errors={props.errors}
              idOf={props.idOf}
            />
          ))}
          <PktButton type="button" skin="tertiary" size="small" onClick={() => props.onChange(items.filter((_, i) => i !== index))}>
            Fjern nr. {index + 1}
          </PktButton>
        </div>
      ))}
      {error && (
        <p className="field-error" id={`${props.idOf(props.path)}-error`} role="alert">
          {error}
        </p>
      )}
      <PktButton type="button" skin="secondary" size="small" onClick={() => props.onChange([...items, initialValues(props.spec.item!)])}>
        Legg til
      </PktButton>
    </fieldset>
  );
}
