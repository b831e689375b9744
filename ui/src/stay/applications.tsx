import { PktAlert, PktButton, PktCheckbox, PktTag } from '@oslokommune/punkt-react';
import { type FormEvent, useEffect, useState } from 'react';
import { APPLICATION_TYPES } from '../../../rules/milestone-details';
import type { Application } from '../../../schemas/applications';
import { APPLICATION_RESPONSIBLE } from '../../../schemas/applications';
import { api } from '../api';
import { problemToFormErrors } from '../errors';
import { ChoiceField, DateField, ErrorSummary, fieldId, TextField } from '../fields';
import { formatDate, parseDateInput, todayInOslo } from '../format';
import { VALUE_LABELS } from '../texts';
import { FormActions } from '../forms/form-actions';
import { useFormSubmit } from '../forms/use-form-submit';

export const OUTCOME: Record<Application['outcome'], { label: string; skin: 'blue-light' | 'green' | 'red' }> = {
  pending: { label: 'Venter på svar', skin: 'blue-light' },
  granted: { label: 'Innvilget', skin: 'green' },
  refused: { label: 'Avslått', skin: 'red' },
};

export const applicationTitle = (a: Pick<Application, 'type' | 'otherType'>) =>
  a.type === 'other' && a.otherType ? a.otherType : (VALUE_LABELS[a.type] ?? a.type);

const LABELS: Record<string, string> = {
  type: 'Søknad eller henvisning',
  otherType: 'Hva slags søknad?',
  responsible: 'Ansvarlig',
  sentOn: 'Sendt',
  outcome: 'Svar',
  outcomeOn: 'Dato for svaret',
  reportAttached: 'Institusjonens egen rapport fulgte søknaden (§2.2)',
};

const kindOf = (path: string) =>
  path === 'sentOn' || path === 'outcomeOn'
    ? ('date' as const)
    : path === 'otherType'
      ? ('text' as const)
      : path === 'reportAttached'
        ? ('boolean' as const)
        : path in LABELS
          ? ('choice' as const)
          : undefined;

/**
 * Applications and referrals over time (§2.2): the ones recorded with the milestone and the ones added later, each
 * with who is responsible, when it was sent, and later its outcome; whether the institution's own report went with it.
 */
