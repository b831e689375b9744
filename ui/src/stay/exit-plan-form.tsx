// The exit plan (§3.2, vedlegg 1): its eight parts and a kept institution or day place, from the API's ExitPlan schema.
import { PktButton } from '@oslokommune/punkt-react';
import { useRef, useState, type FormEvent } from 'react';
import { EXIT_PLAN_PART_TITLES_NB, EXIT_PLAN_PARTS, EXIT_PLAN_SECTION, ExitPlan } from '../../../rules/exit-plan';
import { api, type Stay } from '../api';
import { problemToFormErrors, type FormErrors } from '../errors';
import { DateField, ErrorSummary, fieldId, YesNoField } from '../fields';
import { SpecField, specsOf } from '../forms/schema-form';
import { initialValues, kindFinder, toBody, type Values } from '../forms/specs';
import { formatDate, parseDateInput } from '../format';
import { EXIT_PLAN_RESPONSIBLE, EXIT_PLAN_STATUS, fieldLabel } from '../texts';
import { FormActions } from '../forms/form-actions';

type PartValue = { responsible: string; status: string };

/** Keeping the institution place or a day place after move-in (§3.2, vedlegg 1): the API's own schema. */
const keepPlaceSpecs = specsOf(ExitPlan.shape.keepPlace.unwrap().unwrap());
const keepPlaceKind = kindFinder(keepPlaceSpecs);
export const keepPlaceLabel = (name: string) => fieldLabel('exit-plan:keepPlace', name);

function keepPlaceValues(saved: ExitPlan['keepPlace']): Values {
  if (!saved) return initialValues(keepPlaceSpecs);
  return {
    kind: saved.kind,
    daysPerWeek: String(saved.daysPerWeek),
    until: formatDate(saved.until),
    paidBy: saved.paidBy,
  };
}
const RESPONSIBLE_OPTIONS = Object.entries(EXIT_PLAN_RESPONSIBLE).map(([value, label]) => ({ value, label }));
const STATUS_OPTIONS = Object.entries(EXIT_PLAN_STATUS).map(([value, label]) => ({ value, label }));

/** §3.2, vedlegg 1: the eight parts of the exit plan, each with who is responsible and how far it has come. */
export function ExitPlanForm(props: { stay: Stay; onDone(stay: Stay): void }) {
  const saved = props.stay.transition.exitPlan as Partial<ExitPlan> | null;
  const [parts, setParts] = useState<Record<string, PartValue>>(() =>
    Object.fromEntries(
      EXIT_PLAN_PARTS.map((p) => [
        p,
        { responsible: saved?.parts?.[p]?.responsible ?? '', status: saved?.parts?.[p]?.status ?? '' },
      ]),
    ),
  );
  const [contingency, setContingency] = useState<'' | 'ja' | 'nei'>(
    saved ? (saved.contingencyPlanConsidered ? 'ja' : 'nei') : '',
  );
  const [endsOn, setEndsOn] = useState(saved?.participationEndsOn ? formatDate(saved.participationEndsOn) : '');
  const [keep, setKeep] = useState<'' | 'ja' | 'nei'>(saved ? (saved.keepPlace ? 'ja' : 'nei') : '');
  const [keepValues, setKeepValues] = useState<Values>(() => keepPlaceValues(saved?.keepPlace));
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const idOf = (path: string) => fieldId('utskrivningsplan', path);
  const labelOf = (path: string) => {
    const [, part, field] = path.split('.');
    if (path.startsWith('keepPlace.'))
      return `Beholde plass: ${keepPlaceLabel(path.slice('keepPlace.'.length)).toLowerCase()}`;
    if (part && field)
      return `${EXIT_PLAN_PART_TITLES_NB[part as keyof typeof EXIT_PLAN_PART_TITLES_NB] ?? part}: ${field === 'status' ? 'status' : 'ansvarlig'}`;
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
        parts,
        ...(contingency ? { contingencyPlanConsidered: contingency === 'ja' } : {}),
        ...(endsOn.trim() ? { participationEndsOn: parseDateInput(endsOn) } : {}),
        ...(keep === 'ja'
          ? { keepPlace: toBody(keepPlaceSpecs, keepValues) }
          : keep === 'nei'
            ? { keepPlace: null }
            : {}),
      };
      const stay = await api<Stay>(`/api/stays/${props.stay.id}/exit-plan`, { method: 'PUT', body });
      setErrors({ fields: {} });
      setOpen(false);
      props.onDone(stay);
    } catch (err) {
      setErrors(
        problemToFormErrors(err, {
          kindOf: (path) =>
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
        }),
      );
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[data-error-summary]')?.focus());
    } finally {
      setBusy(false);
    }
  }

  const doneCount = EXIT_PLAN_PARTS.filter((p) =>
    ['done', 'continued', 'not-relevant'].includes(parts[p]!.status),
  ).length;
  return (
    <section aria-labelledby="utskrivningsplan" className="block">
      <h2 id="utskrivningsplan" className="pkt-txt-22-medium">
        Utskrivningsplan ({EXIT_PLAN_SECTION})
      </h2>
      <p>
        {saved
          ? `${doneCount} av ${EXIT_PLAN_PARTS.length} deler er avklart.`
          : 'Ingen utskrivningsplan er registrert ennå.'}
      </p>
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
                        aria-describedby={
                          errors.fields[`parts.${p}.${field}`] ? `${idOf(`parts.${p}.${field}`)}-error` : undefined
                        }
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
          <YesNoField
            id={idOf('contingencyPlanConsidered')}
            label="Er kriseplan vurdert?"
            value={contingency}
            onChange={setContingency}
            error={errors.fields.contingencyPlanConsidered}
          />
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
          <FormActions label="Lagre utskrivningsplanen" busy={busy} onCancel={() => setOpen(false)} />
        </form>
      )}
    </section>
  );
}
