import { PktAlert, PktButton, PktTag } from '@oslokommune/punkt-react';
import { type FormEvent, useEffect, useState } from 'react';
import { CONSENT_REMINDER_DAYS_BEFORE } from '../../../rules/consent';
import type { Consent, Participation, Relatives } from '../../../schemas/participation';
import { api } from '../api';
import { problemToFormErrors } from '../errors';
import { ChoiceField, DateField, ErrorSummary, fieldId, YesNoField } from '../fields';
import { formatDate, parseDateInput, todayInOslo } from '../format';
import { milestoneTitle } from '../texts';
import { FormActions } from '../forms/form-actions';
import { useFormSubmit } from '../forms/use-form-submit';

export const CONSENT_STATE: Record<Consent['state'], { label: string; skin: 'green' | 'yellow' | 'red' | 'gray' }> = {
  valid: { label: 'Gyldig', skin: 'green' },
  expiring: { label: 'Utløper snart', skin: 'yellow' },
  expired: { label: 'Utløpt', skin: 'red' },
  withdrawn: { label: 'Trukket tilbake', skin: 'gray' },
  refused: { label: 'Ikke gitt', skin: 'gray' },
};

export const RELATIVES_INVOLVEMENT: Record<Relatives['involvement'], string> = {
  involved: 'Pårørende er involvert',
  'not-relevant': 'Ikke aktuelt',
  'not-wanted-by-resident': 'Beboeren ønsker ikke at pårørende involveres',
};

/** "Gitt 10.01.2026, gyldig til og med 10.07.2026 (utløper om 20 dager)" */
export function describeConsent(c: Consent): string {
  if (!c.given) return `Beboeren ga ikke samtykke (${formatDate(c.date)}).`;
  const base = `Gitt ${formatDate(c.date)}, gyldig til og med ${formatDate(c.validUntil)}`;
  if (c.withdrawnOn) return `${base}. Trukket tilbake ${formatDate(c.withdrawnOn)}.`;
  if (c.daysLeft === null) return `${base}.`;
  if (c.daysLeft < 0) return `${base} (utløpt for ${-c.daysLeft} dager siden).`;
  if (c.daysLeft === 0) return `${base} (siste gyldige dag er i dag).`;
  return `${base} (utløper om ${c.daysLeft} ${c.daysLeft === 1 ? 'dag' : 'dager'}).`;
}

/** "Deltok på 3 av 4 avholdte møter" from the meetings' recorded attendance. */
export function describePresence(p: Participation['presence']): string {
  if (p.held === 0) return 'Ingen møter med registrert oppmøte ennå.';
  const relatives = p.relativesPresent > 0 ? ` Pårørende var med på ${p.relativesPresent}.` : '';
  return `Beboeren deltok på ${p.residentPresent} av ${p.held} avholdte møter.${relatives}`;
}

/**
 * The resident's say in the stay (Oslostandard for booppfølging, tiltak 7 og 13, vedlegg 2; Fellesskriv §2): consent
 * to sharing between institution and bydel, relatives, and presence at meetings (from the meetings' attendance).
 */
