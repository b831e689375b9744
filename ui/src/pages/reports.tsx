import { PktAlert, PktButton, PktSelect } from '@oslokommune/punkt-react';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import type { ComplianceHeatmap, ComplianceReport, OutcomeReport } from '../../../schemas/reports';
import { addOffset } from '../../../rules/oslo-calendar';
import { api, ApiError, tokenStore } from '../api';
import { DateField } from '../fields';
import { formatDate, isIsoDateText, parseDateInput, todayInOslo } from '../format';
import { PageTitle } from '../layout';
import { orgName, useOrganisations } from '../organisations';
import { ShareByMilestoneChart, TrendChart } from '../reports/charts';
import { FiguresTable } from '../reports/figures-table';
import { ForecastTable } from '../reports/forecast-table';
import { reportPeriods } from '../reports/periods';
import { Heatmap } from '../reports/heatmap';
import { OutcomesTable } from '../reports/outcomes-table';
import { type Count, monthName } from '../reports/report-texts';
import '../reports/reports.css';
import { useSession } from '../session';
import { milestoneSection, milestoneTitle } from '../texts';

type Loaded = {
  byMilestone: ComplianceReport;
  byMonth: ComplianceReport;
  heatmap: ComplianceHeatmap;
  outcomes: OutcomeReport;
};

/** The period and filters of the page, from its address (so a report can be bookmarked and shared). */
function usePeriod() {
  const [params, setParams] = useSearchParams();
  const today = todayInOslo();
  const from = params.get('from') ?? addOffset(today, { months: -12 });
  const to = params.get('to') ?? today;
  return {
    from,
    to,
    institutionId: params.get('institutionId') ?? '',
    bydelId: params.get('bydelId') ?? '',
    set(next: Record<string, string>) {
      const p = new URLSearchParams(params);
      for (const [k, v] of Object.entries(next)) {
        if (v) p.set(k, v);
        else p.delete(k);
      }
      setParams(p, { replace: true });
    },
  };
}

