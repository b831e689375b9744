// Form fields on Punkt's components: every field has a label, its error next to it (announced), and keeps
// what the person typed whatever the API answers.
import {
  PktAlert,
  PktCheckbox,
  PktInputWrapper,
  PktRadioButton,
  PktSelect,
  PktTextinput,
} from '@oslokommune/punkt-react';
import type { ReactNode } from 'react';
import { VALUE_LABELS } from './texts';

export const fieldId = (prefix: string, path: string) => `${prefix}-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;

type Common = { id: string; label: string; error?: string; helptext?: ReactNode; optional?: boolean };

export function TextField(
  props: Common & { value: string; onChange(value: string): void; autoComplete?: string; readOnly?: boolean },
) {
  return (
    <PktTextinput
      id={props.id}
      label={props.label}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
      hasError={!!props.error}
      errorMessage={props.error}
      helptext={props.helptext}
      aria-describedby={describedBy(props)}
      optionalTag={props.optional}
      readOnly={props.readOnly}
      autoComplete={props.autoComplete ?? 'off'}
    />
  );
}

export function DateField(props: Common & { value: string; onChange(value: string): void }) {
  return (
    <PktTextinput
      id={props.id}
      label={props.label}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
      hasError={!!props.error}
      errorMessage={props.error}
      helptext={props.helptext ?? 'dd.mm.åååå'}
      aria-describedby={describedBy({ ...props, helptext: props.helptext ?? 'dd.mm.åååå' })}
      optionalTag={props.optional}
      optionalText="Valgfritt"
      inputMode="numeric"
      placeholder="dd.mm.åååå"
      size={12}
      className="date-field"
    />
  );
}

function describedBy(props: Common): string | undefined {
  const ids = [props.helptext ? `${props.id}-helptext` : null, props.error ? `${props.id}-error` : null].filter(
    Boolean,
  );
  return ids.length ? ids.join(' ') : undefined;
}

export function YesNoField(props: Common & { value: '' | 'ja' | 'nei'; onChange(value: 'ja' | 'nei'): void }) {
  return (
    <ChoiceField
      {...props}
      options={[
        { value: 'ja', label: 'Ja' },
        { value: 'nei', label: 'Nei' },
      ]}
      onChange={(v) => props.onChange(v as 'ja' | 'nei')}
      inline
    />
  );
}

export function ChoiceField(
  props: Common & {
    value: string;
    onChange(value: string): void;
    options: { value: string; label: string }[];
    inline?: boolean;
  },
) {
  if (props.options.length > 4) {
    return (
      <PktSelect
        id={props.id}
        label={props.label}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        hasError={!!props.error}
        errorMessage={props.error}
        optionalTag={props.optional}
        ariaDescribedby={describedBy(props)}
      >
        <option value="">Velg …</option>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </PktSelect>
    );
  }
  return (
    <PktInputWrapper
      forId={props.id}
      label={props.label}
      hasFieldset
      hasError={!!props.error}
      errorMessage={props.error}
      optionalTag={props.optional}
      helptext={props.helptext}
      className={props.inline ? 'choice-inline' : undefined}
    >
      <div className={props.inline ? 'choice-row' : undefined}>
        {props.options.map((o) => (
          <PktRadioButton
            key={o.value}
            id={`${props.id}-${o.value}`}
            name={props.id}
            label={o.label}
            value={o.value}
            checked={props.value === o.value}
            onChange={() => props.onChange(o.value)}
            hasError={!!props.error}
            aria-describedby={props.error ? `${props.id}-error` : undefined}
          />
        ))}
      </div>
    </PktInputWrapper>
  );
}

export const enumOptions = (values: readonly string[]) =>
  values.map((v) => ({ value: v, label: VALUE_LABELS[v] ?? v }));

export function ConfirmField(props: Common & { checked: boolean; onChange(checked: boolean): void }) {
  return (
    <div className={`confirm-field${props.error ? ' confirm-field--error' : ''}`}>
      <PktCheckbox
        id={props.id}
        label={props.label}
        checked={props.checked}
        onChange={(e) => props.onChange(e.target.checked)}
        hasError={!!props.error}
        aria-describedby={props.error ? `${props.id}-error` : undefined}
        aria-invalid={props.error ? true : undefined}
        optionalTag={props.optional}
      />
      {props.error && (
        <PktAlert skin="error" compact id={`${props.id}-error`} role="alert">
          {props.error}
        </PktAlert>
      )}
    </div>
  );
}

/**
 * Moves focus to a field from its error-summary link: the element with the field's id, or, for a radio group (a
 * fieldset with no element of that id), its checked or first radio button.
 */
function focusField(id: string): boolean {
  const target =
    document.getElementById(id) ??
    document.querySelector<HTMLElement>(`input[name="${CSS.escape(id)}"]:checked`) ??
    document.querySelector<HTMLElement>(`input[name="${CSS.escape(id)}"]`);
  if (!target) return false;
  target.scrollIntoView({ block: 'center' });
  target.focus();
  return true;
}

/** The form's errors at the top, each a link to its field (WCAG 3.3.1); focus moves here after a refusal. */
export function ErrorSummary(props: {
  form?: string;
  fields: Record<string, string>;
  labelOf(path: string): string;
  idOf(path: string): string;
}) {
  const entries = Object.entries(props.fields);
  if (!props.form && entries.length === 0) return null;
  return (
    <div className="error-summary" tabIndex={-1} data-error-summary>
      <PktAlert skin="error" title={entries.length ? 'Skjemaet ble ikke lagret' : undefined} role="alert">
        {props.form && <p>{props.form}</p>}
        {entries.length > 0 && (
          <ul>
            {entries.map(([path, message]) => (
              <li key={path}>
                <a
                  href={`#${props.idOf(path)}`}
                  onClick={(event) => focusField(props.idOf(path)) && event.preventDefault()}
                >
                  {props.labelOf(path)}: {message}
                </a>
              </li>
            ))}
          </ul>
        )}
        {entries.length > 0 && <p>Det du har fylt ut, er tatt vare på.</p>}
      </PktAlert>
    </div>
  );
}
