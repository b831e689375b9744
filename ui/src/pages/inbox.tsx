import { PktAlert, PktButton, PktSelect, PktTag } from '@oslokommune/punkt-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, fetchAll, type StaySummary } from '../api';
import { problemToFormErrors } from '../errors';
import { daysBetween } from '../../../rules/oslo-calendar';
import { MILESTONE_KEYS } from '../../../rules/types';
import { formatDate, formatTimestamp, todayInOslo } from '../format';
import { KEEP_FOCUS, PageTitle, notifyInboxChanged } from '../layout';
import { orgName, useOrganisations } from '../organisations';
import { Pagination } from '../pagination';
import { useSession } from '../session';
import type { InboxItem, InboxPage as Page } from '../../../schemas/inbox';
import { ConsentReminders } from '../stay/consent-reminders';
import { personName } from '../person-name';
import { ESCALATION_KIND, milestoneSection, milestoneTitle, PARTY } from '../texts';

const VIEWS = {
  aktive: { state: 'open,acknowledged', label: 'Åpne og bekreftede', mine: false },
  apne: { state: 'open', label: 'Bare åpne', mine: false },
  mine: { state: 'open,acknowledged', label: 'Mine', mine: true },
  loste: { state: 'resolved', label: 'Løste', mine: false },
} as const;

const WHOSE = {
  alle: { query: '', label: 'Alle' },
  tatt: { query: '&mine=true', label: 'Saker jeg har tatt' },
  mine: { query: '&myResidents=true', label: 'Mine beboere (der jeg er kontakt)' },
} as const;

const STATE_LABEL = { open: 'Åpen', acknowledged: 'Bekreftet', resolved: 'Løst' } as const;
const LEVEL_SKIN = { reminder: 'yellow', overdue: 'red', 'second-level': 'red' } as const;
/** Rows a page: the API pages at most 200 at a time; a page of 100 rows reads well and prints on a few sheets. */
export const INBOX_PAGE_SIZE = 100;

/** "5 dager over fristen" / "fristen er i dag" / "om 3 dager" */
export function daysFromDue(dueDate: string, today = todayInOslo()): string {
  const days = daysBetween(dueDate, today);
  if (days > 0) return `${days} ${days === 1 ? 'dag' : 'dager'} over fristen`;
  if (days === 0) return 'fristen er i dag';
  return `om ${-days} ${days === -1 ? 'dag' : 'dager'}`;
}

/**
 * What an empty view means: no alarm is missing, there is none of that kind (for `whom`, the caller's organisation).
 * An administrator sees every organisation's alarms but is offered no «Ta saken».
 */
export function emptyInbox(view: string, whom: string, admin = false): string {
  switch (view) {
    case 'apne':
      return `Ingen åpne varsler for ${whom}: alle er bekreftet eller løst. De bekreftede ser du under «Åpne og bekreftede».`;
    case 'mine':
      if (admin)
        return 'Som administrator tar du ikke saker, så ingen varsler følges opp av deg. Alle åpne og bekreftede varsler ser du under «Åpne og bekreftede».';
      return 'Du følger ikke opp noen åpne eller bekreftede varsler. Trykk «Ta saken» på et varsel for å følge det opp; det vises da her.';
    case 'loste':
      return `Ingen løste varsler for ${whom} ennå. Et varsel løses når milepælen er registrert eller fristen flyttes.`;
    default:
      return `Ingen åpne eller bekreftede varsler for ${whom}. Et varsel kommer hit når en frist nærmer seg eller er passert.`;
  }
}

type Group = { stayId: string; residentRef: string; institutionId: string; bydelId: string; items: InboxItem[] };

/** The page's items as runs of one resident (the API sorts them so: `sort=resident`). */
export function groupByResident(items: InboxItem[]): Group[] {
  const groups: Group[] = [];
  for (const item of items) {
    const last = groups.at(-1);
    if (last?.stayId === item.stayId) last.items.push(item);
    else
      groups.push({
        stayId: item.stayId,
        residentRef: item.residentRef,
        institutionId: item.institutionId,
        bydelId: item.bydelId,
        items: [item],
      });
  }
  return groups;
}

