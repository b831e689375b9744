// Corrections: withdraw an earlier completion or event, or give it another date, with a reason and a confirmation.
// Offered to the organisation that recorded it and to administrators (rules/permissions.ts, the rule the workflow
// checks); a refusal — typically a later record that builds on this one — is shown next to the field, and what was
// typed stays.
import { PktButton, PktTextarea } from '@oslokommune/punkt-react';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { mayCorrect as mayCorrectRecord } from '../../../rules/permissions';
import type { CorrectionBody } from '../../../schemas/stays';
import { api, type Milestone, type Stay } from '../api';
import { useFormSubmit } from '../forms/use-form-submit';
import { ChoiceField, DateField, ErrorSummary, fieldId } from '../fields';
import { formatDate, parseDateInput } from '../format';
import type { User } from '../session';
import { EVENT_TITLES, milestoneTitle } from '../texts';
import { checkCorrection, correctionErrors, type CorrectionAction } from './correction-errors';

export type CorrectionTarget = z.infer<typeof CorrectionBody>['target'];

const ACTIONS: { value: CorrectionAction; label: string }[] = [
  { value: 'change-date', label: 'Endre dato' },
  { value: 'withdraw', label: 'Trekk tilbake' },
];

export const targetKey = (target: CorrectionTarget) =>
  'milestone' in target ? `m:${target.milestone}` : `e:${target.event}`;
const targetTitle = (target: CorrectionTarget) =>
  'milestone' in target ? milestoneTitle(target.milestone) : (EVENT_TITLES[target.event] ?? target.event);

/** Whether `user` may correct the completion or event: the recording organisation, or an administrator. */
export function mayCorrect(stay: Stay, user: User | null, target: CorrectionTarget): boolean {
  if (!user || stay.status === 'completed') return false;
  const recorder =
    'milestone' in target ? stay.recordedBy.milestones[target.milestone] : stay.recordedBy.events[target.event];
  return !!recorder && mayCorrectRecord(user, recorder);
}

/** The date of the record a correction refers to (the latest one of a recurring meeting or of extra reports). */
export function milestoneRecordDate(m: Milestone): string | null {
  const dates = (v: unknown) => (Array.isArray(v) ? v.filter((d): d is string => typeof d === 'string') : []);
  // recurring meetings list their meetings, extra status reports the reports delivered
  const occurrences = [...dates(m.details?.occurrences), ...dates(m.details?.delivered)];
  return (
    [m.doneAt, ...occurrences]
      .filter((d): d is string => !!d)
      .sort()
      .at(-1) ?? null
  );
}

export function eventRecordDate(stay: Stay, event: string): string | null {
  const t = stay.transition;
  switch (event) {
    case 'housing-offered':
      return typeof t.housingOffered?.date === 'string' ? t.housingOffered.date : null;
    case 'discharged':
      return t.dischargedOn;
    case 'moved-in':
      return t.movedInOn;
    case 'ended-early':
      return typeof t.endedEarly?.date === 'string' ? t.endedEarly.date : null;
    case 'bydel-changed':
      return t.bydelChanges.at(-1)?.date ?? null;
    default:
      return null;
  }
}

type Props = {
  stay: Stay;
  target: CorrectionTarget;
  currentDate: string | null;
  onDone(stay: Stay, notice: string): void;
  onCancel(): void;
};

