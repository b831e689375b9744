import { PktAlert, PktButton, PktTag } from '@oslokommune/punkt-react';
import { useState } from 'react';
import type { MeetingList } from '../../../schemas/meetings';
import { milestoneRule } from '../../../rules/milestones';
import { isMilestoneKey } from '../../../rules/types';
import { api, type Milestone, type Stay } from '../api';
import { problemToFormErrors } from '../errors';
import { CompletionForm, completionSpecs } from '../forms/completion-form';
import { formatDate, isDueSoon, todayInOslo } from '../format';
import type { User } from '../session';
import { MILESTONE_STATUS, milestoneTitle } from '../texts';
import { CorrectionForm, mayCorrect, milestoneRecordDate } from './corrections';
import { DeviationForm } from './deviation-form';
import { MilestoneAssigneeLine, type useMilestoneAssignees } from './milestone-assignee';
import { MilestoneFacts } from './milestone-facts';

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

/**
 * Every milestone of the stay with its facts and what the user can do there: record it done, agree another deadline
 * (§1) or confirm the other party's proposal, mark the status report insufficient (§2.2), correct a completion. One
 * form is open at a time; a change answers with the stay as the API returns it and a notice for the page.
 */
export function MilestoneList({
  stay,
  user,
  movingHere,
  interval,
  nextPlanned,
  assignees,
  onChanged,
}: {
  stay: Stay;
  user: User | null;
  /** The user's bydel is the one the resident moves to: it reads, the current bydel records. */
  movingHere: boolean;
  interval: number | undefined;
  nextPlanned: MeetingList['nextPlanned'] | undefined;
  /** Who follows up which milestone ("Ta saken"). */
  assignees: ReturnType<typeof useMilestoneAssignees>;
  onChanged(updated: Stay, notice: string): void;
}) {
  const [open, setOpen] = useState<string | null>(null);
  const [deviationOpen, setDeviationOpen] = useState<string | null>(null);
  const [correcting, setCorrecting] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const today = todayInOslo();
  const confirmDeviation = async (m: Milestone) => {
    setActionError(null);
    try {
      const updated = await api<Stay>(`/api/stays/${stay.id}/deviations/${m.key}/confirm`, {
        method: 'POST',
        body: {},
      });
      onChanged(updated, `Den avtalte fristen for «${milestoneTitle(m.key, m.title)}» er bekreftet.`);
    } catch (err) {
      setActionError(problemToFormErrors(err, { kindOf: () => undefined }).form ?? null);
    }
  };
  const markInsufficient = async () => {
    setActionError(null);
    try {
      const updated = await api<Stay>(`/api/stays/${stay.id}/milestones/status-report/insufficient`, {
        method: 'POST',
        body: {},
      });
      onChanged(updated, 'Statusrapporten er meldt mangelfull. Kartlegging av årsaker er åpnet.');
    } catch (err) {
      setActionError(problemToFormErrors(err, { kindOf: () => undefined, requires: ['status-report'] }).form ?? null);
    }
  };

  return (
    <>
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
            !m.silencedBy &&
            !movingHere &&
            (user?.role === 'institution' || user?.role === 'bydel') &&
            user.role !== pending.proposedBy.party;
          const formOpen = open === m.key;
          const title = milestoneTitle(m.key, m.title);
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
              <MilestoneFacts
                milestone={m}
                interval={interval}
                nextPlanned={nextPlanned}
                followedUpBy={
                  <MilestoneAssigneeLine
                    milestone={m}
                    state={assignees}
                    user={user}
                    canAct={!movingHere && stay.status === 'active'}
                  />
                }
              />
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
              {/* a deadline the housing offer silenced is not moved (§2): the API refuses it */}
              {canComplete &&
                !m.recurring &&
                m.dueDate !== null &&
                !m.silencedBy &&
                !formOpen &&
                deviationOpen !== m.key && (
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
                      setDeviationOpen(null);
                      onChanged(updated, `Ny frist for «${title}» er lagret.`);
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
                    setCorrecting(null);
                    onChanged(updated, message);
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
                      setOpen(null);
                      onChanged(updated, `«${title}» er registrert som fullført.`);
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
    </>
  );
}
