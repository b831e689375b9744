import { PktAlert, PktTag } from '@oslokommune/punkt-react';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, fetchAll, type Escalation, type Page, type StaySummary } from '../api';
import { problemToFormErrors } from '../errors';
import { formatDate, formatTimestamp } from '../format';
import { PageTitle } from '../layout';
import { orgName } from '../organisations';
import { useSession } from '../session';
import { ESCALATION_KIND, milestoneSection, milestoneTitle, PARTY } from '../texts';

/**
 * Open escalations in the caller's scope (GET /api/escalations). Acknowledging and assigning arrive with the
 * inbox API; until then this is the list of missed deadlines, newest first.
 */
export function InboxPage() {
  const { user } = useSession();
  const [items, setItems] = useState<Escalation[] | null>(null);
  const [total, setTotal] = useState(0);
  const [refs, setRefs] = useState<Map<string, string>>(new Map());
  const [error, setError] = useState<string>();

  useEffect(() => {
    const controller = new AbortController();
    api<Page<Escalation>>('/api/escalations?limit=200', { signal: controller.signal })
      .then((page) => {
        setItems(page.items);
        setTotal(page.total);
      })
      .catch((err) => (err as Error).name !== 'AbortError' && setError(problemToFormErrors(err, { kindOf: () => undefined }).form));
    fetchAll<StaySummary>('/api/stays?', controller.signal)
      .then((stays) => setRefs(new Map(stays.map((s) => [s.id, s.residentRef]))))
      .catch(() => {});
    return () => controller.abort();
  }, []);

  const title = user?.role === 'bydel' ? 'Innboks' : 'Varsler';
  return (
    <>
      <PageTitle>{title}</PageTitle>
      <p className="lead">Frister som har gått ut for opphold {user?.role === 'bydel' ? 'i bydelen' : user?.role === 'institution' ? 'ved institusjonen' : 'i hele kommunen'}, nyeste først.</p>
      {error && <PktAlert skin="error">{error}</PktAlert>}
      {!items && !error && <p aria-live="polite">Laster varsler …</p>}
      {items && items.length === 0 && <p>Ingen varsler. Alle frister er overholdt.</p>}
      {items && items.length > 0 && (
        <>
          <p className="summary-line">
            {total} varsler{total > items.length ? ` (viser de ${items.length} nyeste)` : ''}
          </p>
          <ul className="inbox" aria-label={title}>
            {items.map((e) => (
              <li key={e.id} className={`inbox__item kind-${e.kind}`} data-escalation={e.milestone} data-kind={e.kind}>
                <div className="timeline__head">
                  <h2 className="pkt-txt-18-medium">
                    {milestoneTitle(e.milestone)} <span className="section">(Fellesskriv {milestoneSection(e.milestone)})</span>
                  </h2>
                  <PktTag skin={e.kind === 'reminder' ? 'yellow' : 'red'}>{ESCALATION_KIND[e.kind] ?? e.kind}</PktTag>
                </div>
                <p>
                  Frist {formatDate(e.dueDate)} · varslet {formatTimestamp(e.createdAt)} · til {PARTY[e.recipient] ?? e.recipient}
                </p>
                <p>
                  {orgName(e.institutionId)} · {orgName(e.bydelId)} ·{' '}
                  <Link to={`/opphold/${e.stayId}`} className="pkt-link">
                    Åpne opphold {refs.get(e.stayId) ?? ''}
                  </Link>
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
