import { PktAlert, PktCheckbox, PktSelect, PktTag, PktTextinput } from '@oslokommune/punkt-react';
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { fetchAll, type StaySummary } from '../api';
import { CalendarFeeds } from '../calendar-feeds';
import { problemToFormErrors } from '../errors';
import { formatDate, isDueSoon, todayInOslo } from '../format';
import { PageTitle } from '../layout';
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

/** Next deadline first, stays without one last; ties by resident reference so the order is stable. */
const byNextDeadline = (a: StaySummary, b: StaySummary) =>
  (a.nextDueDate ?? '9999') < (b.nextDueDate ?? '9999')
    ? -1
    : (a.nextDueDate ?? '9999') > (b.nextDueDate ?? '9999')
      ? 1
      : a.residentRef.localeCompare(b.residentRef);

export function WorklistPage() {
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? 'active';
  const overdueOnly = params.get('overdue') === 'true';
  const mineOnly = params.get('mine') === 'true';
  const org = params.get('org') ?? '';
  const [search, setSearch] = useState('');
  const [stays, setStays] = useState<StaySummary[] | null>(null);
  const [error, setError] = useState<string>();
  const likelyLate = useLikelyLate();

  const orgFilterKey = user?.role === 'institution' ? 'bydelId' : 'institutionId';
  useEffect(() => {
    const controller = new AbortController();
    const query = new URLSearchParams();
    if (status !== 'all') query.set('status', status);
    if (overdueOnly) query.set('overdue', 'true');
    if (mineOnly) query.set('mine', 'true');
    if (org) query.set(orgFilterKey, org);
    setStays(null);
    fetchAll<StaySummary>(`/api/stays?${query}`, controller.signal)
      .then((items) => setStays(items.sort(byNextDeadline)))
      .catch((err) => {
        if ((err as Error).name !== 'AbortError') setError(problemToFormErrors(err, { kindOf: () => undefined }).form);
      });
    return () => controller.abort();
  }, [status, overdueOnly, mineOnly, org, orgFilterKey]);

  const setParam = (name: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value === null || value === '') next.delete(name);
    else next.set(name, value);
    setParams(next, { replace: true });
  };

  const today = todayInOslo();
  const visible = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return (stays ?? []).filter((s) => !needle || s.residentRef.toLowerCase().includes(needle));
  }, [stays, search]);
  const title =
    user?.role === 'institution' ? 'Mine opphold' : user?.role === 'bydel' ? 'Bydelens opphold' : 'Alle opphold';
  // the register loads beside the list (not before it); rows show when both are there, so names never flash as ids
  const { ofKind, ready: namesReady } = useOrganisations();
  // old stays may name a deactivated organisation: the filter offers them all
  const orgOptions = ofKind(user?.role === 'institution' ? 'bydel' : 'institution', { includeInactive: true });
  const counts = useMemo(() => {
    const c = { overdue: 0, 'due-soon': 0 } as Record<StayTone, number>;
    for (const s of stays ?? []) c[stayTone(s, today)] = (c[stayTone(s, today)] ?? 0) + 1;
    return c;
  }, [stays, today]);

  return (
    <>
      <PageTitle>{title}</PageTitle>
      <p className="lead">
        {user?.org ? `${orgName(user.org)}. ` : ''}Sortert etter neste frist. Rødt er forfalt, gult har frist innen 14
        dager.
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
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          type="search"
          autocomplete="off"
        />
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
      {(stays === null || !namesReady) && !error && <p aria-live="polite">Laster opphold …</p>}
      {stays !== null && namesReady && (
        <>
          <p aria-live="polite" className="summary-line">
            {visible.length} opphold{counts.overdue ? ` · ${counts.overdue} med forfalte frister` : ''}
            {counts['due-soon'] ? ` · ${counts['due-soon']} med frist snart` : ''}
          </p>
          {visible.length === 0 ? (
            <div className="empty">
              <p>Ingen opphold passer med filtrene.</p>
              <Link to="/opphold/ny" className="pkt-link">
                Registrer et opphold
              </Link>
            </div>
          ) : (
            <table className="pkt-table pkt-table--zebra-blue worklist" data-testid="worklist">
              <caption className="pkt-sr-only">{title}, sortert etter neste frist</caption>
              <thead>
                <tr>
                  <th scope="col">Beboer</th>
                  <th scope="col">{user?.role === 'institution' ? 'Bydel' : 'Institusjon'}</th>
                  {user?.role === 'admin' && <th scope="col">Bydel</th>}
                  <th scope="col">Innskrevet</th>
                  <th scope="col">Neste frist</th>
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
                      <td>{orgName(user?.role === 'institution' ? s.bydelId : s.institutionId)}</td>
                      {user?.role === 'admin' && <td>{orgName(s.bydelId)}</td>}
                      <td>{formatDate(s.admittedAt)}</td>
                      <td data-next-milestone={s.nextMilestone ?? undefined}>
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
                      <td>
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
        </>
      )}
      <div className="form-actions">
        <Link to="/opphold/ny" className="pkt-btn pkt-btn--secondary pkt-btn--medium">
          Registrer nytt opphold
        </Link>
      </div>
      {user && user.role !== 'admin' && <CalendarFeeds />}
    </>
  );
}
