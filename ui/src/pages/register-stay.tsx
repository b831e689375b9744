import { PktAlert, PktCheckbox, PktTag } from '@oslokommune/punkt-react';
import { useMemo, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { MILESTONE_RULES } from '../../../rules/milestones';
import { isIsoDate } from '../../../rules/oslo-calendar';
import { ONBOARDABLE, previewDeadlines } from '../deadline-preview';
import { api, type Stay } from '../api';
import type { FieldKind } from '../errors';
import { ChoiceField, DateField, ErrorSummary, fieldId, TextField } from '../fields';
import { formatDate, parseDateInput, todayInOslo } from '../format';
import { PageTitle } from '../layout';
import { orgName, orgOptions, useOrganisations } from '../organisations';
import { useRulesConfig } from '../rules-config';
import { useSession } from '../session';
import { FormActions } from '../forms/form-actions';
import { useFormSubmit } from '../forms/use-form-submit';

const KINDS: Record<string, FieldKind> = {
  residentRef: 'text',
  institutionId: 'choice',
  bydelId: 'choice',
  admittedAt: 'date',
};
const LABELS: Record<string, string> = {
  residentRef: 'Beboerreferanse',
  institutionId: 'Institusjon',
  bydelId: 'Bydel',
  admittedAt: 'Innskrevet dato',
};

export function RegisterStayPage() {
  const { user } = useSession();
  const navigate = useNavigate();
  // only registered, active bydeler (the API refuses others with 422); institutions likewise
  const { ofKind } = useOrganisations();
  const [residentRef, setResidentRef] = useState('');
  const [institutionId, setInstitutionId] = useState(user?.role === 'institution' ? user.org! : '');
  const [bydelId, setBydelId] = useState(user?.role === 'bydel' ? user.org! : '');
  const [admittedAt, setAdmittedAt] = useState('');
  const [onboarding, setOnboarding] = useState(false);
  const [completed, setCompleted] = useState<Record<string, string>>({});
  const { errors, busy, formRef, run } = useFormSubmit();
  const idOf = (path: string) => fieldId('registrer', path);
  const labelOf = (path: string) =>
    path.startsWith('completed.')
      ? `Allerede fullført: ${MILESTONE_RULES.find((r) => `completed.${r.key}` === path)?.titleNb ?? path}`
      : (LABELS[path] ?? path);

  const today = todayInOslo();
  const admittedIso = parseDateInput(admittedAt);
  const completedIso = useMemo(
    () =>
      Object.fromEntries(
        Object.entries(completed)
          .filter(([, v]) => v.trim())
          .map(([k, v]) => [k, parseDateInput(v)]),
      ),
    [completed],
  );
  // counted with the interpretations the running configuration registers stays with (no preview until they are known)
  const { config, failed: configFailed } = useRulesConfig();
  const preview = useMemo(() => {
    if (!isIsoDate(admittedIso) || !config) return null;
    const valid = Object.fromEntries(Object.entries(completedIso).filter(([, v]) => isIsoDate(v)));
    return previewDeadlines(admittedIso, valid, today, config.interpretations);
  }, [admittedIso, completedIso, today, config]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const body = {
      residentRef,
      institutionId,
      bydelId,
      admittedAt: admittedIso,
      ...(onboarding && Object.keys(completedIso).length ? { completed: completedIso } : {}),
    };
    await run(
      async () => {
        const stay = await api<Stay>('/api/stays', { method: 'POST', body });
        navigate(`/opphold/${stay.id}`, {
          state: { notice: `Oppholdet for ${stay.residentRef} er registrert. Fristene under gjelder fra nå.` },
        });
      },
      {
        kindOf: (path) => KINDS[path] ?? (path.startsWith('completed.') ? 'date' : undefined),
        dateField: 'admittedAt',
      },
    );
  }

  return (
    <>
      <PageTitle>Registrer opphold</PageTitle>
      <p className="lead">
        Fristene regnes fra innskrivingsdatoen etter Fellesskriv 3/2021. Forhåndsvisningen oppdateres mens du skriver.
      </p>
      <div className="register-layout">
        <form ref={formRef} onSubmit={submit} noValidate className="stack" aria-label="Registrer opphold">
          <ErrorSummary form={errors.form} fields={errors.fields} labelOf={labelOf} idOf={idOf} />
          <TextField
            id={idOf('residentRef')}
            label="Beboerreferanse"
            value={residentRef}
            onChange={setResidentRef}
            error={errors.fields.residentRef}
            helptext="Den pseudonyme referansen, for eksempel R-2026-0042. Aldri fødselsnummer eller navn."
          />
          {user?.role === 'institution' ? (
            <TextField
              id={idOf('institutionId')}
              label="Institusjon"
              value={orgName(institutionId)}
              onChange={() => {}}
              readOnly
              helptext="Du registrerer for din egen institusjon."
            />
          ) : (
            <ChoiceField
              id={idOf('institutionId')}
              label="Institusjon"
              value={institutionId}
              onChange={setInstitutionId}
              options={orgOptions(ofKind('institution'))}
              error={errors.fields.institutionId}
            />
          )}
          {user?.role === 'bydel' ? (
            <TextField id={idOf('bydelId')} label="Bydel" value={orgName(bydelId)} onChange={() => {}} readOnly />
          ) : (
            <ChoiceField
              id={idOf('bydelId')}
              label="Bydel"
              value={bydelId}
              onChange={setBydelId}
              options={orgOptions(ofKind('bydel'))}
              error={errors.fields.bydelId}
            />
          )}
          <DateField
            id={idOf('admittedAt')}
            label="Innskrevet dato"
            value={admittedAt}
            onChange={setAdmittedAt}
            error={errors.fields.admittedAt}
          />
          <PktCheckbox
            id={idOf('onboarding')}
            label="Beboeren ble innskrevet før løsningen ble tatt i bruk: registrer det som allerede er gjort"
            checked={onboarding}
            onChange={(e) => setOnboarding(e.target.checked)}
          />
          {onboarding && (
            <fieldset className="list-field">
              <legend className="pkt-txt-18-medium">Allerede fullført (la stå tomt om det ikke er gjort)</legend>
              {ONBOARDABLE.map((rule) => (
                <DateField
                  key={rule.key}
                  id={idOf(`completed.${rule.key}`)}
                  label={`${rule.titleNb} (${rule.section})`}
                  value={completed[rule.key] ?? ''}
                  onChange={(v) => setCompleted((c) => ({ ...c, [rule.key]: v }))}
                  error={errors.fields[`completed.${rule.key}`]}
                  optional
                />
              ))}
            </fieldset>
          )}
          <FormActions label="Registrer opphold" busy={busy} busyLabel="Registrerer …" />
        </form>
        <section className="preview" aria-labelledby="forhandsvisning">
          <h2 id="forhandsvisning" className="pkt-txt-22-medium">
            Fristene oppholdet får
          </h2>
          {!preview && !config && !configFailed && <p aria-live="polite">Laster regelverket …</p>}
          {configFailed && (
            <PktAlert skin="warning" compact>
              Fikk ikke hentet regelverket fristene regnes etter. Du kan likevel registrere oppholdet; fristene vises på
              oppholdet.
            </PktAlert>
          )}
          {!preview && config && !admittedAt && (
            <p className="muted">Skriv innskrivingsdatoen (dd.mm.åååå) for å se fristene.</p>
          )}
          {preview && (
            <table className="pkt-table preview__table stack-on-phone" data-testid="deadline-preview">
              <caption className="pkt-sr-only">Frister regnet fra innskrevet dato {formatDate(admittedIso)}</caption>
              <thead>
                <tr>
                  <th scope="col">Milepæl</th>
                  <th scope="col">Frist</th>
                  <th scope="col">§</th>
                </tr>
              </thead>
              <tbody>
                {preview.map((row) => (
                  <tr key={row.rule.key} className={`tone-${row.tone}`} data-milestone={row.rule.key}>
                    <th scope="row">
                      {row.rule.titleNb}
                      {row.note && <span className="preview__note">{row.note}</span>}
                    </th>
                    <td data-label="Frist">
                      {row.due ? formatDate(row.due) : '–'}{' '}
                      {row.tone === 'overdue' && <PktTag skin="red">Forfalt</PktTag>}
                      {row.tone === 'done' && <PktTag skin="green">Fullført</PktTag>}
                    </td>
                    <td data-label="Fellesskriv">{row.rule.section}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {admittedAt && config && !preview && (
            <PktAlert skin="info" compact>
              Datoen er ikke gyldig ennå. Skriv den som dd.mm.åååå.
            </PktAlert>
          )}
        </section>
      </div>
    </>
  );
}
