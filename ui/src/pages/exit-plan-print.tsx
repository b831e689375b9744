import { PktAlert, PktButton } from '@oslokommune/punkt-react';
import { Link, useParams } from 'react-router-dom';
import {
  CONTINGENCY_PLAN_PART,
  EXIT_PLAN_PART_TITLES_NB,
  EXIT_PLAN_PARTS,
  EXIT_PLAN_SECTION,
  type ExitPlan,
  type ExitPlanTask,
} from '../../../rules/exit-plan';
import type { Contact } from '../../../schemas/contacts';
import { ApiError } from '../api';
import { problemToFormErrors } from '../errors';
import { Fact } from '../facts';
import { formatDate, todayInOslo } from '../format';
import { PageTitle } from '../layout';
import { orgName, useOrganisations } from '../organisations';
import { describeKeepPlace } from '../stay/transition-facts';
import { CONTINGENCY_STATUS } from '../stay/exit-plan';
import { useContacts } from '../stay/contacts';
import { CONTACT_ROLE, contactName, ownerOf } from '../stay/stay-contacts';
import { EXIT_PLAN_RESPONSIBLE, EXIT_PLAN_STATUS } from '../texts';
import { NotFoundStay, useStay } from '../stay/load-stay';

/**
 * In place of the contacts when they could not be read: a plan printed without "who to call" says so, on paper too,
 * instead of looking as if nobody had been named.
 */
function ContactsUnreadable() {
  return (
    <PktAlert skin="error" data-testid="contacts-unreadable">
      Kontaktpersonene kunne ikke hentes, så navn og telefonnumre mangler i denne utskriften. Last siden på nytt og prøv
      igjen før du skriver ut planen.
    </PktAlert>
  );
}

