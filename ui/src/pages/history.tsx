import { PktAlert, PktButton } from '@oslokommune/punkt-react';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, ApiError, tokenStore, type AuditEntry } from '../api';
import { problemToFormErrors } from '../errors';
import { formatDate, formatTimestamp } from '../format';
import { PageTitle } from '../layout';
import { orgName, useOrganisations } from '../organisations';
import { AUDIT_ACTIONS, describeDetails, milestoneSection, milestoneTitle, ROLE } from '../texts';
import { useSession } from '../session';
import { StayRuleDiff } from '../rule-diff';
import { NotFoundStay, useStay } from '../stay/load-stay';
import type { AuditList } from '../../../schemas/stays';
import type { AccessEntry, AccessLog, TemporalLink, WorkflowEvent, WorkflowHistory } from '../../../schemas/admin';

function who(entry: AuditEntry): string {
  if (entry.actor.role === 'system') return 'Systemet';
  const role = ROLE[entry.actor.role] ?? entry.actor.role;
  return `${role}${entry.actor.org ? ` ${orgName(entry.actor.org)}` : ''}${entry.actor.sub ? ` (${entry.actor.sub})` : ''}`;
}

export function describeEntry(entry: AuditEntry): string {
  const action = AUDIT_ACTIONS[entry.action];
  const milestone = entry.milestone
    ? `«${milestoneTitle(entry.milestone)}» (${milestoneSection(entry.milestone)})`
    : '';
  if (entry.action.startsWith('escalation.')) {
    const due = typeof entry.details?.dueDate === 'string' ? `, frist ${formatDate(entry.details.dueDate)}` : '';
    return `${action ?? entry.action} ${milestone}${due}`;
  }
  const date =
    typeof entry.details?.doneAt === 'string'
      ? ` med dato ${formatDate(entry.details.doneAt)}`
      : typeof entry.details?.date === 'string'
        ? ` med dato ${formatDate(entry.details.date)}`
        : '';
  return `${who(entry)} ${action ?? entry.action}${milestone ? ` ${milestone}` : ''}${date}`;
}

function download(name: string, content: Blob) {
  const url = URL.createObjectURL(content);
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  URL.revokeObjectURL(url);
}

/** The server's full export (GDPR art. 15, case reviews), saved as the file the API names; the download is logged. */
async function downloadServerExport(stayId: string, format: 'html' | 'json'): Promise<void> {
  const token = tokenStore.get();
  const response = await fetch(`/api/stays/${stayId}/export?format=${format}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (!response.ok) throw new ApiError({ status: response.status, title: response.statusText, detail: '' });
  const name =
    /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `opphold-${stayId}.${format}`;
  download(name, await response.blob());
}

const csvCell = (v: string) => `"${v.replace(/"/g, '""')}"`;

