// Native select and text inputs with a short visible label and the full name for screen readers, for dense forms
// where Punkt's fields would take too much room (the exit plan's tasks).

/** A native select with a visible label and, for screen readers, the full name ("Økonomi: status"). */
export function PlainSelect(props: {
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

export function PlainText(props: {
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
