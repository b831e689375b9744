import { PktAlert, PktButton, PktTag } from '@oslokommune/punkt-react';
import { useCallback, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, fetchAll, type StaySummary } from '../api';
import { problemToFormErrors } from '../errors';
import { formatDate, formatTimestamp } from '../format';
import { PageTitle, notifyInboxChanged } from '../layout';
import { orgName, useOrganisations } from '../organisations';
import { useSession } from '../session';
import type { InboxItem } from '../../../schemas/inbox';
import { ESCALATION_KIND, milestoneSection, milestoneTitle, PARTY } from '../texts';

export type InboxPage = {
  items: InboxItem[];
  total: number;
  counts: { open: number; acknowledged: number; resolved: number };
};

const VIEWS = {
  aktive: { state: 'open,acknowledged', label: 'Åpne og bekreftede', mine: false },
  apne: { state: 'open', label: 'Bare åpne', mine: false },
  mine: { state: 'open,acknowledged', label: 'Mine', mine: true },
  loste: { state: 'resolved', label: 'Løste', mine: false },
} as const;

/** A person by name (from their login or the stay's contacts); someone the app cannot name is "en kollega". */
const personName = (name: string | null, sub: string | null, me: string | undefined) =>
  sub && sub === me ? 'deg' : (name ?? 'en kollega');

const STATE_LABEL = { open: 'Åpen', acknowledged: 'Bekreftet', resolved: 'Løst' } as const;
const LEVEL_SKIN = { reminder: 'yellow', overdue: 'red', 'second-level': 'red' } as const;

/**
 * Reminders and escalations addressed to the caller's organisation (GET /api/inbox), one row per deadline at its
 * current level (the ladder of one deadline climbs one row): acknowledge or take one; a higher level opens it again;
 * it resolves itself when the milestone is done or its due date moves.
 */
