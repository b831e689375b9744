// A form generated from a zod object schema, the same one the API validates the body with: booleans become
// ja/nei, enums choices, literal(true) a checkbox to confirm, dates dd.mm.åååå fields, lists of objects repeatable
// groups. Whatever the API refuses is shown next to its field; what was typed stays.
import { PktButton, PktTextarea, PktTextinput } from '@oslokommune/punkt-react';
import { useState, type FormEvent } from 'react';
import type { Stay } from '../api';
import { ChoiceField, ConfirmField, DateField, enumOptions, ErrorSummary, fieldId, YesNoField } from '../fields';
import { initialValues, kindFinder, toBody, type Spec, type Values } from './specs';
import { useRowKeys } from './row-keys';
import { FormActions } from './form-actions';
import { useFormSubmit } from './use-form-submit';

export { specsOf, type Spec } from './specs';

export type SchemaFormProps = {
  /** Choices for fields the schema types as free strings (e.g. a bydel id). */
  choicesOf?(name: string): { value: string; label: string }[] | undefined;
  /** Prefix of the field ids (unique on the page). */
  idPrefix: string;
  specs: Spec[];
  ariaLabel: string;
  submitLabel: string;
  labelOf(name: string): string;
  /** Extra context for refusals (which field a date refusal belongs to, prerequisites). */
  refusal: {
    admittedAt?: string;
    dateField?: string;
    requires?: string[];
    messages?: Partial<Record<string, { field?: string; message: string }>>;
  };
  initial?: Values;
  submit(body: Values): Promise<Stay>;
  onDone(stay: Stay): void;
  onCancel?(): void;
};

export function SchemaForm(props: SchemaFormProps) {
  const { specs } = props;
  const [values, setValues] = useState<Values>(() => ({ ...initialValues(specs), ...props.initial }));
  const { errors, busy, formRef, run } = useFormSubmit();
  const idOf = (path: string) => fieldId(props.idPrefix, path);
  const labelOf = (path: string) => {
    const parts = path.split('.');
    const label = props.labelOf(parts[parts.length - 1]!);
    return parts.length > 1 ? `${props.labelOf(parts[0]!)} nr. ${Number(parts[1]) + 1}: ${label}` : label;
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => props.onDone(await props.submit(toBody(specs, values))), {
      kindOf: kindFinder(specs),
      ...props.refusal,
    });
  }

  const set = (name: string, value: unknown) => setValues((v) => ({ ...v, [name]: value }));

  return (
    <form ref={formRef} className="completion-form" onSubmit={submit} noValidate aria-label={props.ariaLabel}>
      <ErrorSummary form={errors.form} fields={errors.fields} labelOf={labelOf} idOf={idOf} />
      {specs.map((s) => (
        <SpecField
          key={s.name}
          spec={s}
          choicesOf={props.choicesOf}
          labelOf={props.labelOf}
          path={s.name}
          value={values[s.name]}
          onChange={(v) => set(s.name, v)}
          errors={errors.fields}
          idOf={idOf}
        />
      ))}
      <FormActions label={props.submitLabel} busy={busy} onCancel={props.onCancel} />
    </form>
  );
}

export type FieldProps = {
  spec: Spec;
  choicesOf?(name: string): { value: string; label: string }[] | undefined;
  labelOf(name: string): string;
  path: string;
  value: unknown;
  onChange(value: unknown): void;
  errors: Record<string, string>;
  idOf(path: string): string;
};

