import type { ReactNode } from 'react';
import type { MeetingList } from '../../../schemas/meetings';
import { isMeetingMilestone } from '../../../rules/meeting-flags';
import { milestoneRule } from '../../../rules/milestones';
import { isMilestoneKey } from '../../../rules/types';
import type { Milestone } from '../api';
import { Fact } from '../facts';
import { orgName } from '../organisations';
import { everyMonths, formatDate } from '../format';
import { describeDetails, milestoneSection, PARTY, VALUE_LABELS } from '../texts';
import { describeDeviation } from './deviation-form';
import { formatShortLocalTime } from './meeting-texts';

/**
 * What the stay page says about one milestone: its deadline (with an agreed or followed deviation), why it is closed
 * or silent, a proposed deviation, who answers for it, its planned meeting, how it recurs, when it was done, and what
 * its record says.
 */
export function MilestoneFacts({
  milestone: m,
  interval,
  nextPlanned,
  followedUpBy,
}: {
  milestone: Milestone;
  /** Months between cooperation meetings (the stay's own interpretation). */
  interval: number | undefined;
  nextPlanned: MeetingList['nextPlanned'] | undefined;
  /** Who follows the milestone up, after who answers for it. */
  followedUpBy?: ReactNode;
}) {
  const superseded = m.closedBy === 'superseded-by-housing-offer';
  const rule = isMilestoneKey(m.key) ? milestoneRule(m.key) : null;
  const pending = m.pendingDeviation;
  const section = milestoneSection(m.key, m.section);
  return (
    <>
      <dl className="timeline__facts">
        <Fact term="Frist">
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
        </Fact>
        {(m.closedBy || m.silencedBy) && (
          <Fact term={m.closedBy ? 'Ikke aktuell' : 'Varsler'} data-testid="closed-by">
            {VALUE_LABELS[m.closedBy ?? m.silencedBy ?? ''] ?? m.closedBy ?? m.silencedBy}
            {superseded && ' (Fellesskriv §2) – kan fortsatt registreres hvis den ble gjort'}
            {m.silencedBy === 'no-deadline-after-housing-offer' &&
              ' – søknader om oppfølgingstjenester (booppfølging, FACT, frivillig forvaltning) kan fortsatt registreres her'}
          </Fact>
        )}
        {pending && (
          <Fact term="Foreslått frist" data-testid="pending-deviation">
            {formatDate(pending.dueDate)}, foreslått av {PARTY[pending.proposedBy.party]?.toLowerCase()}{' '}
            {formatDate(pending.proposedOn)}: {pending.reason}. Venter på bekreftelse fra{' '}
            {pending.proposedBy.party === 'institution' ? 'bydelen' : 'institusjonen'}; fristen er ikke flyttet ennå.
          </Fact>
        )}
        {rule?.settledBy && !m.doneAt && (
          <Fact term="Registreres med">
            Hendelsen «Flyttet inn i egen bolig», eller «Oppholdet avsluttet før tiden» med årsak
          </Fact>
        )}
        <Fact term="Ansvar">{m.responsible === 'both' ? PARTY.both : PARTY[m.responsible]}</Fact>
        {followedUpBy}
        {isMeetingMilestone(m.key) && nextPlanned?.[m.key] && (
          <Fact term="Møte" data-planned-meeting={m.key}>
            planlagt {formatShortLocalTime(nextPlanned[m.key]!.plannedAt)}
          </Fact>
        )}
        {m.recurring && (
          <Fact term="Gjentas">
            {interval
              ? `Omtrent ${everyMonths(interval)} etter siste møte (anbefaling, gir påminnelse før hver frist, og ny påminnelse ${everyMonths(interval)} så lenge ingen møter registreres)`
              : 'Etter siste møte (anbefaling, gir påminnelse)'}
          </Fact>
        )}
        {m.doneAt && <Fact term="Fullført">{formatDate(m.doneAt)}</Fact>}
      </dl>
      {describeDetails(m.key, m.details, orgName).length > 0 && (
        <ul className="timeline__details">
          {describeDetails(m.key, m.details, orgName).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
    </>
  );
}