export function InboxPage() {
  // The register loads beside the page's own data (not before it); the page shows when both are there, so names never flash as ids.
  const { ready: namesReady } = useOrganisations();
  const { user } = useSession();
  const [params] = useSearchParams();
  const view = (params.get('vis') ?? 'aktive') as keyof typeof VIEWS;
  const [page, setPage] = useState<InboxPage | null>(null);
  const [stays, setStays] = useState<StaySummary[]>([]);
  const refs = new Map(stays.map((s) => [s.id, s.residentRef]));
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(
    (signal?: AbortSignal) =>
      api<InboxPage>(
        `/api/inbox?state=${VIEWS[view]?.state ?? VIEWS.aktive.state}${VIEWS[view]?.mine ? '&mine=true' : ''}&limit=200`,
        { signal },
      )
        .then(setPage)
        .catch(
          (err) =>
            (err as Error).name !== 'AbortError' &&
            setError(problemToFormErrors(err, { kindOf: () => undefined }).form),
        ),
    [view],
  );

  useEffect(() => {
    const controller = new AbortController();
    setPage(null);
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  useEffect(() => {
    const controller = new AbortController();
    fetchAll<StaySummary>('/api/stays?', controller.signal)
      .then(setStays)
      .catch(() => {});
    return () => controller.abort();
  }, []);

  const act = async (item: InboxItem, action: 'acknowledge' | 'assign') => {
    setBusy(item.id);
    setError(undefined);
    try {
      await api(`/api/inbox/${item.id}/${action}`, { method: 'POST', body: {} });
      await load();
      notifyInboxChanged();
    } catch (err) {
      setError(problemToFormErrors(err, { kindOf: () => undefined }).form);
    } finally {
      setBusy(null);
    }
  };

  const title = user?.role === 'bydel' ? 'Innboks' : 'Varsler';
  return (
    <>
      <PageTitle>{title}</PageTitle>
      <p className="lead">
        Påminnelser og forfalte frister til {user?.role === 'admin' ? 'alle organisasjoner' : orgName(user?.org)},
        nyeste først. Hver frist har ett varsel som går opp i nivå (påminnelse, forfalt, eskalert videre); et nytt nivå
        åpner varselet igjen. Et varsel løses av seg selv når milepælen er registrert eller fristen flyttes.
      </p>
      <nav aria-label="Vis varsler" className="form-actions">
        {Object.entries(VIEWS).map(([key, v]) => (
          <Link key={key} to={`?vis=${key}`} className="pkt-link" aria-current={view === key ? 'page' : undefined}>
            {v.label}
            {page && key === 'apne' ? ` (${page.counts.open})` : ''}
            {page && key === 'loste' ? ` (${page.counts.resolved})` : ''}
            {page && key === 'aktive' && !VIEWS[view]?.mine ? ` (${page.counts.open + page.counts.acknowledged})` : ''}
            {page && key === 'mine' && view === 'mine' ? ` (${page.total})` : ''}
          </Link>
        ))}
      </nav>
      {error && (
        <PktAlert skin="error" role="alert">
          {error}
        </PktAlert>
      )}
      {user?.role === 'bydel' && namesReady && (
        <MovingHere stays={stays.filter((s) => s.movingTo?.bydelId === user.org)} />
      )}
      {(!page || !namesReady) && !error && <p aria-live="polite">Laster varsler …</p>}
      {page && namesReady && page.items.length === 0 && <p>Ingen varsler her.</p>}
      {page && namesReady && page.items.length > 0 && (
        <ul className="inbox" aria-label={title}>
          {page.items.map((e) => (
            <li
              key={e.id}
              className={`inbox__item kind-${e.level}`}
              data-escalation={e.milestone}
              data-kind={e.kind}
              data-state={e.state}
              data-alarm={e.id}
            >
              <div className="timeline__head">
                <h2 className="pkt-txt-18-medium">
                  {milestoneTitle(e.milestone)}{' '}
                  <span className="section">(Fellesskriv {milestoneSection(e.milestone)})</span>
                </h2>
                <span className="tags">
                  <PktTag skin={LEVEL_SKIN[e.level]}>{ESCALATION_KIND[e.level] ?? e.level}</PktTag>{' '}
                  <PktTag skin={e.state === 'open' ? 'blue' : 'gray'}>{STATE_LABEL[e.state]}</PktTag>
                </span>
              </div>
              <p>
                Frist {formatDate(e.dueDate)} · varslet {formatTimestamp(e.createdAt)} · til{' '}
                {PARTY[e.recipient] ?? e.recipient}
              </p>
              {e.steps.length > 1 && (
                <p className="muted" data-testid="alarm-steps">
                  Nivåer:{' '}
                  {e.steps
                    .map((s) => `${ESCALATION_KIND[s.kind] ?? s.kind} ${formatTimestamp(s.createdAt)}`)
                    .join(' → ')}
                </p>
              )}
              <p>
                {orgName(e.institutionId)} · {orgName(e.bydelId)} ·{' '}
                <Link to={`/opphold/${e.stayId}`} className="pkt-link">
                  Åpne opphold {refs.get(e.stayId) ?? ''}
                </Link>
              </p>
              {(e.acknowledgedBy || e.assignedTo) && (
                <p className="muted">
                  {e.acknowledgedBy &&
                    `Bekreftet av ${personName(e.acknowledgedByName, e.acknowledgedBy, user?.sub)}${e.acknowledgedAt ? ` ${formatTimestamp(e.acknowledgedAt)}` : ''}. `}
                  {e.assignedTo && (
                    <span data-testid="assignee">
                      Følges opp av {personName(e.assignedToName, e.assignedTo, user?.sub)}
                      {e.assignedTo === user?.sub && e.assignedToName ? ` (${e.assignedToName})` : ''}.
                    </span>
                  )}
                </p>
              )}
              {e.state !== 'resolved' && user?.role !== 'admin' && (
                <div className="form-actions">
                  {e.state === 'open' && (
                    <PktButton
                      type="button"
                      skin="secondary"
                      size="small"
                      disabled={busy === e.id}
                      onClick={() => act(e, 'acknowledge')}
                    >
                      Bekreft mottatt
                    </PktButton>
                  )}
                  {e.assignedTo !== user?.sub && (
                    <PktButton
                      type="button"
                      skin="tertiary"
                      size="small"
                      disabled={busy === e.id}
                      onClick={() => act(e, 'assign')}
                    >
                      Ta saken
                    </PktButton>
                  )}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/**
 * Residents moving to the coordinator's bydel from another one (housing offered here, §3): its booppfølger is to be
 * involved early. The stays can be read; the current bydel records in them until the bydel change.
 */
function MovingHere({ stays }: { stays: StaySummary[] }) {
  if (stays.length === 0) return null;
  return (
    <section aria-labelledby="flytter-hit" className="block moving-here-list" data-testid="moving-here-list">
      <h2 id="flytter-hit" className="pkt-txt-22-medium">
        Flytter til bydelen ({stays.length})
      </h2>
      <p>
        Beboere som har fått tilbud om bolig i bydelen. Involver booppfølgeren tidlig (Fellesskriv §3). Den nåværende
        bydelen registrerer i oppholdet til bydelsbyttet er registrert.
      </p>
      <ul>
        {stays.map((s) => (
          <li key={s.id} data-moving-here={s.id}>
            <Link to={`/opphold/${s.id}`} className="pkt-link">
              {s.residentRef}
            </Link>{' '}
            · fra {orgName(s.bydelId)} · bolig tilbudt {formatDate(s.movingTo!.housingOfferedOn)}
            {s.movingTo!.expectedMoveInDate
              ? ` · forventet innflytting ${formatDate(s.movingTo!.expectedMoveInDate)}`
              : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}
