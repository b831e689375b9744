import { PktAlert, PktButton, PktTag } from '@oslokommune/punkt-react';
import { useEffect, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';
import { api, ApiError, type Milestone, type Stay } from '../api';
import { problemToFormErrors } from '../errors';
import { CompletionForm, completionSpecs } from '../forms/completion-form';
import { CorrectionForm, mayCorrect, milestoneRecordDate } from '../stay/corrections';
import { ApplicationsSection } from '../stay/applications';
import { describeDeviation, DeviationForm } from '../stay/deviation-form';
import { ExitPlanSection } from '../stay/exit-plan';
import { useContacts } from '../stay/stay-contacts';
import { DueNowCard, PlannedMeetingsCard, StayTimeline } from '../stay/overview';
import { ExtraStatusReportForm } from '../stay/extra-status-report-form';
import { EventsPanel } from '../stay/lifecycle';
import { ParticipationPanel } from '../stay/participation';
import { TransitionFacts } from '../stay/transition-facts';
import { ContactsCard as ContactsEditor, useContacts as useContactList } from '../stay/contacts';
import { formatShortLocalTime, MeetingsCard, useMeetings } from '../stay/meetings';
import { MilestoneAssigneeLine, useMilestoneAssignees } from '../stay/milestone-assignee';
import { isMeetingMilestone } from '../../../rules/meeting-flags';
import { isMilestoneKey } from '../../../rules/types';
import { everyMonths, formatDate, isDueSoon, todayInOslo } from '../format';
import { notifyInboxChanged, PageTitle } from '../layout';
import { orgName, useOrganisations } from '../organisations';
import { useRulesConfig } from '../rules-config';
import { useSession } from '../session';
import {
  describeDetails,
  MILESTONE_STATUS,
  milestoneSection,
  milestoneTitle,
  PARTY,
  STAY_STATUS,
  VALUE_LABELS,
} from '../texts';
import { milestoneRule } from '../../../rules/milestones';

const STATUS_SKIN = {
  done: 'green',
  overdue: 'red',
  'due-soon': 'yellow',
  pending: 'blue-light',
  'not-applicable': 'gray',
} as const;

export function milestoneTone(m: Milestone, today = todayInOslo()): keyof typeof STATUS_SKIN {
  if (m.status === 'pending' && !m.recurring && isDueSoon(m.dueDate, today)) return 'due-soon';
  return m.status;
}

export function NotFoundStay() {
  return (
    <>
      <PageTitle>Fant ikke oppholdet</PageTitle>
      <p>
        Oppholdet finnes ikke, eller du har ikke tilgang til det. Opphold vises bare for institusjonen og bydelen som
        har ansvar for det.
      </p>
      <p>
        <Link to="/opphold" className="pkt-link">
          Tilbake til oppholdene
        </Link>
      </p>
    </>
  );
}

export function useStay(id: string | undefined) {
  const [stay, setStay] = useState<Stay | null>(null);
  const [error, setError] = useState<ApiError | Error | null>(null);
  useEffect(() => {
    if (!id) return;
    const controller = new AbortController();
    setStay(null);
    setError(null);
    api<Stay>(`/api/stays/${id}`, { signal: controller.signal })
      .then(setStay)
      .catch((err) => (err as Error).name !== 'AbortError' && setError(err as Error));
    return () => controller.abort();
  }, [id]);
  return { stay, setStay, error };
}

export function StayPage() {
  // The register loads beside the page's own data (not before it); the page shows when both are there, so names never flash as ids.
  const { ready: namesReady } = useOrganisations();
  const { id } = useParams();
  const location = useLocation();
  const { user } = useSession();
  const { stay, setStay, error } = useStay(id);
  const contacts = useContacts(id ?? '');
  const contactList = useContactList(id);
  const meetings = useMeetings(id);
  const assignees = useMilestoneAssignees(id);
  const [open, setOpen] = useState<string | null>(null);
  const [deviationOpen, setDeviationOpen] = useState<string | null>(null);
  const [correcting, setCorrecting] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>((location.state as { notice?: string } | null)?.notice ?? null);
  const [actionError, setActionError] = useState<string | null>(null);
  const { config } = useRulesConfig();
  // A change to the stay may resolve inbox items (a milestone done, a due date moved): recount them.
  const revision = stay?.revision;
  useEffect(() => {
    if (revision !== undefined) notifyInboxChanged();
  }, [revision]);

  if (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 400)) return <NotFoundStay />;
    return <PktAlert skin="error">{problemToFormErrors(error, { kindOf: () => undefined }).form}</PktAlert>;
  }
  if (!stay || !namesReady) return <p aria-live="polite">Laster oppholdet …</p>;

  const today = todayInOslo();
  // The resident is moving to the user's bydel (§3): it reads the stay, the current bydel records until the hand-over.
  const movingHere = user?.role === 'bydel' && stay.bydelId !== user.org;
  // the stay's own interpretations (a stay keeps those it was registered with); the running configuration for stays
  // last written before they were kept
  const interval =
    stay.interpretations?.cooperationMeetingIntervalMonths ?? config?.interpretations.cooperationMeetingIntervalMonths;
  const confirmDeviation = async (m: Milestone) => {
    setActionError(null);
    try {
      setStay(await api<Stay>(`/api/stays/${stay.id}/deviations/${m.key}/confirm`, { method: 'POST', body: {} }));
      setNotice(`Den avtalte fristen for «${milestoneTitle(m.key, m.title)}» er bekreftet.`);
    } catch (err) {
      setActionError(problemToFormErrors(err, { kindOf: () => undefined }).form ?? null);
    }
  };
  const markInsufficient = async () => {
    setActionError(null);
    try {
      setStay(
        await api<Stay>(`/api/stays/${stay.id}/milestones/status-report/insufficient`, { method: 'POST', body: {} }),
      );
      setNotice('Statusrapporten er meldt mangelfull. Kartlegging av årsaker er åpnet.');
    } catch (err) {
      setActionError(problemToFormErrors(err, { kindOf: () => undefined, requires: ['status-report'] }).form ?? null);
    }
  };

  return (
    <>
      <PageTitle>{`Opphold ${stay.residentRef}`}</PageTitle>
      {notice && (
        <PktAlert skin="success" role="status" className="block">
          {notice}
        </PktAlert>
      )}
      {movingHere && (
        <PktAlert skin="info" className="block" data-testid="moving-here">
          Beboeren skal flytte til {orgName(user.org)}. Dere kan lese oppholdet for å komme tidlig i gang med
          booppfølgingen (Fellesskriv §3), men {orgName(stay.bydelId)} registrerer i oppholdet til bydelsbyttet er
          registrert.
        </PktAlert>
      )}
      <dl className="facts">
        <div>
          <dt>Institusjon</dt>
          <dd>{orgName(stay.institutionId)}</dd>
        </div>
        <div>
          <dt>Bydel</dt>
          <dd>{orgName(stay.bydelId)}</dd>
        </div>
        <div>
          <dt>Innskrevet</dt>
          <dd>{formatDate(stay.admittedAt)}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>{STAY_STATUS[stay.status] ?? stay.status}</dd>
        </div>
        <div>
          <dt>Kaller inn til møter</dt>
          <dd>{PARTY[stay.convener] ?? stay.convener}</dd>
        </div>
      </dl>
      <div className="overview-grid">
        <DueNowCard stay={stay} />
        <PlannedMeetingsCard stayId={stay.id} contacts={contacts} />
      </div>
      <ContactsEditor
        stay={stay}
        user={user}
        canEdit={!!user && !movingHere && stay.status !== 'completed'}
        contacts={contactList.contacts}
        version={contactList.version}
        loadError={contactList.error}
        onSaved={contactList.setContacts}
      />
      <MeetingsCard
        stay={stay}
        contacts={contactList.contacts ?? []}
        meetings={meetings.list}
        loadError={meetings.error}
        canEdit={!!user && !movingHere && stay.status !== 'completed'}
        onChanged={(message) => {
          setNotice(message);
          meetings.reload();
        }}
      />
      <StayTimeline stay={stay} />
      {actionError && (
        <PktAlert skin="error" role="alert" className="block">
          {actionError}
        </PktAlert>
      )}
      <h2 className="pkt-txt-22-medium">Milepæler og frister</h2>
      <ol className="timeline" aria-label="Milepæler og frister">
        {stay.milestones.map((m) => {
          const tone = milestoneTone(m, today);
          const superseded = m.closedBy === 'superseded-by-housing-offer';
          const rule = isMilestoneKey(m.key) ? milestoneRule(m.key) : null;
          // a milestone the housing offer superseded can still be recorded if it was done; applications after the
          // offer have no deadline but can still be recorded; one settled by an event is never completed on its own
          const canComplete =
            !movingHere &&
            stay.status === 'active' &&
            m.status !== 'done' &&
            (m.status !== 'not-applicable' || superseded) &&
            (m.dueDate !== null || superseded || m.silencedBy === 'no-deadline-after-housing-offer') &&
            !rule?.settledBy &&
            completionSpecs(m.key) !== null;
          const pending = m.pendingDeviation;
          const canConfirm =
            !!pending &&
            !movingHere &&
            (user?.role === 'institution' || user?.role === 'bydel') &&
            user.role !== pending.proposedBy.party;
          const formOpen = open === m.key;
          const title = milestoneTitle(m.key, m.title);
          const section = milestoneSection(m.key, m.section);
          const headingId = `milepael-${m.key}`;
          const correctable =
            m.doneAt !== null && isMilestoneKey(m.key) && mayCorrect(stay, user, { milestone: m.key });
          return (
            <li key={m.key} className={`timeline__item tone-${tone}`} data-milestone={m.key} data-status={tone}>
              <div className="timeline__head">
                <h3 id={headingId} className="pkt-txt-18-medium" tabIndex={-1}>
                  {title}
                </h3>
                <PktTag skin={STATUS_SKIN[tone]}>{MILESTONE_STATUS[tone]}</PktTag>
              </div>
              <dl className="timeline__facts">
                <div>
                  <dt>Frist</dt>
                  <dd>
                    {m.dueDate
                      ? formatDate(m.dueDate)
                      : m.key === 'status-report-causes'
                        ? 'Åpnes hvis bydelen melder statusrapporten mangelfull'
                        : m.key === 'extra-status-report'
                          ? 'Ingen ekstra statusrapport er avtalt'
                          : m.silencedBy === 'no-deadline-after-housing-offer'
                            ? 'Ingen frist etter boligtilbudet'
                            : 'Ingen frist ennå'}{' '}
                    <span className="section">(Fellesskriv {section})</span>
                    {m.originalDueDate && m.originalDueDate !== m.dueDate && m.dueDate && (
                      <span className="deviation">
                        {' '}
                        · {m.deviation ? 'avtalt avvik' : 'flyttet med en avtalt frist'}, opprinnelig frist{' '}
                        {formatDate(m.originalDueDate)}
                      </span>
                    )}
                    {describeDeviation(m) && <span className="deviation-reason">{describeDeviation(m)}</span>}
                  </dd>
                </div>
                {(m.closedBy || m.silencedBy) && (
                  <div data-testid="closed-by">
                    <dt>{m.closedBy ? 'Ikke aktuell' : 'Varsler'}</dt>
                    <dd>
                      {VALUE_LABELS[m.closedBy ?? m.silencedBy ?? ''] ?? m.closedBy ?? m.silencedBy}
                      {superseded && ' (Fellesskriv §2) – kan fortsatt registreres hvis den ble gjort'}
                      {m.silencedBy === 'no-deadline-after-housing-offer' &&
                        ' – søknader om oppfølgingstjenester (booppfølging, FACT, frivillig forvaltning) kan fortsatt registreres her'}
                    </dd>
                  </div>
                )}
                {pending && (
                  <div data-testid="pending-deviation">
                    <dt>Foreslått frist</dt>
                    <dd>
                      {formatDate(pending.dueDate)}, foreslått av {PARTY[pending.proposedBy.party]?.toLowerCase()}{' '}
                      {formatDate(pending.proposedOn)}: {pending.reason}. Venter på bekreftelse fra{' '}
                      {pending.proposedBy.party === 'institution' ? 'bydelen' : 'institusjonen'}; fristen er ikke
                      flyttet ennå.
                    </dd>
                  </div>
                )}
                {rule?.settledBy && !m.doneAt && (
                  <div>
                    <dt>Registreres med</dt>
                    <dd>Hendelsen «Flyttet inn i egen bolig», eller «Oppholdet avsluttet før tiden» med årsak</dd>
                  </div>
                )}
                <div>
                  <dt>Ansvar</dt>
                  <dd>{m.responsible === 'both' ? PARTY.both : PARTY[m.responsible]}</dd>
                </div>
                <MilestoneAssigneeLine
                  milestone={m}
                  state={assignees}
                  user={user}
                  canAct={!movingHere && stay.status === 'active'}
                />
                {isMeetingMilestone(m.key) && meetings.list?.nextPlanned[m.key] && (
                  <div data-planned-meeting={m.key}>
                    <dt>Møte</dt>
                    <dd>planlagt {formatShortLocalTime(meetings.list.nextPlanned[m.key]!.plannedAt)}</dd>
                  </div>
                )}
                {m.recurring && (
                  <div>
                    <dt>Gjentas</dt>
                    <dd>
                      {interval
                        ? `Omtrent ${everyMonths(interval)} etter siste møte (anbefaling, gir påminnelse før hver frist, og ny påminnelse ${everyMonths(interval)} så lenge ingen møter registreres)`
                        : 'Etter siste møte (anbefaling, gir påminnelse)'}
                    </dd>
                  </div>
                )}
                {m.doneAt && (
                  <div>
                    <dt>Fullført</dt>
                    <dd>{formatDate(m.doneAt)}</dd>
                  </div>
                )}
              </dl>
              {describeDetails(m.key, m.details).length > 0 && (
                <ul className="timeline__details">
                  {describeDetails(m.key, m.details).map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              )}
              {canComplete && !formOpen && (
                <PktButton
                  type="button"
                  skin="secondary"
                  size="small"
                  onClick={() => setOpen(m.key)}
                  aria-controls={`form-${m.key}`}
                  aria-expanded={false}
                >
                  {m.recurring
                    ? `Registrer møte: ${title.toLowerCase()}`
                    : `Registrer fullført: ${title.toLowerCase()}`}
                </PktButton>
              )}
              {canConfirm && (
                <PktButton type="button" skin="primary" size="small" onClick={() => confirmDeviation(m)}>
                  Bekreft foreslått frist {formatDate(pending!.dueDate)}
                </PktButton>
              )}
              {canComplete && !m.recurring && m.dueDate !== null && !formOpen && deviationOpen !== m.key && (
                <PktButton type="button" skin="tertiary" size="small" onClick={() => setDeviationOpen(m.key)}>
                  Avtal annen frist
                </PktButton>
              )}
              {deviationOpen === m.key && (
                <div data-deviation-form={m.key}>
                  <DeviationForm
                    stay={stay}
                    milestone={m}
                    onCancel={() => setDeviationOpen(null)}
                    onDone={(updated) => {
                      setStay(updated);
                      setDeviationOpen(null);
                      setNotice(`Ny frist for «${title}» er lagret.`);
                    }}
                  />
                </div>
              )}
              {m.key === 'status-report' &&
                m.status === 'done' &&
                user?.role === 'bydel' &&
                !movingHere &&
                stay.milestones.find((x) => x.key === 'status-report-causes')?.dueDate === null && (
                  <PktButton type="button" skin="tertiary" size="small" onClick={markInsufficient}>
                    Meld statusrapporten mangelfull
                  </PktButton>
                )}
              {correctable && correcting !== m.key && !formOpen && (
                <PktButton
                  type="button"
                  skin="tertiary"
                  size="small"
                  aria-label={`Korriger «${title}»`}
                  onClick={() => setCorrecting(m.key)}
                >
                  Korriger
                </PktButton>
              )}
              {correctable && correcting === m.key && isMilestoneKey(m.key) && (
                <CorrectionForm
                  stay={stay}
                  target={{ milestone: m.key }}
                  currentDate={milestoneRecordDate(m)}
                  onCancel={() => setCorrecting(null)}
                  onDone={(updated, message) => {
                    setStay(updated);
                    setCorrecting(null);
                    setNotice(message);
                    requestAnimationFrame(() => document.getElementById(headingId)?.focus());
                  }}
                />
              )}
              {formOpen && (
                <div id={`form-${m.key}`}>
                  <CompletionForm
                    stay={stay}
                    milestoneKey={m.key}
                    onCancel={() => setOpen(null)}
                    onDone={(updated) => {
                      setStay(updated);
                      setOpen(null);
                      setNotice(`«${title}» er registrert som fullført.`);
                      requestAnimationFrame(() =>
                        document.getElementById(headingId)?.scrollIntoView({ block: 'center' }),
                      );
                    }}
                  />
                </div>
              )}
            </li>
          );
        })}
      </ol>
      <ParticipationPanel stayId={stay.id} editable={!!user && !movingHere && stay.status !== 'completed'} />
      <ApplicationsSection stayId={stay.id} editable={!!user && !movingHere && stay.status !== 'completed'} />
      <TransitionFacts
        stay={stay}
        user={user}
        onCorrected={(updated, message) => {
          setStay(updated);
          setNotice(message);
        }}
      />
      {user && !movingHere && (
        <EventsPanel
          stay={stay}
          role={user.role}
          onDone={(updated, message) => {
            setStay(updated);
            setNotice(message);
          }}
        />
      )}
      <ExitPlanSection
        stay={stay}
        contacts={contacts}
        editable={stay.status === 'active' && !movingHere && !!user}
        onDone={(updated) => {
          setStay(updated);
          setNotice('Utflyttingsplanen er lagret.');
        }}
      />
      {stay.status === 'active' && user && !movingHere && (
        <ExtraStatusReportForm
          stay={stay}
          onDone={(updated, message) => {
            setStay(updated);
            setNotice(message);
            requestAnimationFrame(() =>
              document.getElementById('milepael-extra-status-report')?.scrollIntoView({ block: 'center' }),
            );
          }}
        />
      )}
      <p className="no-print">
        <Link to={`/opphold/${stay.id}/historikk`} className="pkt-link">
          Se historikken for oppholdet
        </Link>
      </p>
    </>
  );
}
