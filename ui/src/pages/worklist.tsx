import { PktAlert, PktCheckbox, PktSelect, PktTag, PktTextinput } from '@oslokommune/punkt-react';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { DUE_SOON_DAYS } from '../../../rules/due-soon';
import { STAY_LIST_MAX_LIMIT, StayListQuery, type StayList, type StaySort } from '../../../schemas/stays';
import { api, type StaySummary } from '../api';
import { CalendarFeeds } from '../calendar-feeds';
import { problemToFormErrors } from '../errors';
import { formatDate, isDueSoon, todayInOslo } from '../format';
import { KEEP_FOCUS, PageTitle } from '../layout';
import { Pagination } from '../pagination';
import { useLikelyLate } from '../reports/forecast';
import { orgName, useOrganisations } from '../organisations';
import { useSession } from '../session';
import { personName } from '../person-name';
import { milestoneTitle, STAY_STATUS } from '../texts';

export type StayTone = 'overdue' | 'due-soon' | 'on-track' | 'done';

export function stayTone(stay: StaySummary, today = todayInOslo()): StayTone {
  if (stay.overdueCount > 0) return 'overdue';
  if (!stay.nextDueDate || stay.status !== 'active') return 'done';
  return isDueSoon(stay.nextDueDate, today) ? 'due-soon' : 'on-track';
}

const TONE_TAG: Record<StayTone, { skin: 'red' | 'yellow' | 'green' | 'gray'; text: (s: StaySummary) => string }> = {
  overdue: { skin: 'red', text: (s) => `Forfalt (${s.overdueCount})` },
  'due-soon': { skin: 'yellow', text: () => 'Frist snart' },
  'on-track': { skin: 'green', text: () => 'I rute' },
  done: { skin: 'gray', text: () => 'Ingen åpne frister' },
};

/** Stays per page as the list opens: a screenful, and one fast read however many stays the organisation has. */
export const WORKLIST_PAGE_SIZE = 50;
/**
 * The page sizes one may choose ("Vis per side"): fewer to keep a page short, more to go through many stays (a primary
 * contact or a leader) without paging; never more than the API gives in one page.
 */
export const WORKLIST_PAGE_SIZES = [25, WORKLIST_PAGE_SIZE, 100, 200].filter((n) => n <= STAY_LIST_MAX_LIMIT);
/** The chosen page size from the address: one of those offered, else the default (an old or edited link). */
const pageSizeOf = (value: string | null): number => {
  const n = Number(value);
  return WORKLIST_PAGE_SIZES.includes(n) ? n : WORKLIST_PAGE_SIZE;
};

const STATUSES = ['active', 'completed', 'ended', 'all'] as const;
type StatusFilter = (typeof STATUSES)[number];

/** The orders the page offers (the API's `sort`), in the order of the select; the first is the default. */
const SORTS: Record<StaySort, { label: string; lead: string; column: 'resident' | 'admitted' | 'next' }> = {
  'next-deadline': { label: 'Neste frist', lead: 'Sortert etter neste frist', column: 'next' },
  admitted: {
    label: 'Innskrevet, nyeste først',
    lead: 'Sortert etter innskrivingsdato, nyeste først',
    column: 'admitted',
  },
  resident: { label: 'Beboerreferanse', lead: 'Sortert etter beboerreferanse', column: 'resident' },
};
const DEFAULT_SORT: StaySort = 'next-deadline';
const isSort = (value: string | null): value is StaySort => value !== null && Object.hasOwn(SORTS, value);

/** The search as the API takes it; what it would refuse is explained next to the field instead of sent. */
const searchProblem = (text: string): string | undefined =>
  StayListQuery.shape.search.safeParse(text).success
    ? undefined
    : 'Søk med bokstaver (a–z), tall og . _ : - som i beboerreferansen, høyst 64 tegn.';

/** How long typing may pause before the search is run (and written to the address). */
const SEARCH_PAUSE_MS = 300;

const COUNT = new Intl.NumberFormat('nb-NO');

/**
 * The organisation's stays, one page at a time (GET /api/stays): the API filters, orders, counts and pages, so the
 * first page shows as fast with 5,000 stays as with 50. Filters, order and page are in the address: a reload, the back
 * button and a shared link show the same page.
 */