export function ApplicationsSection(props: { stayId: string; editable: boolean }) {
  const [items, setItems] = useState<Application[] | null>(null);
  const [loadError, setLoadError] = useState<string>();
  const [adding, setAdding] = useState(false);
  const [deciding, setDeciding] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    api<{ applications: Application[] }>(`/api/stays/${props.stayId}/applications`, { signal: controller.signal })
      .then((r) => setItems(r.applications))
      .catch(
        (err) =>
          (err as Error).name !== 'AbortError' &&
          setLoadError(problemToFormErrors(err, { kindOf: () => undefined }).form),
      );
    return () => controller.abort();
  }, [props.stayId]);

  const replace = (a: Application) =>
    setItems((all) => {
      const rest = (all ?? []).filter((x) => x.id !== a.id);
      return [...rest, a].sort((x, y) => (x.sentOn < y.sentOn ? -1 : x.sentOn > y.sentOn ? 1 : 0));
    });

  return (
    <section aria-labelledby="soknader" className="block card" data-testid="applications">
      <h2 id="soknader" className="pkt-txt-22-medium">
        Søknader og henvisninger (§2.2)
      </h2>
      {loadError && <PktAlert skin="error">{loadError}</PktAlert>}
      {notice && (
        <PktAlert skin="success" role="status" compact className="block">
          {notice}
        </PktAlert>
      )}
      {!items && !loadError && <p aria-live="polite">Laster søknader …</p>}
      {items && items.length === 0 && <p>Ingen søknader er registrert ennå.</p>}
      {items && items.length > 0 && (
        <table className="pkt-table applications">
          <caption className="pkt-sr-only">Søknader og henvisninger</caption>
          <thead>
            <tr>
              <th scope="col">Søknad</th>
              <th scope="col">Ansvarlig</th>
              <th scope="col">Sendt</th>
              <th scope="col">Svar</th>
              <th scope="col">Egen rapport</th>
              {props.editable && (
                <th scope="col" className="no-print">
                  <span className="pkt-sr-only">Handlinger</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id} data-application={a.type} data-outcome={a.outcome}>
                <th scope="row">{applicationTitle(a)}</th>
                <td>{VALUE_LABELS[a.responsible] ?? a.responsible}</td>
                <td>{formatDate(a.sentOn)}</td>
                <td>
                  <PktTag skin={OUTCOME[a.outcome].skin}>{OUTCOME[a.outcome].label}</PktTag>
                  {a.outcomeOn ? ` ${formatDate(a.outcomeOn)}` : ''}
                </td>
                <td>{a.reportAttached ? 'Vedlagt' : '–'}</td>
                {props.editable && (
                  <td className="no-print">
                    {deciding !== a.id && (
                      <PktButton
                        type="button"
                        skin="tertiary"
                        size="small"
                        aria-label={`Registrer svar: ${applicationTitle(a)}, sendt ${formatDate(a.sentOn)}`}
                        onClick={() => setDeciding(a.id)}
                      >
                        Registrer svar
                      </PktButton>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {deciding && items && (
        <OutcomeForm
          stayId={props.stayId}
          application={items.find((a) => a.id === deciding)!}
          onCancel={() => setDeciding(null)}
          onDone={(a) => {
            replace(a);
            setDeciding(null);
            setNotice(`Svaret på «${applicationTitle(a)}» er lagret.`);
          }}
        />
      )}
      {props.editable && !adding && (
        <PktButton type="button" skin="secondary" size="small" className="no-print" onClick={() => setAdding(true)}>
          Legg til søknad
        </PktButton>
      )}
      {adding && (
        <AddApplicationForm
          stayId={props.stayId}
          onCancel={() => setAdding(false)}
          onDone={(a) => {
            replace(a);
            setAdding(false);
            setNotice(`«${applicationTitle(a)}» er lagt til.`);
          }}
        />
      )}
    </section>
  );
}

function AddApplicationForm(props: { stayId: string; onCancel(): void; onDone(a: Application): void }) {
  const [type, setType] = useState('');
  const [otherType, setOtherType] = useState('');
  const [responsible, setResponsible] = useState('');
  const [sentOn, setSentOn] = useState(formatDate(todayInOslo()));
  const [reportAttached, setReportAttached] = useState(false);
  const { errors, busy, formRef, run } = useFormSubmit();
  // one key per filled-in form: a retried click adds the application once
  const [key] = useState(() => crypto.randomUUID());
  const idOf = (path: string) => fieldId('ny-soknad', path);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const body = {
      type,
      ...(type === 'other' ? { otherType } : {}),
      responsible,
      sentOn: parseDateInput(sentOn),
      reportAttached,
    };
    await run(
      async () =>
        props.onDone(
          await api<Application>(`/api/stays/${props.stayId}/applications`, {
            method: 'POST',
            body,
            headers: { 'idempotency-key': key },
          }),
        ),
      { kindOf, dateField: 'sentOn' },
    );
  }

  return (
    <form ref={formRef} className="completion-form" onSubmit={submit} noValidate aria-label="Ny søknad">
      <ErrorSummary form={errors.form} fields={errors.fields} labelOf={(p) => LABELS[p] ?? p} idOf={idOf} />
      <ChoiceField
        id={idOf('type')}
        label={LABELS.type!}
        value={type}
        onChange={setType}
        options={APPLICATION_TYPES.map((t) => ({ value: t, label: VALUE_LABELS[t] ?? t }))}
        error={errors.fields.type}
      />
      {type === 'other' && (
        <TextField
          id={idOf('otherType')}
          label={LABELS.otherType!}
          value={otherType}
          onChange={setOtherType}
          helptext="Bare navnet på søknaden, høyst 60 tegn. Ikke skriv helseopplysninger."
          error={errors.fields.otherType}
        />
      )}
      <ChoiceField
        id={idOf('responsible')}
        label={LABELS.responsible!}
        value={responsible}
        onChange={setResponsible}
        options={APPLICATION_RESPONSIBLE.map((r) => ({ value: r, label: VALUE_LABELS[r] ?? r }))}
        error={errors.fields.responsible}
        inline
      />
      <DateField
        id={idOf('sentOn')}
        label={LABELS.sentOn!}
        value={sentOn}
        onChange={setSentOn}
        error={errors.fields.sentOn}
      />
      <PktCheckbox
        id={idOf('reportAttached')}
        label={LABELS.reportAttached!}
        checked={reportAttached}
        onChange={(e) => setReportAttached(e.target.checked)}
      />
      <FormActions label="Legg til" busy={busy} onCancel={props.onCancel} />
    </form>
  );
}

function OutcomeForm(props: {
  stayId: string;
  application: Application;
  onCancel(): void;
  onDone(a: Application): void;
}) {
  const a = props.application;
  const [outcome, setOutcome] = useState<string>(a.outcome);
  const [outcomeOn, setOutcomeOn] = useState(a.outcomeOn ? formatDate(a.outcomeOn) : '');
  const [reportAttached, setReportAttached] = useState(a.reportAttached);
  const { errors, busy, formRef, run } = useFormSubmit();
  const idOf = (path: string) => fieldId('svar', path);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const body = {
      outcome,
      ...(outcome !== 'pending' ? { outcomeOn: outcomeOn.trim() ? parseDateInput(outcomeOn) : null } : {}),
      reportAttached,
    };
    await run(
      async () =>
        props.onDone(
          await api<Application>(`/api/stays/${props.stayId}/applications/${a.id}`, { method: 'PATCH', body }),
        ),
      { kindOf, dateField: 'outcomeOn' },
    );
  }

  const title = `${applicationTitle(a)}, sendt ${formatDate(a.sentOn)}`;
  return (
    <form ref={formRef} className="completion-form" onSubmit={submit} noValidate aria-label={`Svar: ${title}`}>
      <h3 className="pkt-txt-18-medium">Svar på {title}</h3>
      <ErrorSummary form={errors.form} fields={errors.fields} labelOf={(p) => LABELS[p] ?? p} idOf={idOf} />
      <ChoiceField
        id={idOf('outcome')}
        label={LABELS.outcome!}
        value={outcome}
        onChange={setOutcome}
        options={Object.entries(OUTCOME).map(([value, o]) => ({ value, label: o.label }))}
        inline
        error={errors.fields.outcome}
      />
      {outcome !== 'pending' && (
        <DateField
          id={idOf('outcomeOn')}
          label={LABELS.outcomeOn!}
          value={outcomeOn}
          onChange={setOutcomeOn}
          error={errors.fields.outcomeOn}
        />
      )}
      <PktCheckbox
        id={idOf('reportAttached')}
        label={LABELS.reportAttached!}
        checked={reportAttached}
        onChange={(e) => setReportAttached(e.target.checked)}
      />
      <FormActions label="Lagre svaret" busy={busy} onCancel={props.onCancel} />
    </form>
  );
}