/**
 * Reminders and escalations addressed to the caller's organisation (GET /api/inbox), grouped by resident with one
 * row per deadline at its current level (the ladder of one deadline climbs one row): acknowledge or take one; a higher
 * level opens it again; it resolves itself when the milestone is done or its due date moves. Filters and paging are
 * in the address, so a filtered page can be shared and reloaded.
 */
export function InboxPage() {
  // The register loads beside the page's own data (not before it); the page shows when both are there, so names never flash as ids.
  const { ready: namesReady } = useOrganisations();
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  const view = (params.get('vis') ?? 'aktive') as keyof typeof VIEWS;
  const whose = (params.get('hvem') ?? 'alle') as keyof typeof WHOSE;
  const level = params.get('niva') ?? '';
  const milestone = params.get('milepael') ?? '';
  const pageNo = Math.max(1, Math.floor(Number(params.get('side') ?? '1')) || 1);
  const [page, setPage] = useState<Page | null>(null);
  const [movingHere, setMovingHere] = useState<StaySummary[]>([]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string | null>(null);
  const summaryRef = useRef<HTMLParagraphElement>(null);
  const focusSummary = useRef(false);

  const query =
    `/api/inbox?sort=resident&state=${VIEWS[view]?.state ?? VIEWS.aktive.state}` +
    `${VIEWS[view]?.mine && whose !== 'tatt' ? '&mine=true' : ''}${WHOSE[whose]?.query ?? ''}` +
    `${level ? `&kind=${level}` : ''}${milestone ? `&milestone=${milestone}` : ''}` +
    `&limit=${INBOX_PAGE_SIZE}&offset=${(pageNo - 1) * INBOX_PAGE_SIZE}`;
  const load = useCallback(
    (signal?: AbortSignal) =>
      api<Page>(query, { signal })
        .then(setPage)
        .catch(
          (err) =>
            (err as Error).name !== 'AbortError' &&
            setError(problemToFormErrors(err, { kindOf: () => undefined }).form),
        ),
    [query],
  );

  useEffect(() => {
    const controller = new AbortController();
    setPage(null);
    setError(undefined);
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const bydel = user?.role === 'bydel' ? user.org : null;
  useEffect(() => {
    if (!bydel) return;
    const controller = new AbortController();
    fetchAll<StaySummary>(`/api/stays?movingTo=${encodeURIComponent(bydel)}`, controller.signal)
      .then(setMovingHere)
      .catch(() => {});
    return () => controller.abort();
  }, [bydel]);

  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    next.delete('side');
    setParams(next);
  };
  const pageHref = (n: number) => {
    const next = new URLSearchParams(params);
    if (n === 1) next.delete('side');
    else next.set('side', String(n));
    return `?${next}`;
  };

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
  const today = todayInOslo();
  const groups = page ? groupByResident(page.items) : [];
  const first = (pageNo - 1) * INBOX_PAGE_SIZE;
  const pages = page ? Math.max(1, Math.ceil(page.total / INBOX_PAGE_SIZE)) : 1;

  // a page past the end (alarms resolved since the link was made): the last page instead, not "no alarms"
  useEffect(() => {
    if (page && page.items.length === 0 && page.total > 0 && pageNo > pages)
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (pages === 1) next.delete('side');
          else next.set('side', String(pages));
          return next;
        },
        { replace: true, state: KEEP_FOCUS },
      );
  }, [page, pageNo, pages, setParams]);

  // after following a page link, the new page is read from its top: focus on the line that says which alarms it shows
  useEffect(() => {
    if (page && namesReady && focusSummary.current) {
      focusSummary.current = false;
      summaryRef.current?.focus();
    }
  }, [page, namesReady]);

  return (
    <>
      <PageTitle>{title}</PageTitle>
      <p className="lead">
        Frister som er passert eller nærmer seg, for{' '}
        {user?.role === 'admin' ? 'alle organisasjoner' : orgName(user?.org)}, samlet per beboer: én linje per frist. Et
        varsel går opp i nivå (påminnelse, forfalt, eskalert videre) og løses av seg selv når milepælen er registrert
        eller fristen flyttes.
      </p>
      <nav aria-label="Vis varsler" className="form-actions no-print inbox-views">
        {Object.entries(VIEWS).map(([key, v]) => (
          <Link key={key} to={`?vis=${key}`} className="pkt-link" aria-current={view === key ? 'page' : undefined}>
            {v.label}
            {page && key === 'apne' && !VIEWS[view]?.mine ? ` (${page.counts.open})` : ''}
            {page && key === 'loste' && !VIEWS[view]?.mine ? ` (${page.counts.resolved})` : ''}
            {page && key === 'aktive' && !VIEWS[view]?.mine ? ` (${page.counts.open + page.counts.acknowledged})` : ''}
            {page && key === 'mine' && view === 'mine' ? ` (${page.total})` : ''}
          </Link>
        ))}
      </nav>
      <fieldset className="inbox-filters no-print">
        <legend className="pkt-sr-only">Filtrer varsler</legend>
        <div className="filters">
          {/* an administrator takes no cases and is nobody's contact: "Hvem" has nothing to choose for them */}
          {user?.role !== 'admin' && (
            <PktSelect
              id="innboks-hvem"
              label="Hvem"
              value={whose}
              onChange={(e) => setFilter('hvem', e.target.value === 'alle' ? '' : e.target.value)}
            >
              {Object.entries(WHOSE).map(([key, w]) => (
                <option key={key} value={key}>
                  {w.label}
                </option>
              ))}
            </PktSelect>
          )}
          <PktSelect id="innboks-niva" label="Nivå" value={level} onChange={(e) => setFilter('niva', e.target.value)}>
            <option value="">Alle nivåer</option>
            {Object.entries(ESCALATION_KIND).map(([key, label]) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
          </PktSelect>
          <PktSelect
            id="innboks-milepael"
            label="Milepæl"
            value={milestone}
            onChange={(e) => setFilter('milepael', e.target.value)}
          >
            <option value="">Alle milepæler</option>
            {MILESTONE_KEYS.map((key) => (
              <option key={key} value={key}>
                {milestoneTitle(key)}
              </option>
            ))}
          </PktSelect>
        </div>
      </fieldset>
      {error && (
        <PktAlert skin="error" role="alert">
          {error}
        </PktAlert>
      )}
      {bydel && namesReady && <MovingHere stays={movingHere.filter((s) => s.movingTo?.bydelId === bydel)} />}
      {user?.role !== 'bydel' && <ConsentReminders />}
      {(!page || !namesReady) && !error && <p aria-live="polite">Laster varsler …</p>}
      {page && namesReady && page.items.length === 0 && (
        <div className="empty" data-testid="inbox-empty">
          {whose !== 'alle' || level || milestone ? (
            <>
              <p>Ingen varsler i «{VIEWS[view]?.label ?? VIEWS.aktive.label}» passer med filtrene.</p>
              <Link to={`?vis=${view}`} className="pkt-link">
                Fjern filtrene
              </Link>
            </>
          ) : (
            <p>
              {user?.role === 'admin'
                ? emptyInbox(view, 'alle organisasjoner', true)
                : emptyInbox(view, orgName(user?.org))}
            </p>
          )}
        </div>
      )}
      {page && namesReady && page.items.length > 0 && (
        <>
          <p ref={summaryRef} tabIndex={-1} className="summary-line" aria-live="polite" data-testid="inbox-summary">
            {page.total === page.items.length
              ? `${page.total} ${page.total === 1 ? 'frist' : 'frister'} hos ${groups.length} ${groups.length === 1 ? 'beboer' : 'beboere'}`
              : `Viser frist ${first + 1}–${first + page.items.length} av ${page.total}`}
          </p>
          <table className="pkt-table inbox-table stack-on-phone" aria-label={`${title}, samlet per beboer`}>
            <thead>
              <tr>
                <th scope="col">Frist</th>
                <th scope="col">Nivå</th>
                <th scope="col">Dato</th>
                <th scope="col">Status</th>
                <th scope="col" className="no-print">
                  <span className="pkt-sr-only">Handlinger</span>
                </th>
              </tr>
            </thead>
            {groups.map((g) => (
              <tbody key={`${g.stayId}-${g.items[0]!.id}`} data-resident-group={g.stayId}>
                <tr className="inbox-table__resident">
                  <th scope="rowgroup" colSpan={5}>
                    <Link to={`/opphold/${g.stayId}`} className="pkt-link">
                      {g.residentRef}
                    </Link>{' '}
                    <span className="muted">
                      · {orgName(g.institutionId)} · {orgName(g.bydelId)} · {g.items.length}{' '}
                      {g.items.length === 1 ? 'frist' : 'frister'}
                    </span>
                  </th>
                </tr>
                {g.items.map((e) => (
                  <tr
                    key={e.id}
                    className={`inbox-row kind-${e.level}`}
                    data-escalation={e.milestone}
                    data-kind={e.kind}
                    data-state={e.state}
                    data-alarm={e.id}
                  >
                    <th scope="row">
                      {milestoneTitle(e.milestone)}{' '}
                      <span className="section">(Fellesskriv {milestoneSection(e.milestone)})</span>
                      {e.steps.length > 1 && (
                        <span className="muted inbox-row__steps" data-testid="alarm-steps">
                          Nivåer:{' '}
                          {e.steps
                            .map((st) => `${ESCALATION_KIND[st.kind] ?? st.kind} ${formatTimestamp(st.createdAt)}`)
                            .join(' → ')}
                        </span>
                      )}
                    </th>
                    <td data-label="Nivå">
                      <PktTag skin={LEVEL_SKIN[e.level]}>{ESCALATION_KIND[e.level] ?? e.level}</PktTag>
                      <span className="inbox-row__to">til {PARTY[e.recipient] ?? e.recipient}</span>
                    </td>
                    <td data-label="Dato">
                      {formatDate(e.dueDate)}
                      <span className="inbox-row__days">{daysFromDue(e.dueDate, today)}</span>
                    </td>
                    <td data-label="Status">
                      <PktTag skin={e.state === 'open' ? 'blue' : 'gray'}>{STATE_LABEL[e.state]}</PktTag>
                      {(e.acknowledgedBy || e.assignedTo || e.milestoneAssignedTo) && (
                        <span className="muted inbox-row__who">
                          {e.acknowledgedBy &&
                            `Bekreftet av ${personName(e.acknowledgedByName, e.acknowledgedBy, user?.sub)}. `}
                          {e.assignedTo && (
                            <span data-testid="assignee">
                              Følges opp av {personName(e.assignedToName, e.assignedTo, user?.sub)}.
                            </span>
                          )}
                          {user?.email && (e.assignedTo === user.sub || e.milestoneAssignedTo === user.sub) && (
                            // what the one who took it can count on: the next levels come to them, not only to coordinators
                            <>
                              {' '}
                              <span data-testid="assignee-mail">
                                Påminnelser og varsler om fristen sendes til {user.email}.
                              </span>
                            </>
                          )}
                          {e.milestoneAssignedTo && e.milestoneAssignedTo !== e.assignedTo && (
                            <>
                              {e.assignedTo && ' '}
                              <span data-testid="milestone-assignee">
                                Milepælen følges opp av{' '}
                                {personName(e.milestoneAssignedToName, e.milestoneAssignedTo, user?.sub)}.
                              </span>
                            </>
                          )}
                        </span>
                      )}
                    </td>
                    <td className="no-print">
                      {e.state !== 'resolved' && user?.role !== 'admin' && (
                        <div className="inbox-row__actions">
                          {e.state === 'open' && (
                            <PktButton
                              type="button"
                              skin="secondary"
                              size="small"
                              disabled={busy === e.id}
                              aria-label={`Bekreft mottatt: ${milestoneTitle(e.milestone)}, ${g.residentRef}`}
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
                              aria-label={`Ta saken: ${milestoneTitle(e.milestone)}, ${g.residentRef}`}
                              onClick={() => act(e, 'assign')}
                            >
                              Ta saken
                            </PktButton>
                          )}
                        </div>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            ))}
          </table>
          <Pagination
            page={pageNo}
            pages={pages}
            hrefFor={pageHref}
            label="Sider med varsler"
            onNavigate={() => {
              focusSummary.current = true;
            }}
          />
        </>
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
