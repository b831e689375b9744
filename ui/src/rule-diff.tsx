// The rule-version view (administrators): a stay's deadlines under its own rules against the current ones, and the
// effect across the active stays of a change to the interpretations, before it is rolled out.
import { PktAlert, PktButton } from '@oslokommune/punkt-react';
import { type FormEvent, useState } from 'react';
import type { RuleDiff, RuleDiffSummary } from '../../schemas/admin';
import { api } from './api';
import { problemToFormErrors } from './errors';
import { ErrorSummary, TextField } from './fields';
import { formatDate } from './format';
import { useRulesConfig } from './rules-config';
import { milestoneTitle } from './texts';

/** What each interpretation reads, in Norwegian (rules/interpretations.ts). */
export const INTERPRETATION_LABEL: Record<string, string> = {
  statusReportCausesDays: 'Kartlegging av årsaker etter mangelfull statusrapport («snarest»)',
  cooperationMeetingIntervalMonths: 'Samarbeidsmøte («ca. hver annen måned»)',
  exitMeetingDays: 'Utflyttingsmøte etter boligtilbud («senest umiddelbart»)',
  followUpMeetingDays: 'Oppfølgingsmøte etter innflytting («ca. fire uker»)',
  statusReportGoodTimeDays: 'Statusrapport før boligmøtet («i god tid»)',
  dischargedWithoutMoveInDays: 'Påminnelse om innflytting etter utskriving (teksten sier ingenting)',
};

const unitNb = (n: number, unit: 'days' | 'months') =>
  `${n} ${unit === 'days' ? (n === 1 ? 'dag' : 'dager') : n === 1 ? 'måned' : 'måneder'}`;

const sectionNb = (section: string) => (section === 'product' ? 'produktets valg' : section);

const dateOrNone = (date: string | null) => (date ? formatDate(date) : 'ingen frist');