function ContactTable(props: { ids: string[]; contacts: Contact[] | null; caption: string }) {
  if (!props.contacts) return <ContactsUnreadable />;
  const { contacts } = props;
  const listed = props.ids.map((id) => contacts.find((c) => c.id === id)).filter((c): c is Contact => !!c);
  if (listed.length === 0) return <p>Ingen kontaktpersoner er valgt i planen.</p>;
  return (
    <table className="pkt-table print-table stack-on-phone">
      <caption className="pkt-sr-only">{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Navn</th>
          <th scope="col">Rolle</th>
          <th scope="col">Hvor</th>
          <th scope="col">Telefon</th>
          <th scope="col">E-post</th>
        </tr>
      </thead>
      <tbody>
        {listed.map((c) => (
          <tr key={c.id}>
            <th scope="row">{c.name}</th>
            <td data-label="Rolle">{CONTACT_ROLE[c.role]}</td>
            <td data-label="Hvor">{orgName(c.organisationId)}</td>
            <td data-label="Telefon">{c.phone ?? '–'}</td>
            <td data-label="E-post">{c.email ?? '–'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function TaskTable(props: { tasks: ExitPlanTask[]; contacts: Contact[] | null; caption: string; what: string }) {
  if (props.tasks.length === 0) return null;
  return (
    <table className="pkt-table print-table stack-on-phone">
      <caption className="pkt-sr-only">{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{props.what}</th>
          <th scope="col">Hvem</th>
          <th scope="col">Frist</th>
          <th scope="col">Utført</th>
        </tr>
      </thead>
      <tbody>
        {props.tasks.map((t) => (
          // a task is named once in its part (the plan's schema refuses the same title twice)
          <tr key={t.title}>
            <th scope="row">{t.title}</th>
            <td data-label="Hvem">{ownerOf(t, props.contacts)}</td>
            <td data-label="Frist">{t.dueOn ? formatDate(t.dueOn) : '–'}</td>
            <td data-label="Utført">
              <span aria-hidden="true" className="print-check">
                {t.done ? '☑' : '☐'}
              </span>
              <span className="pkt-sr-only">{t.done ? 'Utført' : 'Ikke utført'}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The exit plan as the resident takes it home (§3.2): who to call, what is to be done by whom and when, the
 * contingency plan, any kept place. Printed from the browser; the print style sheet leaves out the app around it.
 */
export function ExitPlanPrintPage() {
  const { ready: namesReady } = useOrganisations();
  const { id } = useParams();
  const { stay, error } = useStay(id);
  // the contacts as the stay page reads them; when they cannot be read the plan is still printed, and says so
  const { contacts, error: contactsError } = useContacts(id);

  if (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 400)) return <NotFoundStay />;
    return <PktAlert skin="error">{problemToFormErrors(error, { kindOf: () => undefined }).form}</PktAlert>;
  }
  if (!stay || !namesReady || (!contacts && !contactsError))
    return <p aria-live="polite">Laster utflyttingsplanen …</p>;
  const plan = stay.transition.exitPlan as ExitPlan | null;
  const t = stay.transition;
  const exitMeeting = stay.milestones.find((m) => m.key === 'exit-meeting');
  const crisis = plan?.parts[CONTINGENCY_PLAN_PART];
  return (
    <article className="print-document">
      <PageTitle>Utflyttingsplan</PageTitle>
      <div className="form-actions no-print">
        <PktButton type="button" skin="primary" onClick={() => window.print()}>
          Skriv ut
        </PktButton>
        <Link to={`/opphold/${stay.id}`} className="pkt-link">
          Tilbake til oppholdet
        </Link>
      </div>
      {!plan && <p>Ingen utflyttingsplan er registrert for oppholdet ennå.</p>}
      <dl className="facts print-facts">
        <Fact term="Beboer (referanse)">{stay.residentRef}</Fact>
        <Fact term="Institusjon">{orgName(stay.institutionId)}</Fact>
        <Fact term="Bydel">{orgName(stay.bydelId)}</Fact>
        {t.housingOffered && <Fact term="Bolig tilbudt">{formatDate(String(t.housingOffered.date ?? ''))}</Fact>}
        {typeof t.housingOffered?.expectedMoveInDate === 'string' && (
          <Fact term="Forventet innflytting">{formatDate(t.housingOffered.expectedMoveInDate)}</Fact>
        )}
        {exitMeeting?.doneAt && <Fact term="Utflyttingsmøtet">{formatDate(exitMeeting.doneAt)}</Fact>}
        {t.participationEndsOn && (
          <Fact term="Institusjonen følger opp til og med">{formatDate(t.participationEndsOn)}</Fact>
        )}
      </dl>
      {plan && (
        <>
          <section aria-labelledby="plan-kontakter" className="print-part">
            <h2 id="plan-kontakter" className="pkt-txt-22-medium">
              {EXIT_PLAN_PART_TITLES_NB['contact-persons']}
            </h2>
            <ContactTable
              ids={plan.parts['contact-persons'].contactIds ?? []}
              contacts={contacts}
              caption="Kontaktpersoner"
            />
            <TaskTable
              tasks={plan.parts['contact-persons'].tasks ?? []}
              contacts={contacts}
              caption="Oppgaver: kontaktpersoner"
              what="Oppgave"
            />
          </section>
          {EXIT_PLAN_PARTS.filter((p) => p !== 'contact-persons').map((p) => {
            const part = plan.parts[p];
            return (
              <section key={p} aria-labelledby={`plan-${p}`} className="print-part" data-print-part={p}>
                <h2 id={`plan-${p}`} className="pkt-txt-22-medium">
                  {EXIT_PLAN_PART_TITLES_NB[p]}
                </h2>
                <p>
                  Ansvarlig: {EXIT_PLAN_RESPONSIBLE[part.responsible] ?? part.responsible} · Status:{' '}
                  {EXIT_PLAN_STATUS[part.status] ?? part.status}
                </p>
                <TaskTable
                  tasks={part.tasks ?? []}
                  contacts={contacts}
                  caption={`Oppgaver: ${EXIT_PLAN_PART_TITLES_NB[p]}`}
                  what="Oppgave"
                />
              </section>
            );
          })}
          <section aria-labelledby="plan-kriseplan" className="print-part" data-print-part={CONTINGENCY_PLAN_PART}>
            <h2 id="plan-kriseplan" className="pkt-txt-22-medium">
              Kriseplan
            </h2>
            {!plan.contingencyPlanConsidered && <p>Kriseplan er ikke vurdert.</p>}
            {plan.contingencyPlanConsidered && !crisis && <p>Kriseplan er vurdert.</p>}
            {crisis && (
              <>
                <p>
                  {CONTINGENCY_STATUS[crisis.status]}
                  {crisis.reviewOn ? ` · ses på igjen ${formatDate(crisis.reviewOn)}` : ''}
                </p>
                <TaskTable
                  tasks={crisis.steps ?? []}
                  contacts={contacts}
                  caption="Kriseplan: tiltak"
                  what="Når tiltakene ikke strekker til"
                />
                {(crisis.contactIds ?? []).length > 0 && (
                  <>
                    <h3 className="pkt-txt-18-medium">Hvem du kan ringe</h3>
                    <ul>
                      {(crisis.contactIds ?? []).map((cid) => {
                        const c = contacts?.find((x) => x.id === cid);
                        return (
                          <li key={cid}>
                            {contactName(contacts, cid)}
                            {c?.phone ? `: ${c.phone}` : ''}
                          </li>
                        );
                      })}
                    </ul>
                  </>
                )}
              </>
            )}
          </section>
          {plan.keepPlace && (
            <section aria-labelledby="plan-beholde" className="print-part">
              <h2 id="plan-beholde" className="pkt-txt-22-medium">
                {plan.keepPlace.kind === 'day-place' ? 'Dagplass' : 'Institusjonsplassen'} etter innflytting
              </h2>
              <p>{describeKeepPlace(plan.keepPlace)}.</p>
            </section>
          )}
        </>
      )}
      <p className="muted print-footer">
        Utflyttingsplanen lages i utflyttingsmøtet (Fellesskriv 3/2021 {EXIT_PLAN_SECTION}). Skrevet ut{' '}
        {formatDate(todayInOslo())}.
      </p>
    </article>
  );
}
