import type { FormEvent, ReactNode } from 'react';
import { type FormErrors, problemToFormErrors } from '../errors';
import { ErrorSummary } from '../fields';
import { FormActions } from '../forms/form-actions';
import type { FormSubmit } from '../forms/use-form-submit';
import { isIsoDateText, parseDateInput } from '../format';

/** What every meeting form shares: its frame, its field labels, the time typed in Oslo, the API's refusals. */

/** "9.30", "0930", "09:30" → 09:30; anything else as typed (refused next to the field). */
function parseTimeInput(text: string): string {
  const m = /^(\d{1,2})[:.]?(\d{2})$/.exec(text.trim());
  return m ? `${m[1]!.padStart(2, '0')}:${m[2]}` : text.trim();
}

type FormShellProps = {
  label: string;
  form: FormSubmit;
  labelOf(path: string): string;
  idOf(path: string): string;
  submitLabel: string;
  onSubmit(): Promise<void>;
  onCancel(): void;
  children: ReactNode;
};

/** A form with an error summary (it takes focus after a refusal), a submit and a cancel button. */
export function FormShell(props: FormShellProps) {
  const { errors, busy, formRef } = props.form;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    return props.onSubmit();
  };
  return (
    <form ref={formRef} onSubmit={submit} noValidate className="completion-form stack" aria-label={props.label}>
      <ErrorSummary form={errors.form} fields={errors.fields} labelOf={props.labelOf} idOf={props.idOf} />
      {props.children}
      <FormActions label={props.submitLabel} busy={busy} busyLabel={props.submitLabel} onCancel={props.onCancel} />
    </form>
  );
}

export const WHEN_LABELS: Record<string, string> = {
  date: 'Dato',
  time: 'Klokkeslett',
  plannedAt: 'Tidspunkt',
  milestone: 'Møte',
  place: 'Sted',
  videoLink: 'Videolenke',
  invited: 'Inviterte',
  housingOnAgenda: 'Bolig på dagsordenen',
};

/** Date and time typed the Norwegian way → the API's Oslo wall-clock time, or the field errors. */
export function plannedAtOf(date: string, time: string): { plannedAt?: string; fields: Record<string, string> } {
  const day = parseDateInput(date);
  const clock = parseTimeInput(time);
  const fields: Record<string, string> = {};
  if (!isIsoDateText(day)) fields.date = 'Skriv en gyldig dato på formen dd.mm.åååå.';
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(clock)) fields.time = 'Skriv klokkeslettet som TT:MM, for eksempel 10:00.';
  return Object.keys(fields).length ? { fields } : { plannedAt: `${day}T${clock}`, fields };
}

/** The API's refusals of a meeting, placed at the date field where they concern the time. */
export function meetingErrors(err: unknown, admittedAt: string): FormErrors {
  const errors = problemToFormErrors(err, {
    kindOf: (path) =>
      path === 'plannedAt'
        ? 'date'
        : ['place', 'videoLink', 'milestone'].includes(path)
          ? 'text'
          : path.startsWith('invited')
            ? 'choice'
            : undefined,
    admittedAt,
    messages: {
      'already-done': {
        field: 'milestone',
        message: 'Dette møtet er allerede registrert som holdt. Velg et annet møte.',
      },
      'not-applicable': { field: 'milestone', message: 'Dette møtet er ikke lenger aktuelt for oppholdet.' },
      'meeting-cancelled': { message: 'Møtet er avlyst. Planlegg et nytt møte i stedet.' },
      'meeting-held': { message: 'Møtet er holdt, så det kan ikke flyttes eller avlyses.' },
      'meeting-in-the-future': { message: 'Oppmøtet registreres på eller etter møtedagen.' },
    },
  });
  if (errors.fields.plannedAt) {
    errors.fields.date = errors.fields.plannedAt;
    delete errors.fields.plannedAt;
  }
  return errors;
}
