import { PktAlert, PktButton } from '@oslokommune/punkt-react';
import { useCallback, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import type { ComplianceDeadlineList } from '../../../schemas/reports';
import { api } from '../api';
import { formatDate } from '../format';
import { PageTitle } from '../layout';
import { orgName, useOrganisations } from '../organisations';
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

/** The deadlines behind a number of the report. Every stay listed is recorded in the access log. */
export function ReportDeadlinesPage() {
  const [params] = useSearchParams();
  useOrganisations();
  const [items, setItems] = useState<Item[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string>();
  const query = params.toString();

  const load = useCallback(
    (offset: number, signal?: AbortSignal) =>
      api<ComplianceDeadlineList>(`/api/reports/compliance/stays?${query}&limit=${PAGE}&offset=${offset}`, { signal })
        .then((page) => {
          setItems((before) => [...(offset === 0 ? [] : (before ?? [])), ...page.items]);
          setTotal(page.total);
        })
        .catch((err) => {
          if ((err as Error).name !== 'AbortError') setError('Kunne ikke hente fristene. Prøv igjen om litt.');
        }),
    [query],
  );

  useEffect(() => {
    const controller = new AbortController();
    setItems(null);
    void load(0, controller.signal);
    return () => controller.abort();
  }, [load]);

  const back = new URLSearchParams();
  for (const k of ['from', 'to', 'institutionId', 'bydelId']) {
    const v = params.get(k);
    if (v) back.set(k, v);
  }
  const title = describe(params);
  return (
    <>
      <PageTitle>{title}</PageTitle>
      <p className="lead">
        Fristene bak tallet i rapporten for {formatDate(params.get('from'))}–{formatDate(params.get('to'))}. Hvert
        opphold som vises her, blir registrert i tilgangsloggen.
      </p>
      <p>
        <Link to={`/rapporter?${back}`} className="pkt-link">
          Tilbake til rapporten
        </Link>
      </p>
      {error && <PktAlert skin="error">{error}</PktAlert>}
      {items === null && !error && <p aria-live="polite">Henter fristene …</p>}
      {items !== null && (
        <>
          <p className="summary-line" aria-live="polite">
            {total} {total === 1 ? 'frist' : 'frister'}
            {items.length < total ? `, viser ${items.length}` : ''}
          </p>
          <ScrollRegion label={title}>
            <table className="pkt-table pkt-table--zebra-blue report-table" data-testid="report-deadlines">
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
                      <Link to={`/opphold/${d.stayId}`} className="pkt-link">
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
