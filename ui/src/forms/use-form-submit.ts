// What every form that sends to the API shares: the refusals shown next to their fields, the busy submit button,
// and the error summary taking focus after a refusal so that a screen reader user hears what to fix.
import { useRef, useState } from 'react';
import { problemToFormErrors, type FormErrors } from '../errors';

type ProblemContext = Parameters<typeof problemToFormErrors>[1];

export function useFormSubmit() {
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  /** Shows refusals and moves focus to the error summary once it is drawn. */
  const refuse = (next: FormErrors) => {
    setErrors(next);
    requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[data-error-summary]')?.focus());
  };

  /**
   * Runs `action` with the submit button busy; what the API refuses is shown with `problem` (how to read the
   * problem+json, or a function that words the refusal itself). True when the action went through.
   */
  async function run(
    action: () => Promise<void>,
    problem: ProblemContext | ((err: unknown) => FormErrors),
  ): Promise<boolean> {
    setBusy(true);
    try {
      await action();
      return true;
    } catch (err) {
      refuse(typeof problem === 'function' ? problem(err) : problemToFormErrors(err, problem));
      return false;
    } finally {
      setBusy(false);
    }
  }

  return { errors, setErrors, refuse, busy, formRef, run };
}

export type FormSubmit = ReturnType<typeof useFormSubmit>;