/** On the stay's history page: which of its deadlines would fall on other dates under the current rules. */
export function StayRuleDiff({ stayId }: { stayId: string }) {
  const [diff, setDiff] = useState<RuleDiff | null>(null);
  const [error, setError] = useState<string>();
  const load = () => {
    setError(undefined);
    api<RuleDiff>(`/api/stays/${stayId}/rule-diff`)
      .then(setDiff)
      .catch((err) => setError(problemToFormErrors(err, { kindOf: () => undefined }).form));
  };
  return (
    <section aria-labelledby="regelverk" className="block">
      <h3 id="regelverk" className="pkt-txt-18-medium">
        Regelverket oppholdet følger
      </h3>
      <p>
        Et opphold beholder fortolkningene det ble registrert med. Her ser du hvilke frister som ville fått en annen
        dato etter reglene som gjelder nå. Visningen blir loggført.
      </p>
      {!diff && (
        <PktButton type="button" skin="secondary" size="small" onClick={load}>
          Sammenlign med gjeldende regler
        </PktButton>
      )}
      {error && <PktAlert skin="error">{error}</PktAlert>}
      {diff && (
        <div aria-live="polite">
          <p data-testid="rule-diff-summary">
            {diff.stay.rulesVersion === diff.target.rulesVersion
              ? `Oppholdet følger regelversjon ${diff.stay.rulesVersion}, den gjeldende.`
              : `Oppholdet følger regelversjon ${diff.stay.rulesVersion}; gjeldende er ${diff.target.rulesVersion}.`}{' '}
            {diff.interpretations.length === 0
              ? 'Fortolkningene er de samme som gjelder nå.'
              : diff.interpretations.length === 1
                ? 'Én fortolkning er endret siden oppholdet ble registrert.'
                : `${diff.interpretations.length} fortolkninger er endret siden oppholdet ble registrert.`}
          </p>
          {diff.interpretations.length > 0 && (
            <ul>
              {diff.interpretations.map((i) => (
                <li key={i.key}>
                  {INTERPRETATION_LABEL[i.key] ?? i.key} ({sectionNb(i.section)}): {unitNb(i.stay, i.unit)} for
                  oppholdet, {unitNb(i.target, i.unit)} nå
                </li>
              ))}
            </ul>
          )}
          {diff.changes.length === 0 ? (
            <p>Ingen frister ville fått en annen dato.</p>
          ) : (
            <table className="pkt-table pkt-table--zebra-blue" data-testid="rule-diff">
              <caption>Frister som ville fått en annen dato etter gjeldende regler</caption>
              <thead>
                <tr>
                  <th scope="col">Frist</th>
                  <th scope="col">§</th>
                  <th scope="col">Etter oppholdets regler</th>
                  <th scope="col">Etter gjeldende regler</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {diff.changes.map((c) => (
                  <tr key={c.milestone}>
                    <th scope="row">{milestoneTitle(c.milestone)}</th>
                    <td>{c.section}</td>
                    <td>{dateOrNone(c.underStay)}</td>
                    <td>{dateOrNone(c.underTarget)}</td>
                    <td>{c.open ? 'Åpen' : 'Utført eller gjelder ikke'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}

/** On the admin page: what a change to the interpretations would do to the active stays, before it is rolled out. */
export function RuleChangeImpact() {
  const { config, failed } = useRulesConfig();
  const [values, setValues] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [summary, setSummary] = useState<RuleDiffSummary | null>(null);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (failed) return <PktAlert skin="error">Reglene kunne ikke lastes. Last siden på nytt.</PktAlert>;
  if (!config) return <p aria-live="polite">Laster reglene …</p>;
  const typed = (key: string, running: number) => values[key] ?? String(running);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    const query = new URLSearchParams();
    for (const r of config.interpretationRules) {
      const raw = typed(r.key, r.value).trim();
      const n = Number(raw);
      if (!/^\d+$/.test(raw) || n < 1 || n > 365) found[r.key] = 'Skriv et helt tall fra 1 til 365.';
      else if (n !== r.value) query.set(r.key, raw);
    }
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setError(undefined);
    setBusy(true);
    api<RuleDiffSummary>(`/api/rule-diff${query.size > 0 ? `?${query}` : ''}`)
      .then(setSummary)
      .catch((err) => setError(problemToFormErrors(err, { kindOf: () => undefined }).form))
      .finally(() => setBusy(false));
  };

  return (
    <section aria-labelledby="regelendring" className="block">
      <h2 id="regelendring" className="pkt-txt-22-medium">
        Vurder en regelendring
      </h2>
      <p>
        Fristene som Fellesskrivet ikke tallfester, er fortolkninger. Nye opphold får verdiene som gjelder nå; et
        opphold som pågår, beholder sine. Endre en verdi for å se hvor mange aktive opphold som ville fått en annen
        frist, før endringen tas i bruk.
      </p>
      <form onSubmit={submit} noValidate className="stack narrow">
        <ErrorSummary
          form={error}
          fields={errors}
          labelOf={(key) => INTERPRETATION_LABEL[key] ?? key}
          idOf={(key) => `regel-${key}`}
        />
        {config.interpretationRules.map((r) => (
          <TextField
            key={r.key}
            id={`regel-${r.key}`}
            label={`${INTERPRETATION_LABEL[r.key] ?? r.key} (${sectionNb(r.section)}), ${r.unit === 'days' ? 'dager' : 'måneder'}`}
            value={typed(r.key, r.value)}
            onChange={(v) => setValues((prev) => ({ ...prev, [r.key]: v }))}
            error={errors[r.key]}
            helptext={`Gjelder nå: ${unitNb(r.value, r.unit)}`}
          />
        ))}
        <div className="form-actions">
          <PktButton type="submit" skin="primary" disabled={busy}>
            Vis hvilke frister som ville endret seg
          </PktButton>
        </div>
      </form>
      {summary && (
        <div aria-live="polite">
          <p data-testid="rule-impact-summary">
            {summary.openStays} aktive opphold. {summary.staysOnOtherRules} følger andre regler enn disse, og{' '}
            {summary.staysAffected} av dem ville fått minst én åpen frist flyttet.
            {summary.unreadable > 0 && ` ${summary.unreadable} opphold kunne ikke leses og er ikke talt med.`}
          </p>
          {summary.milestones.length > 0 && (
            <table className="pkt-table pkt-table--zebra-blue" data-testid="rule-impact">
              <caption>Åpne frister som ville fått en annen dato, per frist</caption>
              <thead>
                <tr>
                  <th scope="col">Frist</th>
                  <th scope="col">§</th>
                  <th scope="col">Opphold</th>
                  <th scope="col">Tidligere</th>
                  <th scope="col">Senere</th>
                  <th scope="col">Får frist</th>
                  <th scope="col">Mister frist</th>
                </tr>
              </thead>
              <tbody>
                {summary.milestones.map((m) => (
                  <tr key={m.milestone}>
                    <th scope="row">{milestoneTitle(m.milestone)}</th>
                    <td>{m.section}</td>
                    <td>{m.stays}</td>
                    <td>{m.earlier}</td>
                    <td>{m.later}</td>
                    <td>{m.appears}</td>
                    <td>{m.disappears}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