export function ParticipationPanel(props: { stayId: string; editable: boolean }) {
  const [data, setData] = useState<Participation | null>(null);
  const [loadError, setLoadError] = useState<string>();
  const [editing, setEditing] = useState<'consent' | 'relatives' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    api<Participation>(`/api/stays/${props.stayId}/participation`, { signal: controller.signal })
      .then(setData)
      .catch(
        (err) =>
          (err as Error).name !== 'AbortError' &&
          setLoadError(problemToFormErrors(err, { kindOf: () => undefined }).form),
      );
    return () => controller.abort();
  }, [props.stayId]);

  if (loadError)
    return (
      <PktAlert skin="error" className="block">
        {loadError}
      </PktAlert>
    );
  if (!data) return <p aria-live="polite">Laster samtykke og deltakelse …</p>;
  const { consent, relatives, presence } = data;
  return (
    <section aria-labelledby="medvirkning" className="block card participation" data-testid="participation">
      <h2 id="medvirkning" className="pkt-txt-22-medium">
        Samtykke, pårørende og deltakelse
      </h2>
      {notice && (
        <PktAlert skin="success" role="status" compact className="block">
          {notice}
        </PktAlert>
      )}
      <dl className="facts facts--wide">
        <div data-testid="consent">
          <dt>Samtykke til deling mellom institusjon og bydel</dt>
          <dd>
            {consent ? (
              <>
                <PktTag skin={CONSENT_STATE[consent.state].skin}>{CONSENT_STATE[consent.state].label}</PktTag>{' '}
                {describeConsent(consent)}
              </>
            ) : (
              'Ikke registrert.'
            )}
          </dd>
        </div>
        <div data-testid="relatives">
          <dt>Pårørende (Fellesskriv §2)</dt>
          <dd>
            {relatives
              ? `${RELATIVES_INVOLVEMENT[relatives.involvement]} (avklart ${formatDate(relatives.date)}).`
              : 'Ikke avklart.'}
          </dd>
        </div>
        <div data-testid="presence">
          <dt>Beboeren på møtene</dt>
          <dd>
            {describePresence(presence)}
            {presence.meetings.length > 0 && (
              <ul className="compact-list">
                {presence.meetings.map((m) => (
                  <li key={m.meetingId}>
                    {milestoneTitle(m.milestone)} {formatDate(m.plannedAt.slice(0, 10))}:{' '}
                    {m.resident ? 'beboeren deltok' : 'beboeren deltok ikke'}
                    {m.relatives ? ', pårørende deltok' : ''}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>
      {props.editable && editing === null && (
        <div className="form-actions no-print">
          <PktButton type="button" skin="secondary" size="small" onClick={() => setEditing('consent')}>
            {consent ? 'Endre samtykket' : 'Registrer samtykke'}
          </PktButton>
          <PktButton type="button" skin="tertiary" size="small" onClick={() => setEditing('relatives')}>
            {relatives ? 'Endre om pårørende er involvert' : 'Registrer om pårørende er involvert'}
          </PktButton>
        </div>
      )}
      {editing === 'consent' && (
        <ConsentForm
          stayId={props.stayId}
          saved={consent}
          onCancel={() => setEditing(null)}
          onDone={(saved) => {
            setData({ ...data, consent: saved });
            setEditing(null);
            setNotice('Samtykket er lagret.');
          }}
        />
      )}
      {editing === 'relatives' && (
        <RelativesForm
          stayId={props.stayId}
          saved={relatives}
          onCancel={() => setEditing(null)}
          onDone={(saved) => {
            setData({ ...data, relatives: saved });
            setEditing(null);
            setNotice('Pårørende er lagret.');
          }}
        />
      )}
    </section>
  );
}

const CONSENT_LABELS: Record<string, string> = {
  given: 'Har beboeren gitt samtykke?',
  date: 'Dato for svaret',
  validUntil: 'Gyldig til og med',
  withdrawnOn: 'Trukket tilbake (dato)',
};

function ConsentForm(props: {
  stayId: string;
  saved: Consent | null;
  onCancel(): void;
  onDone(consent: Consent): void;
}) {
  const s = props.saved;
  const [given, setGiven] = useState<'' | 'ja' | 'nei'>(s ? (s.given ? 'ja' : 'nei') : '');
  const [date, setDate] = useState(s ? formatDate(s.date) : formatDate(todayInOslo()));
  const [validUntil, setValidUntil] = useState(s?.validUntil ? formatDate(s.validUntil) : '');
  const [withdrawnOn, setWithdrawnOn] = useState(s?.withdrawnOn ? formatDate(s.withdrawnOn) : '');
  const { errors, setErrors, busy, formRef, run } = useFormSubmit();
  const idOf = (path: string) => fieldId('samtykke', path);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!given) {
      setErrors({ fields: { given: 'Svar ja eller nei.' } });
      return;
    }
    const body = {
      given: given === 'ja',
      date: parseDateInput(date),
      ...(given === 'ja' && validUntil.trim() ? { validUntil: parseDateInput(validUntil) } : {}),
      ...(given === 'ja' && withdrawnOn.trim() ? { withdrawnOn: parseDateInput(withdrawnOn) } : {}),
    };
    await run(
      async () => {
        const res = await api<{ consent: Consent }>(`/api/stays/${props.stayId}/consent`, { method: 'PUT', body });
        props.onDone(res.consent);
      },
      { kindOf: (path) => (path === 'given' ? 'boolean' : path in CONSENT_LABELS ? 'date' : undefined) },
    );
  }

  return (
    <form ref={formRef} className="completion-form" onSubmit={submit} noValidate aria-label="Samtykke">
      <ErrorSummary form={errors.form} fields={errors.fields} labelOf={(p) => CONSENT_LABELS[p] ?? p} idOf={idOf} />
      <p className="muted">
        Samtykkeerklæringen (ja/nei, med dato til) gjelder deling av opplysninger mellom institusjonen og bydelen.
        Institusjonen får en påminnelse {CONSENT_REMINDER_DAYS_BEFORE} dager før samtykket utløper.
      </p>
      <YesNoField
        id={idOf('given')}
        label={CONSENT_LABELS.given!}
        value={given}
        onChange={setGiven}
        error={errors.fields.given}
      />
      <DateField
        id={idOf('date')}
        label={CONSENT_LABELS.date!}
        value={date}
        onChange={setDate}
        error={errors.fields.date}
      />
      {given === 'ja' && (
        <>
          <DateField
            id={idOf('validUntil')}
            label={CONSENT_LABELS.validUntil!}
            value={validUntil}
            onChange={setValidUntil}
            error={errors.fields.validUntil}
          />
          <DateField
            id={idOf('withdrawnOn')}
            label={CONSENT_LABELS.withdrawnOn!}
            value={withdrawnOn}
            onChange={setWithdrawnOn}
            error={errors.fields.withdrawnOn}
            optional
          />
        </>
      )}
      <FormActions label="Lagre samtykket" busy={busy} onCancel={props.onCancel} />
    </form>
  );
}

function RelativesForm(props: {
  stayId: string;
  saved: Relatives | null;
  onCancel(): void;
  onDone(relatives: Relatives): void;
}) {
  const [involvement, setInvolvement] = useState<string>(props.saved?.involvement ?? '');
  const [date, setDate] = useState(formatDate(props.saved?.date ?? todayInOslo()));
  const { errors, busy, formRef, run } = useFormSubmit();
  const idOf = (path: string) => fieldId('parorende', path);
  const labels: Record<string, string> = {
    involvement: 'Er pårørende involvert?',
    date: 'Avklart med beboeren (dato)',
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(
      async () => {
        const res = await api<{ relatives: Relatives }>(`/api/stays/${props.stayId}/relatives`, {
          method: 'PUT',
          body: { involvement, date: parseDateInput(date) },
        });
        props.onDone(res.relatives);
      },
      {
        kindOf: (path) => (path === 'involvement' ? 'choice' : path === 'date' ? 'date' : undefined),
        dateField: 'date',
      },
    );
  }

  return (
    <form ref={formRef} className="completion-form" onSubmit={submit} noValidate aria-label="Pårørende">
      <ErrorSummary form={errors.form} fields={errors.fields} labelOf={(p) => labels[p] ?? p} idOf={idOf} />
      <p className="muted">Skriv ikke navn eller opplysninger om pårørende her; registrer bare hva som er avklart.</p>
      <ChoiceField
        id={idOf('involvement')}
        label={labels.involvement!}
        value={involvement}
        onChange={setInvolvement}
        options={Object.entries(RELATIVES_INVOLVEMENT).map(([value, label]) => ({ value, label }))}
        error={errors.fields.involvement}
      />
      <DateField id={idOf('date')} label={labels.date!} value={date} onChange={setDate} error={errors.fields.date} />
      <FormActions label="Lagre" busy={busy} onCancel={props.onCancel} />
    </form>
  );
}
