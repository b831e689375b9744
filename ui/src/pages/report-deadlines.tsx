import { PktAlert, PktButton } from '@oslokommune/punkt-react';
import { useCallback, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import type { ComplianceDeadlineList } from '../../../schemas/reports';
import { isIsoDate } from '../../../rules/oslo-calendar';
import { api, ApiError } from '../api';
import { formatDate, todayInOslo } from '../format';
import { PageTitle } from '../layout';
import { orgName, useOrganisations } from '../organisations';
import { reportPeriods } from '../reports/periods';
import { type Count, COUNT_LABEL, formatDays, monthName } from '../reports/report-texts';
import '../reports/reports.css';
import { milestoneSection, milestoneTitle } from '../texts';
import { ScrollRegion } from '../reports/scroll-region';

type Item = ComplianceDeadlineList['items'][number];

const PAGE = 100;

const OUTCOME_TEXT: Record<Item['outcome'], string> = {
  onTime: 'I tide',
  late: 'For sent',
  open: 'Åpen',
  notApplicable: 'Ikke aktuell',
};

/** What the list is: the count and the row of the report it came from. */
function describe(params: URLSearchParams): string {
  const outcome = COUNT_LABEL[(params.get('outcome') ?? 'due') as Count] ?? 'Frister';
  const key = params.get('key');
  const groupBy = params.get('groupBy');
  const row =
    key === null
      ? 'alle milepæler'
      : groupBy === 'milestone'
        ? `${milestoneTitle(key)} (${milestoneSection(key)})`
        : groupBy === 'month'
          ? monthName(key)
          : orgName(key);
  const milestone = params.get('milestone');
  const also = [
    milestone ? `${milestoneTitle(milestone)} (${milestoneSection(milestone)})` : null,
    ...[params.get('institutionId'), params.get('bydelId')].filter(Boolean).map(orgName),
  ].filter(Boolean);
  return `${outcome}: ${row}${also.length ? `, ${also.join(', ')}` : ''}`;
}

/** Why the period of the address cannot be listed, in words a leader can act on; undefined when it can. */
function periodProblem(from: string, to: string): string | undefined {
  const bad = [from, to].find((d) => !isIsoDate(d));
  if (bad !== undefined) return `Perioden i lenken har en ugyldig dato («${bad}»). Velg en periode nedenfor.`;
  if (from > to)
    return `Perioden i lenken slutter (${formatDate(to)}) før den begynner (${formatDate(from)}). Velg en periode nedenfor.`;
  return undefined;
}

/** What went wrong, when the API refused the list: the period is checked above, so what is left is its length. */
function loadError(err: unknown): string {
  if (!(err instanceof ApiError) || (err.status !== 400 && err.status !== 422))
    return 'Kunne ikke hente fristene. Prøv igjen om litt.';
  return err.problem.errors?.some((e) => e.path === 'querystring.to' || e.path === 'querystring.from')
    ? 'Perioden i lenken er for lang: en rapport dekker høyst ti år. Velg en periode nedenfor.'
    : 'Lenken til fristene er ikke gyldig. Gå tilbake til rapporten og velg tallet på nytt.';
}

/** The deadlines behind a number of the report. Every stay listed is recorded in the access log. */
export function ReportDeadlinesPage() {
  const [params] = useSearchParams();
  useOrganisations();
  const [items, setItems] = useState<Item[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string>();
  // a bookmark or a shared link may lack the period: show what /rapporter shows without one, and say so
  const periods = reportPeriods(todayInOslo());
  const from = params.get('from') || periods[0]!.from;
  const to = params.get('to') || periods[0]!.to;
  const defaulted = !params.get('from') || !params.get('to');
  const invalid = periodProblem(from, to);
  const withPeriod = (period: { from: string; to: string }) => {
    const p = new URLSearchParams(params);
    p.set('from', period.from);
    p.set('to', period.to);
    return p;
  };
  const query = withPeriod({ from, to }).toString();

  const load = useCallback(
    (offset: number, signal?: AbortSignal) =>
      api<ComplianceDeadlineList>(`/api/reports/compliance/stays?${query}&limit=${PAGE}&offset=${offset}`, { signal })
        .then((page) => {
          setItems((before) => [...(offset === 0 ? [] : (before ?? [])), ...page.items]);
          setTotal(page.total);
        })
        .catch((err) => {
          if ((err as Error).name !== 'AbortError') setError(loadError(err));
        }),
    [query],
  );

  useEffect(() => {
    const controller = new AbortController();
    setItems(null);
    setError(undefined);
    if (!invalid) void load(0, controller.signal);
    return () => controller.abort();
  }, [load, invalid]);

  const back = new URLSearchParams();
  for (const k of ['institutionId', 'bydelId']) {
    const v = params.get(k);
    if (v) back.set(k, v);
  }
  if (!invalid) {
    back.set('from', from);
    back.set('to', to);
  }
  const title = describe(params);
  return (
    <>
      <PageTitle>{title}</PageTitle>
      <p className="lead">
        Fristene bak tallet i rapporten{invalid ? '' : ` for ${formatDate(from)}–${formatDate(to)}`}. Hvert opphold som
        vises her, blir registrert i tilgangsloggen.
      </p>
      {defaulted && !invalid && (
        <PktAlert skin="info" data-testid="period-defaulted">
          Lenken sier ikke hvilken periode den gjelder, så du ser de siste 12 månedene, som i rapporten.
        </PktAlert>
      )}
      {(invalid ?? error) && <PktAlert skin="error">{invalid ?? error}</PktAlert>}
      {(defaulted || invalid || error) && (
        <p className="report-presets" data-testid="period-choices">
          Velg periode:{' '}
          {periods.map((p) => (
            <Link key={p.label} className="pkt-link" to={`/rapporter/frister?${withPeriod(p)}`}>
              {p.label}
            </Link>
          ))}
        </p>
      )}
      <p>
        <Link to={`/rapporter?${back}`} className="pkt-link">
          Tilbake til rapporten
        </Link>
      </p>
      {items === null && !error && !invalid && <p aria-live="polite">Henter fristene …</p>}
      {items !== null && (
        <>
          <p className="summary-line" aria-live="polite">
            {total} {total === 1 ? 'frist' : 'frister'}
            {items.length < total ? `, viser ${items.length}` : ''}
          </p>
          <ScrollRegion label={title}>
            <table
              className="pkt-table pkt-table--zebra-blue report-table report-table--many-columns"
              data-testid="report-deadlines"
            >
              <caption className="pkt-sr-only">{title}</caption>
              <thead>
                <tr>
                  <th scope="col">Beboer</th>
                  <th scope="col">Milepæl</th>
                  <th scope="col">Frist</th>
                  <th scope="col">Opprinnelig frist</th>
                  <th scope="col">Fullført</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Dager for sent
                  </th>
                  <th scope="col">Institusjon</th>
                  <th scope="col">Bydel</th>
                </tr>
              </thead>
              <tbody>
                {items.map((d) => (
                  <tr key={`${d.stayId}-${d.milestone}-${d.dueDate}`} data-stay={d.stayId}>
                    <th scope="row">
                      <Link to={`/opphold/${d.stayId}`} className="pkt-link resident-ref">
                        {d.residentRef}
                      </Link>
                    </th>
                    <td>
                      {milestoneTitle(d.milestone)} <span className="section-ref">{milestoneSection(d.milestone)}</span>
                    </td>
                    <td>{formatDate(d.dueDate)}</td>
                    <td>{d.originalDueDate ? formatDate(d.originalDueDate) : '–'}</td>
                    <td>{formatDate(d.doneAt)}</td>
                    <td>{OUTCOME_TEXT[d.outcome]}</td>
                    <td className="num">{formatDays(d.daysLate)}</td>
                    <td>{orgName(d.institutionId)}</td>
                    <td>{orgName(d.bydelId)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
          {items.length < total && (
            <div className="form-actions">
              <PktButton type="button" skin="secondary" onClick={() => load(items.length)}>
                Vis flere
              </PktButton>
            </div>
          )}
        </>
      )}
    </>
  );
}