export function CorrectionForm(props: Props) {
  const { stay, target, currentDate } = props;
  const title = targetTitle(target);
  const prefix = `korriger-${targetKey(target).replace(':', '-')}`;
  const idOf = (path: string) => fieldId(prefix, path);
  const [action, setAction] = useState<CorrectionAction | ''>('');
  const [date, setDate] = useState(currentDate ? formatDate(currentDate) : '');
  const [reason, setReason] = useState('');
  const { errors, setErrors, refuse, busy, formRef, run } = useFormSubmit();
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLParagraphElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  // opened from a button that then disappears: focus goes to the form's heading, not to the top of the page
  useEffect(() => headingRef.current?.focus(), []);
  const labels: Record<string, string> = { action: 'Hva vil du gjøre?', date: 'Riktig dato', reason: 'Begrunnelse' };

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  function review(event: FormEvent) {
    event.preventDefault();
    const fields = checkCorrection({ action, date, reason });
    if (Object.keys(fields).length > 0) {
      setConfirming(false);
      return refuse({ fields });
    }
    setErrors({ fields: {} });
    setConfirming(true);
  }

  async function send() {
    if (!action) return;
    const body = {
      target,
      action,
      reason: reason.trim(),
      ...(action === 'change-date' ? { date: parseDateInput(date) } : {}),
    };
    const done = await run(
      async () => {
        const updated = await api<Stay>(`/api/stays/${stay.id}/corrections`, { method: 'POST', body });
        props.onDone(
          updated,
          action === 'withdraw'
            ? `«${title}» er trukket tilbake.`
            : `Datoen for «${title}» er endret til ${formatDate(parseDateInput(date))}.`,
        );
      },
      (err) => correctionErrors(err, { action, admittedAt: stay.admittedAt }),
    );
    if (!done) setConfirming(false);
  }

  const what = currentDate ? `«${title}» (registrert ${formatDate(currentDate)})` : `«${title}»`;
  return (
    <form
      ref={formRef}
      className="completion-form correction-form"
      onSubmit={review}
      noValidate
      aria-label={`Korriger «${title}»`}
      data-correction={targetKey(target)}
    >
      <h4 className="pkt-txt-16-medium" ref={headingRef} tabIndex={-1}>
        Korriger {what}
      </h4>
      {!confirming && (
        <>
          <ErrorSummary
            form={errors.form}
            fields={errors.fields}
            labelOf={(path) => labels[path] ?? path}
            idOf={idOf}
          />
          <ChoiceField
            id={idOf('action')}
            label={labels.action!}
            value={action}
            onChange={(v) => setAction(v as CorrectionAction)}
            options={ACTIONS}
            error={errors.fields.action}
            inline
          />
          {action === 'change-date' && (
            <DateField
              id={idOf('date')}
              label={labels.date!}
              value={date}
              onChange={setDate}
              error={errors.fields.date}
            />
          )}
          <PktTextarea
            id={idOf('reason')}
            label={labels.reason!}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            hasError={!!errors.fields.reason}
            errorMessage={errors.fields.reason}
            helptext="Hvorfor registreringen korrigeres. Skriv ikke helseopplysninger. Begrunnelsen lagres i historikken."
            ariaDescribedby={[`${idOf('reason')}-helptext`, errors.fields.reason ? `${idOf('reason')}-error` : null]
              .filter(Boolean)
              .join(' ')}
            rows={2}
            maxLength={500}
          />
          <div className="form-actions">
            <PktButton type="submit" skin="primary">
              Gå videre
            </PktButton>
            <PktButton type="button" skin="tertiary" onClick={props.onCancel}>
              Avbryt
            </PktButton>
          </div>
        </>
      )}
      {confirming && action && (
        <div className="correction-confirm">
          <p ref={confirmRef} tabIndex={-1} className="correction-confirm__text">
            {action === 'withdraw'
              ? `Du trekker tilbake ${what}. Milepælen eller hendelsen blir da regnet som ikke registrert, og fristene beregnes på nytt.`
              : `Du endrer datoen for «${title}»${currentDate ? ` fra ${formatDate(currentDate)}` : ''} til ${formatDate(parseDateInput(date))}. Fristene beregnes på nytt.`}
          </p>
          <p>
            Begrunnelse: <q>{reason.trim()}</q>
          </p>
          <div className="form-actions">
            <PktButton type="button" skin="primary" disabled={busy} onClick={send}>
              {busy ? 'Lagrer …' : 'Bekreft korrigeringen'}
            </PktButton>
            <PktButton type="button" skin="secondary" disabled={busy} onClick={() => setConfirming(false)}>
              Tilbake til skjemaet
            </PktButton>
          </div>
        </div>
      )}
    </form>
  );
}