/** Admin only: the decoded Temporal history and who read the stay (both reads are themselves logged). */
function AdminSections({ stayId }: { stayId: string }) {
  const [webUiUrl, setWebUiUrl] = useState<string | null>(null);
  useEffect(() => {
    api<TemporalLink>(`/api/stays/${stayId}/temporal-link`)
      .then((r) => setWebUiUrl(r.webUiUrl))
      .catch(() => setWebUiUrl(null));
  }, [stayId]);
  const [events, setEvents] = useState<WorkflowEvent[] | null>(null);
  const [reads, setReads] = useState<AccessEntry[] | null>(null);
  const [error, setError] = useState<string>();
  const load = () => {
    setError(undefined);
    Promise.all([
      api<WorkflowHistory>(`/api/stays/${stayId}/workflow-history`),
      api<AccessLog>(`/api/stays/${stayId}/access-log`),
    ])
      .then(([w, a]) => {
        setEvents(w.items);
        setReads(a.items);
      })
      .catch((err) => setError(problemToFormErrors(err, { kindOf: () => undefined }).form));
  };
  return (
    <section aria-labelledby="teknisk" className="block">
      <h2 id="teknisk" className="pkt-txt-22-medium">
        For administratorer
      </h2>
      <p>
        Workflow-ID i Temporal: <code>stay:{stayId}</code>. Å vise hendelsene og lesingene blir selv loggført.
      </p>
      <div className="form-actions">
        <PktButton
          type="button"
          skin="secondary"
          size="small"
          onClick={() =>
            downloadServerExport(stayId, 'html').catch(() => setError('Eksporten kunne ikke lastes ned. Prøv igjen.'))
          }
        >
          Last ned fullstendig eksport for utskrift (HTML)
        </PktButton>
        <PktButton
          type="button"
          skin="tertiary"
          size="small"
          onClick={() =>
            downloadServerExport(stayId, 'json').catch(() => setError('Eksporten kunne ikke lastes ned. Prøv igjen.'))
          }
        >
          Last ned fullstendig eksport (JSON)
        </PktButton>
      </div>
      <p className="pkt-txt-14">
        Til innsynsbegjæringer (personvernforordningen art. 15) og saksgjennomganger. Nedlastingen blir loggført.
      </p>
      {webUiUrl && (
        <p>
          <a href={webUiUrl} className="pkt-link" target="_blank" rel="noopener noreferrer">
            Åpne workflowen i Temporal Web UI (åpnes i ny fane)
          </a>
        </p>
      )}
      <StayRuleDiff stayId={stayId} />
      {!events && (
        <PktButton type="button" skin="secondary" size="small" onClick={load}>
          Vis Temporal-hendelser og hvem som har lest oppholdet
        </PktButton>
      )}
      {error && <PktAlert skin="error">{error}</PktAlert>}
      {events && (
        <>
          <h3 className="pkt-txt-18-medium">Hendelser i workflowen ({events.length})</h3>
          <ol className="history" aria-label="Hendelser i workflowen">
            {events.map((e) => (
              <li key={e.id} className="history__item">
                <p className="history__time">
                  {e.time ? formatTimestamp(e.time) : '–'} · #{e.id}
                </p>
                <p className="history__what">
                  <code>{e.type}</code> {e.summary}
                </p>
              </li>
            ))}
          </ol>
        </>
      )}
      {reads && (
        <>
          <h3 className="pkt-txt-18-medium">Lesinger av oppholdet ({reads.length})</h3>
          <table className="pkt-table">
            <caption className="pkt-sr-only">Hvem som har lest oppholdet, og når</caption>
            <thead>
              <tr>
                <th scope="col">Tidspunkt</th>
                <th scope="col">Hvem</th>
                <th scope="col">Visning</th>
              </tr>
            </thead>
            <tbody>
              {reads.map((r, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a read-only log, replaced whole on each load and never reordered; its entries carry no id.
                <tr key={i}>
                  <td>{formatTimestamp(r.at)}</td>
                  <td>
                    {ROLE[r.actor.role] ?? r.actor.role} {r.actor.org ? orgName(r.actor.org) : ''} ({r.actor.sub})
                  </td>
                  <td>{r.view}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

export function HistoryPage() {
  // The register loads beside the page's own data (not before it); the page shows when both are there, so names never flash as ids.
  const { ready: namesReady } = useOrganisations();
  const { user } = useSession();
  const { id } = useParams();
  const { stay, error } = useStay(id);
  const [items, setItems] = useState<AuditEntry[] | null>(null);
  const [historyError, setHistoryError] = useState<string>();
  useEffect(() => {
    if (!id) return;
    api<AuditList>(`/api/stays/${id}/history`)
      .then((r) => setItems(r.items))
      .catch(
        (err) =>
          !(err instanceof ApiError && err.status === 404) &&
          setHistoryError(problemToFormErrors(err, { kindOf: () => undefined }).form),
      );
  }, [id]);

  if (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 400)) return <NotFoundStay />;
    return <PktAlert skin="error">{problemToFormErrors(error, { kindOf: () => undefined }).form}</PktAlert>;
  }
  if (!stay || !namesReady) return <p aria-live="polite">Laster historikken …</p>;

  const exportCsv = () =>
    download(
      `historikk-${stay.residentRef}.csv`,
      new Blob(
        [
          [
            'Tidspunkt;Hvem;Hva;Detaljer',
            ...(items ?? []).map((e) =>
              [
                formatTimestamp(e.at),
                who(e),
                describeEntry(e),
                describeDetails(e.milestone ?? '', e.details, orgName).join(' | '),
              ]
                .map(csvCell)
                .join(';'),
            ),
          ].join('\n'),
        ],
        { type: 'text/csv;charset=utf-8' },
      ),
    );

  return (
    <>
      <PageTitle>{`Historikk for ${stay.residentRef}`}</PageTitle>
      <p>
        {orgName(stay.institutionId)} · {orgName(stay.bydelId)} · innskrevet {formatDate(stay.admittedAt)} ·{' '}
        <Link to={`/opphold/${stay.id}`} className="pkt-link">
          Til oppholdet
        </Link>
      </p>
      {historyError && <PktAlert skin="error">{historyError}</PktAlert>}
      {!items && !historyError && <p aria-live="polite">Laster hendelser …</p>}
      {items && (
        <>
          <div className="form-actions">
            <PktButton type="button" skin="secondary" size="small" onClick={exportCsv}>
              Eksporter som CSV
            </PktButton>
            <PktButton
              type="button"
              skin="tertiary"
              size="small"
              onClick={() =>
                download(
                  `historikk-${stay.residentRef}.json`,
                  new Blob([JSON.stringify(items, null, 2)], { type: 'application/json' }),
                )
              }
            >
              Eksporter som JSON
            </PktButton>
          </div>
          <ol className="history" aria-label="Hendelser, eldste først">
            {items.map((e) => (
              <li key={e.seq} className={`history__item action-${e.action.replace(/\W/g, '-')}`}>
                <p className="history__time">
                  <time dateTime={e.at}>{formatTimestamp(e.at)}</time>
                </p>
                <p className="history__what">{describeEntry(e)}</p>
                {describeDetails(e.milestone ?? '', e.details, orgName).length > 0 && (
                  <ul className="timeline__details">
                    {describeDetails(e.milestone ?? '', e.details, orgName).map((line) => (
                      <li key={line}>{line}</li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
      {user?.role === 'admin' && <AdminSections stayId={stay.id} />}
    </>
  );
}
