import { PktAlert } from '@oslokommune/punkt-react';
import { useEffect, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';
import { ApiError } from '../api';
import { problemToFormErrors } from '../errors';
import { Fact } from '../facts';
import { formatDate } from '../format';
import { notifyInboxChanged, PageTitle } from '../layout';
import { orgName, useOrganisations } from '../organisations';
import { useRulesConfig } from '../rules-config';
import { useSession } from '../session';
import { ApplicationsSection } from '../stay/applications';
import { ContactsCard as ContactsEditor, useContacts as useContactList } from '../stay/contacts';
import { ExitPlanSection } from '../stay/exit-plan';
import { ExtraStatusReportForm } from '../stay/extra-status-report-form';
import { EventsPanel } from '../stay/lifecycle';
import { NotFoundStay, useStay } from '../stay/load-stay';
import { MeetingsCard, useMeetings } from '../stay/meetings';
import { useMilestoneAssignees } from '../stay/milestone-assignee';
import { MilestoneList } from '../stay/milestone-list';
import { DueNowCard, PlannedMeetingsCard, StayTimeline } from '../stay/overview';
import { ParticipationPanel } from '../stay/participation';
import { TransitionFacts } from '../stay/transition-facts';
import { PARTY, STAY_STATUS } from '../texts';

export function StayPage() {
  // The register loads beside the page's own data (not before it); the page shows when both are there, so names never flash as ids.
  const { ready: namesReady } = useOrganisations();
  const { id } = useParams();
  const location = useLocation();
  const { user } = useSession();
  const { stay, setStay, error } = useStay(id);
  // one list each of the stay's contacts and meetings for the whole page: what one section changes, all show
  const contactList = useContactList(id);
  const contacts = contactList.contacts;
  const meetings = useMeetings(id);
  const assignees = useMilestoneAssignees(id);
  const [notice, setNotice] = useState<string | null>((location.state as { notice?: string } | null)?.notice ?? null);
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

  // The resident is moving to the user's bydel (§3): it reads the stay, the current bydel records until the hand-over.
  const movingHere = user?.role === 'bydel' && stay.bydelId !== user.org;
  // the stay's own interpretations (a stay keeps those it was registered with); the running configuration for stays
  // last written before they were kept
  const interval =
    stay.interpretations?.cooperationMeetingIntervalMonths ?? config?.interpretations.cooperationMeetingIntervalMonths;
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
        <Fact term="Institusjon">{orgName(stay.institutionId)}</Fact>
        <Fact term="Bydel">{orgName(stay.bydelId)}</Fact>
        <Fact term="Innskrevet">{formatDate(stay.admittedAt)}</Fact>
        <Fact term="Status">{STAY_STATUS[stay.status] ?? stay.status}</Fact>
        <Fact term="Kaller inn til møter">{PARTY[stay.convener] ?? stay.convener}</Fact>
      </dl>
      <div className="overview-grid">
        <DueNowCard stay={stay} />
        <PlannedMeetingsCard meetings={meetings.list?.meetings ?? null} contacts={contacts} />
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
      <MilestoneList
        stay={stay}
        user={user}
        movingHere={movingHere}
        interval={interval}
        nextPlanned={meetings.list?.nextPlanned}
        assignees={assignees}
        onChanged={(updated, message) => {
          setStay(updated);
          setNotice(message);
        }}
      />
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
      {/* §2.2: agreed during the stay; after the discharge the institution's report is the final report (§3.3) */}
      {stay.status === 'active' && user && !movingHere && !stay.transition.dischargedOn && (
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