export function SpecField(props: FieldProps) {
  const { spec, path } = props;
  const id = props.idOf(path);
  const label = props.labelOf(spec.name);
  const error = props.errors[path];
  switch (spec.kind) {
    case 'date':
      return (
        <DateField
          id={id}
          label={label}
          value={String(props.value ?? '')}
          onChange={props.onChange}
          error={error}
          optional={spec.optional}
        />
      );
    case 'boolean':
      return (
        <YesNoField
          id={id}
          label={label}
          value={(props.value as '' | 'ja' | 'nei') ?? ''}
          onChange={props.onChange}
          error={error}
          optional={spec.optional}
        />
      );
    case 'confirm':
      return (
        <ConfirmField
          id={id}
          label={label}
          checked={props.value === true}
          onChange={props.onChange}
          error={error}
          optional={spec.optional}
        />
      );
    case 'choice':
      return (
        <ChoiceField
          id={id}
          label={label}
          value={String(props.value ?? '')}
          onChange={props.onChange}
          options={props.choicesOf?.(spec.name) ?? enumOptions(spec.options ?? [])}
          error={error}
          optional={spec.optional}
        />
      );
    case 'list':
      return <ListField {...props} />;
    case 'number': {
      const range =
        spec.min !== undefined && spec.max !== undefined
          ? `Et helt tall fra ${spec.min} til ${spec.max}`
          : 'Et helt tall';
      return (
        <PktTextinput
          id={id}
          label={label}
          value={String(props.value ?? '')}
          onChange={(e) => props.onChange(e.target.value)}
          hasError={!!error}
          errorMessage={error}
          helptext={range}
          aria-describedby={[`${id}-helptext`, error ? `${id}-error` : null].filter(Boolean).join(' ')}
          optionalTag={spec.optional}
          optionalText="Valgfritt"
          inputMode="numeric"
          size={4}
          className="number-field"
          autoComplete="off"
        />
      );
    }
    default: {
      const choices = props.choicesOf?.(spec.name);
      if (choices)
        return (
          <ChoiceField
            id={id}
            label={label}
            value={String(props.value ?? '')}
            onChange={props.onChange}
            options={choices}
            error={error}
            optional={spec.optional}
          />
        );
      return (
        <PktTextarea
          id={id}
          label={label}
          value={String(props.value ?? '')}
          onChange={(e) => props.onChange(e.target.value)}
          hasError={!!error}
          errorMessage={error}
          optionalTag={spec.optional}
          rows={3}
          aria-describedby={error ? `${id}-error` : undefined}
        />
      );
    }
  }
}

function ListField(props: FieldProps) {
  const items = (props.value as Values[]) ?? [];
  const label = props.labelOf(props.spec.name);
  const error = props.errors[props.path];
  const rows = useRowKeys(items.length);
  const update = (index: number, name: string, value: unknown) =>
    props.onChange(items.map((item, i) => (i === index ? { ...item, [name]: value } : item)));
  const remove = (index: number) => {
    rows.remove(index);
    props.onChange(items.filter((_, i) => i !== index));
  };
  return (
    <fieldset
      className={`list-field${error ? ' list-field--error' : ''}`}
      id={props.idOf(props.path)}
      tabIndex={-1}
      aria-describedby={error ? `${props.idOf(props.path)}-error` : undefined}
    >
      <legend className="pkt-txt-18-medium">{label}</legend>
      {items.length === 0 && <p className="muted">Ingen lagt til ennå.</p>}
      {items.map((item, index) => (
        <fieldset className="list-field__item" key={rows.keys[index]} aria-label={`${label} nr. ${index + 1}`}>
          {props.spec.item!.map((s) => (
            <SpecField
              key={s.name}
              spec={s}
              labelOf={props.labelOf}
              path={`${props.path}.${index}.${s.name}`}
              value={item[s.name]}
              onChange={(v) => update(index, s.name, v)}
              errors={props.errors}
              idOf={props.idOf}
            />
          ))}
          <PktButton type="button" skin="tertiary" size="small" onClick={() => remove(index)}>
            Fjern nr. {index + 1}
          </PktButton>
        </fieldset>
      ))}
      {error && (
        <p className="field-error" id={`${props.idOf(props.path)}-error`} role="alert">
          {error}
        </p>
      )}
      <PktButton
        type="button"
        skin="secondary"
        size="small"
        onClick={() => props.onChange([...items, initialValues(props.spec.item!)])}
      >
        Legg til
      </PktButton>
    </fieldset>
  );
}