export function WorklistPage() {
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  const status: StatusFilter = (STATUSES as readonly string[]).includes(params.get('status') ?? '')
    ? (params.get('status') as StatusFilter)
    : 'active';
  const overdueOnly = params.get('overdue') === 'true';
  const mineOnly = params.get('mine') === 'true';
  const org = params.get('org') ?? '';
  const search = (params.get('sok') ?? '').trim();
  const sortParam = params.get('sortering');
  const sort: StaySort = isSort(sortParam) ? sortParam : DEFAULT_SORT;
  const pageNo = Math.max(1, Math.floor(Number(params.get('side') ?? '1')) || 1);
  const pageSize = pageSizeOf(params.get('per-side'));
  const [searchText, setSearchText] = useState(search);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string>();
  const [list, setList] = useState<StayList | null>(null);
  // what is beside the list (hints, calendars) is asked for once its first page is here (or failed), so that it does
  // not compete with it for the API
  const [besideReady, setBesideReady] = useState(false);
  const likelyLate = useLikelyLate(besideReady);
  const summaryRef = useRef<HTMLParagraphElement>(null);
  const focusSummary = useRef(false);

  const orgFilterKey = user?.role === 'institution' ? 'bydelId' : 'institutionId';
  const badSearch = search ? searchProblem(search) : undefined;
  /** Anything but the list as it opens (the active stays, in any order): an empty list is the filters', not the organisation's. */
  const filtered = status !== 'active' || overdueOnly || mineOnly || org !== '' || search !== '';
  // a layout effect: the request leaves before the browser paints the page around it, not after
  useLayoutEffect(() => {
    if (badSearch) return;
    const controller = new AbortController();
    const query = new URLSearchParams();
    if (status !== 'all') query.set('status', status);
    if (overdueOnly) query.set('overdue', 'true');
    if (mineOnly) query.set('mine', 'true');
    if (org) query.set(orgFilterKey, org);
    if (search) query.set('search', search);
    query.set('sort', sort);
    query.set('limit', String(pageSize));
    query.set('offset', String((pageNo - 1) * pageSize));
    setLoading(true);
    setError(undefined);
    api<StayList>(`/api/stays?${query}`, { signal: controller.signal })
      .then((page) => {
        setList(page);
        setLoading(false);
        setBesideReady(true);
      })
      .catch((err) => {
        if ((err as Error).name === 'AbortError') return;
        setError(problemToFormErrors(err, { kindOf: () => undefined }).form);
        setLoading(false);
        setBesideReady(true);
      });
    return () => controller.abort();
  }, [status, overdueOnly, mineOnly, org, orgFilterKey, search, sort, pageNo, pageSize, badSearch]);

  const pages = list ? Math.max(1, Math.ceil(list.total / pageSize)) : 1;
  const setParam = useCallback(
    (name: string, value: string | null) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (value === null || value === '') next.delete(name);
          else next.set(name, value);
          // other filters, another list: it starts at its first page
          next.delete('side');
          return next;
        },
        { replace: true, state: KEEP_FOCUS },
      ),
    [setParams],
  );
  const pageHref = (n: number) => {
    const next = new URLSearchParams(params);
    if (n === 1) next.delete('side');
    else next.set('side', String(n));
    return `?${next}`;
  };

  // typing runs the search once it pauses (and only a search the API takes); the address follows it, so that back and
  // reload keep it. `written` is the last search written there, to tell it from one the address brought (back, a link).
  const typed = searchText.trim();
  const typedProblem = typed ? searchProblem(typed) : undefined;
  const written = useRef(search);
  useEffect(() => {
    if (typed === search || typedProblem) return;
    const timer = setTimeout(() => {
      written.current = typed;
      setParam('sok', typed);
    }, SEARCH_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [typed, typedProblem, search, setParam]);
  useEffect(() => {
    if (search === written.current) return;
    written.current = search;
    setSearchText(search);
  }, [search]);

  // a page past the end (fewer stays since the link was made): the last page instead
  useEffect(() => {
    if (list && list.items.length === 0 && list.total > 0 && pageNo > pages)
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          next.set('side', String(pages));
          return next;
        },
        { replace: true, state: KEEP_FOCUS },
      );
  }, [list, pageNo, pages, setParams]);

  // after following a page link, the new page is read from its top: focus on the line that says which stays it shows
  useEffect(() => {
    if (!loading && list && focusSummary.current) {
      focusSummary.current = false;
      summaryRef.current?.focus();
    }
  }, [loading, list]);

  const today = todayInOslo();
  const title =
    user?.role === 'institution' ? 'Mine opphold' : user?.role === 'bydel' ? 'Bydelens opphold' : 'Alle opphold';
  // the register loads beside the list (not before it); rows show when both are there, so names never flash as ids
  const { ofKind, ready: namesReady } = useOrganisations();
  // old stays may name a deactivated organisation: the filter offers them all
  const orgOptions = ofKind(user?.role === 'institution' ? 'bydel' : 'institution', { includeInactive: true });
  const visible = list?.items ?? [];
  const first = list ? list.offset + 1 : 0;
  const last = list ? list.offset + list.items.length : 0;
  // clearing the filters keeps how the list is shown (order, page size)
  const kept = new URLSearchParams();
  if (sort !== DEFAULT_SORT) kept.set('sortering', sort);
  if (pageSize !== WORKLIST_PAGE_SIZE) kept.set('per-side', String(pageSize));
  const clearFiltersHref = `?${kept}`;
  const ariaSort = (column: (typeof SORTS)[StaySort]['column']) =>
    SORTS[sort].column === column ? (sort === 'admitted' ? 'descending' : 'ascending') : undefined;

  return (
    <>
      <PageTitle>{title}</PageTitle>
      <p className="lead">
        {user?.org ? `${orgName(user.org)}. ` : ''}
        {SORTS[sort].lead}. Rødt er forfalt, gult har frist innen {DUE_SOON_DAYS} dager.
      </p>
      <search className="filters" aria-label="Filtrer opphold">
        <PktSelect
          id="filter-status"
          label="Status"
          value={status}
          onChange={(e) => setParam('status', e.target.value === 'active' ? null : e.target.value)}
        >
          <option value="active">Aktive</option>
          <option value="completed">Fullførte</option>
          <option value="ended">Avsluttede</option>
          <option value="all">Alle</option>
        </PktSelect>
        <PktSelect
          id="filter-org"
          label={orgFilterKey === 'bydelId' ? 'Bydel' : 'Institusjon'}
          value={org}
          onChange={(e) => setParam('org', e.target.value)}
        >
          <option value="">Alle</option>
          {orgOptions.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </PktSelect>
        <PktTextinput
          id="filter-search"
          label="Søk på beboerreferanse"
          value={searchText}
          onChange={(e) => setSearchText(e.target.value)}
          hasError={!!typedProblem}
          errorMessage={typedProblem}
          type="search"
          autocomplete="off"
        />
        <PktSelect
          id="filter-sort"
          label="Sorter etter"
          value={sort}
          onChange={(e) => setParam('sortering', e.target.value === DEFAULT_SORT ? null : e.target.value)}
        >
          {Object.entries(SORTS).map(([key, o]) => (
            <option key={key} value={key}>
              {o.label}
            </option>
          ))}
        </PktSelect>
        <PktSelect
          id="filter-page-size"
          label="Vis per side"
          value={String(pageSize)}
          onChange={(e) => setParam('per-side', Number(e.target.value) === WORKLIST_PAGE_SIZE ? null : e.target.value)}
        >
          {WORKLIST_PAGE_SIZES.map((n) => (
            <option key={n} value={n}>
              {n} opphold
            </option>
          ))}
        </PktSelect>
        {user?.role !== 'admin' && (
          <PktCheckbox
            id="filter-mine"
            label="Mine beboere (der jeg er kontaktperson)"
            checked={mineOnly}
            onChange={(e) => setParam('mine', e.target.checked ? 'true' : null)}
          />
        )}
        <PktCheckbox
          id="filter-overdue"
          label="Bare opphold med forfalte frister"
          checked={overdueOnly}
          onChange={(e) => setParam('overdue', e.target.checked ? 'true' : null)}
        />
      </search>
      {error && <PktAlert skin="error">{error}</PktAlert>}
      {(list === null || !namesReady) && !error && !badSearch && <p aria-live="polite">Laster opphold …</p>}
      {list !== null && namesReady && !badSearch && (
        <>
          <p ref={summaryRef} tabIndex={-1} aria-live="polite" className="summary-line" data-testid="worklist-summary">
            {list.total === 0
              ? '0 opphold'
              : `Viser ${COUNT.format(first)}–${COUNT.format(last)} av ${COUNT.format(list.total)} opphold`}
            {list.counts.overdue ? ` · ${COUNT.format(list.counts.overdue)} med forfalte frister` : ''}
            {list.counts.dueSoon ? ` · ${COUNT.format(list.counts.dueSoon)} med frist snart` : ''}
          </p>
          {visible.length === 0 ? (
            <div className="empty" data-testid="worklist-empty">
              {filtered ? (
                <>
                  <p>Ingen opphold passer med filtrene.</p>
                  <Link to={clearFiltersHref} className="pkt-link">
                    Fjern filtrene
                  </Link>
                </>
              ) : (
                <EmptyWorklist role={user?.role} org={user?.org} />
              )}
            </div>
          ) : (
            <table
              className="pkt-table pkt-table--zebra-blue worklist stack-on-phone"
              data-testid="worklist"
              aria-busy={loading}
              data-page={pageNo}
            >
              <caption className="pkt-sr-only">
                {title}, {SORTS[sort].lead.toLowerCase()}, side {pageNo} av {pages}
              </caption>
              <thead>
                <tr>
                  <th scope="col" aria-sort={ariaSort('resident')}>
                    Beboer
                  </th>
                  <th scope="col">{user?.role === 'institution' ? 'Bydel' : 'Institusjon'}</th>
                  {user?.role === 'admin' && <th scope="col">Bydel</th>}
                  <th scope="col" aria-sort={ariaSort('admitted')}>
                    Innskrevet
                  </th>
                  <th scope="col" aria-sort={ariaSort('next')}>
                    Neste frist
                  </th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {visible.map((s) => {
                  const tone = stayTone(s, today);
                  return (
                    <tr key={s.id} className={`tone-${tone}`}>
                      <th scope="row">
                        <Link to={`/opphold/${s.id}`} className="pkt-link">
                          {s.residentRef}
                        </Link>
                        {user?.role === 'bydel' && s.movingTo?.bydelId === user.org && (
                          <span className="moving-here" data-moving-from={s.bydelId}>
                            {' '}
                            · flytter hit fra {orgName(s.bydelId)}
                          </span>
                        )}
                      </th>
                      <td data-label={user?.role === 'institution' ? 'Bydel' : 'Institusjon'}>
                        {orgName(user?.role === 'institution' ? s.bydelId : s.institutionId)}
                      </td>
                      {user?.role === 'admin' && <td data-label="Bydel">{orgName(s.bydelId)}</td>}
                      <td data-label="Innskrevet">{formatDate(s.admittedAt)}</td>
                      <td data-label="Neste frist" data-next-milestone={s.nextMilestone ?? undefined}>
                        {s.status === 'active' ? (
                          <>
                            {formatDate(s.nextDueDate)}
                            {s.nextMilestone && (
                              <span className="next-milestone">{milestoneTitle(s.nextMilestone)}</span>
                            )}
                            {s.nextMilestoneAssignee && (
                              <span className="next-milestone" data-testid="next-milestone-assignee">
                                Følges opp av{' '}
                                {personName(s.nextMilestoneAssignee.name, s.nextMilestoneAssignee.userId, user?.sub)}
                              </span>
                            )}
                          </>
                        ) : (
                          STAY_STATUS[s.status]
                        )}
                      </td>
                      <td data-label="Status">
                        <PktTag skin={TONE_TAG[tone].skin}>{TONE_TAG[tone].text(s)}</PktTag>
                        {likelyLate.has(s.id) && (
                          <span className="likely-late" data-likely-late={s.id}>
                            {' '}
                            <PktTag skin="beige">Kan bli forsinket</PktTag>
                            <span className="next-milestone">
                              {likelyLate
                                .get(s.id)!
                                .map((i) => `${milestoneTitle(i.milestone)} ${formatDate(i.dueDate)}`)
                                .join(', ')}
                            </span>
                          </span>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          <Pagination
            page={pageNo}
            pages={pages}
            hrefFor={pageHref}
            label="Sider med opphold"
            onNavigate={() => {
              focusSummary.current = true;
            }}
          />
        </>
      )}
      <div className="form-actions block">
        <Link to="/opphold/ny" className="pkt-btn pkt-btn--secondary pkt-btn--medium">
          Registrer nytt opphold
        </Link>
      </div>
      {user && user.role !== 'admin' && besideReady && <CalendarFeeds />}
    </>
  );
}

/**
 * The list as it opens is empty: the organisation has no active stays. Whether it has any at all (then there is
 * nothing to find, and a stay is registered when a resident is admitted) is asked once, only then.
 */
function EmptyWorklist({ role, org }: { role?: string; org?: string | null }) {
  const [anyStays, setAnyStays] = useState<boolean | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    api<StayList>('/api/stays?limit=1', { signal: controller.signal })
      .then((page) => setAnyStays(page.total > 0))
      .catch(() => {});
    return () => controller.abort();
  }, []);
  const whose = org ? orgName(org) : 'noen organisasjon';
  if (anyStays)
    return (
      <>
        <p>Ingen aktive opphold for {whose}. Fullførte og avsluttede opphold finner du med filteret Status.</p>
        <Link to="?status=all" className="pkt-link">
          Vis alle opphold
        </Link>
      </>
    );
  if (anyStays === null) return <p>Ingen aktive opphold for {whose}.</p>;
  return (
    <p>
      Ingen opphold er registrert for {whose} ennå.{' '}
      {role === 'institution'
        ? 'Når en beboer skrives inn, registrerer du oppholdet med «Registrer nytt opphold» nedenfor.'
        : role === 'bydel'
          ? 'Et opphold vises her når institusjonen har registrert det for en beboer fra bydelen.'
          : 'Et opphold vises her når en institusjon eller bydel har registrert det.'}
    </p>
  );
}