async function downloadCsv(query: string, groupBy: string): Promise<void> {
  const token = tokenStore.get();
  const response = await fetch(`/api/reports/compliance.csv?${query}&groupBy=${groupBy}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (!response.ok) throw new ApiError({ status: response.status, title: response.statusText, detail: '' });
  const name =
    /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `frister-${groupBy}.csv`;
  const url = URL.createObjectURL(await response.blob());
  Object.assign(document.createElement('a'), { href: url, download: name }).click();
  URL.revokeObjectURL(url);
}

export function ReportsPage() {
  const { user } = useSession();
  const period = usePeriod();
  const { ofKind, ready: namesReady } = useOrganisations();
  const [typed, setTyped] = useState({ from: formatDate(period.from), to: formatDate(period.to) });
  const [fieldErrors, setFieldErrors] = useState<{ from?: string; to?: string }>({});
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<string>();
  const [csvError, setCsvError] = useState<string>();

  const filters = new URLSearchParams({ from: period.from, to: period.to });
  if (period.institutionId) filters.set('institutionId', period.institutionId);
  if (period.bydelId) filters.set('bydelId', period.bydelId);
  const query = filters.toString();
  // institution users compare bydeler; bydel users and administrators compare institutions
  const orgRows = user?.role === 'institution' ? 'bydel' : 'institution';

  useEffect(() => {
    setTyped({ from: formatDate(period.from), to: formatDate(period.to) });
    const controller = new AbortController();
    const get = <T,>(path: string) => api<T>(path, { signal: controller.signal });
    setData(null);
    setError(undefined);
    Promise.all([
      get<ComplianceReport>(`/api/reports/compliance?${query}&groupBy=milestone`),
      get<ComplianceReport>(`/api/reports/compliance?${query}&groupBy=month`),
      get<ComplianceHeatmap>(`/api/reports/compliance/heatmap?${query}&rows=${orgRows}`),
      get<OutcomeReport>(`/api/reports/outcomes?${query}&groupBy=${orgRows}`),
    ])
      .then(([byMilestone, byMonth, heatmap, outcomes]) => setData({ byMilestone, byMonth, heatmap, outcomes }))
      .catch((err) => {
        if ((err as Error).name === 'AbortError') return;
        setError(
          err instanceof ApiError && (err.problem.status === 400 || err.problem.status === 422)
            ? 'Perioden er ikke gyldig. Velg en fra-dato før til-datoen, og høyst ti år.'
            : 'Kunne ikke hente rapporten. Prøv igjen om litt.',
        );
      });
    return () => controller.abort();
  }, [query, orgRows, period.from, period.to]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const from = parseDateInput(typed.from);
    const to = parseDateInput(typed.to);
    const errors: { from?: string; to?: string } = {};
    if (!isIsoDateText(from)) errors.from = 'Skriv en gyldig dato på formen dd.mm.åååå.';
    if (!isIsoDateText(to)) errors.to = 'Skriv en gyldig dato på formen dd.mm.åååå.';
    if (!errors.from && !errors.to && from > to) errors.to = 'Til-datoen kan ikke være før fra-datoen.';
    setFieldErrors(errors);
    if (!errors.from && !errors.to) period.set({ from, to });
  };

  const drill = (groupBy: string, key: string | undefined, outcome: Count, extra: Record<string, string> = {}) => {
    const p = new URLSearchParams(filters);
    p.set('groupBy', groupBy);
    if (key !== undefined) p.set('key', key);
    p.set('outcome', outcome);
    for (const [k, v] of Object.entries(extra)) p.set(k, v);
    return `/rapporter/frister?${p}`;
  };
  const milestoneLabel = (key: string) => (
    <>
      {milestoneTitle(key)} <span className="section-ref">{milestoneSection(key)}</span>
    </>
  );
  const scope =
    user?.role === 'institution'
      ? `opphold ved ${orgName(user.org)}`
      : user?.role === 'bydel'
        ? `opphold i ${orgName(user.org)}`
        : 'alle institusjoner og bydeler';

  return (
    <>
      <PageTitle>Rapporter</PageTitle>
      <p className="lead">
        Følges fristene i Fellesskriv 3/2021, og kommer beboerne raskere i egen bolig? Tallene gjelder {scope}, for
        perioden {formatDate(period.from)}–{formatDate(period.to)}.
      </p>

      <form className="report-period" onSubmit={submit} aria-label="Velg periode" noValidate>
        <div className="filters">
          <DateField
            id="rapport-fra"
            label="Fra"
            value={typed.from}
            onChange={(v) => setTyped((t) => ({ ...t, from: v }))}
            error={fieldErrors.from}
          />
          <DateField
            id="rapport-til"
            label="Til"
            value={typed.to}
            onChange={(v) => setTyped((t) => ({ ...t, to: v }))}
            error={fieldErrors.to}
          />
          {user?.role !== 'institution' && (
            <PktSelect
              id="rapport-institusjon"
              label="Institusjon"
              value={period.institutionId}
              onChange={(e) => period.set({ institutionId: e.target.value })}
            >
              <option value="">Alle</option>
              {ofKind('institution', { includeInactive: true }).map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </PktSelect>
          )}
          {user?.role !== 'bydel' && (
            <PktSelect
              id="rapport-bydel"
              label="Bydel"
              value={period.bydelId}
              onChange={(e) => period.set({ bydelId: e.target.value })}
            >
              <option value="">Alle</option>
              {ofKind('bydel', { includeInactive: true }).map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </PktSelect>
          )}
        </div>
        <div className="form-actions">
          <PktButton type="submit" skin="primary">
            Vis rapport
          </PktButton>
          <span className="report-presets">
            Hurtigvalg:{' '}
            {reportPeriods(todayInOslo()).map((p) => (
              <Link
                key={p.label}
                className="pkt-link"
                to={`/rapporter?${new URLSearchParams({ ...Object.fromEntries(new URLSearchParams(filters)), from: p.from, to: p.to })}`}
              >
                {p.label}
              </Link>
            ))}
          </span>
        </div>
      </form>

      {error && <PktAlert skin="error">{error}</PktAlert>}
      {!data && !error && <p aria-live="polite">Henter rapporten …</p>}
      {data && namesReady && (
        <>
          <section aria-labelledby="frister">
            <h2 id="frister" className="pkt-txt-22-medium">
              Frister holdt i tide
            </h2>
            <p>
              En frist hører til perioden når fristdatoen – den avtalte, hvis et avvik er avtalt (§1) – ligger i
              perioden. <strong>I tide</strong>: fullført senest på fristdatoen. <strong>For sent</strong>: fullført
              etter den, eller ikke fullført og datoen er passert. <strong>Åpne</strong> har ikke passert ennå.{' '}
              <strong>Ikke aktuelle</strong> (avsluttet opphold, ikke del av boligtilbudet) regnes ikke med i andelen.
              Det jevnlige samarbeidsmøtet er en anbefaling, ikke en frist.
            </p>
            <p className="summary-line" data-testid="total-share">
              Totalt {data.byMilestone.total.onTime} av {data.byMilestone.total.onTime + data.byMilestone.total.late}{' '}
              avgjorte frister i tide (
              {data.byMilestone.total.onTimeShare === null
                ? 'ingen avgjort'
                : `${Math.round(data.byMilestone.total.onTimeShare * 100)} %`}
              ), {data.byMilestone.total.open} åpne.
            </p>
            <ShareByMilestoneChart
              rows={data.byMilestone.rows}
              table={
                <FiguresTable
                  caption="Frister per milepæl"
                  keyHeader="Milepæl"
                  rows={data.byMilestone.rows}
                  total={data.byMilestone.total}
                  rowHeader={milestoneLabel}
                  linkTo={(key, count) => drill('milestone', key, count)}
                />
              }
            />
          </section>

          <section aria-labelledby="utvikling">
            <h2 id="utvikling" className="pkt-txt-22-medium">
              Utvikling måned for måned
            </h2>
            <TrendChart
              rows={data.byMonth.rows}
              table={
                <FiguresTable
                  caption="Frister per måned (etter fristdato)"
                  keyHeader="Måned"
                  rows={data.byMonth.rows}
                  total={data.byMonth.total}
                  rowHeader={(key) => monthName(key)}
                  linkTo={(key, count) => drill('month', key, count)}
                />
              }
            />
          </section>

          <section aria-labelledby="varmekart">
            <h2 id="varmekart" className="pkt-txt-22-medium">
              Varmekart: {orgRows === 'institution' ? 'institusjon' : 'bydel'} × milepæl
            </h2>
            <p>Andel av de avgjorte fristene som ble holdt i tide. Velg en celle for å se fristene bak tallet.</p>
            <Heatmap map={data.heatmap} linkTo={(org, milestone) => drill(orgRows, org, 'due', { milestone })} />
          </section>

          <section aria-labelledby="prognose">
            <h2 id="prognose" className="pkt-txt-22-medium">
              Kan bli forsinket de neste 14 dagene
            </h2>
            <p>
              Åpne frister uten registrering og uten møte planlagt innen fristen, rangert etter hvor ofte den ansvarlige
              institusjonen eller bydelen har vært for sent ute med samme milepæl det siste året. «Kan bli forsinket»:
              for sent i minst halvparten av minst tre frister.
            </p>
            <ForecastTable />
          </section>

          <section aria-labelledby="bolig">
            <h2 id="bolig" className="pkt-txt-22-medium">
              Veien til egen bolig
            </h2>
            <p>
              For opphold innskrevet i perioden. Liggetid: fra innskriving til utskriving eller avbrudd, for avsluttede
              opphold. Reinnleggelse: et nytt opphold som viderefører dette, eller samme beboerreferanse innskrevet ved
              en institusjon i Velferdsetaten innen 12 måneder etter utskrivingen. Anonymiserte opphold har ingen
              beboerreferanse, så for dem telles bare videreførte opphold.
            </p>
            <OutcomesTable
              report={data.outcomes}
              keyHeader={orgRows === 'institution' ? 'Institusjon' : 'Bydel'}
              name={orgName}
            />
          </section>

          <section aria-labelledby="last-ned">
            <h2 id="last-ned" className="pkt-txt-22-medium">
              Last ned
            </h2>
            {csvError && <PktAlert skin="error">{csvError}</PktAlert>}
            <div className="form-actions">
              {(
                [
                  ['milestone', 'Frister per milepæl (CSV)'],
                  ['month', 'Frister per måned (CSV)'],
                  [orgRows, `Frister per ${orgRows === 'institution' ? 'institusjon' : 'bydel'} (CSV)`],
                ] as const
              ).map(([groupBy, label]) => (
                <PktButton
                  key={groupBy}
                  type="button"
                  skin="secondary"
                  onClick={() =>
                    downloadCsv(query, groupBy)
                      .then(() => setCsvError(undefined))
                      .catch(() => setCsvError('Kunne ikke laste ned filen. Prøv igjen.'))
                  }
                >
                  {label}
                </PktButton>
              ))}
            </div>
          </section>
        </>
      )}
    </>
  );
}
