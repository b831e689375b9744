// What has happened in the stay's life so far (§3), with a Korriger button on what the user may correct.
import { PktButton } from '@oslokommune/punkt-react';
import { useState } from 'react';
import { EXIT_PLAN_SECTION, type ExitPlan } from '../../../rules/exit-plan';
import type { StayEventType } from '../../../rules/types';
import type { Stay } from '../api';
import { formatDate } from '../format';
import { orgName } from '../organisations';
import type { User } from '../session';
import { CorrectionForm, eventRecordDate, mayCorrect } from './corrections';
import { EVENT_TITLES, VALUE_LABELS } from '../texts';

type FactRow = { label: string; value: string; event?: StayEventType };

export function TransitionFacts(props: {
  stay: Stay;
  user?: User | null;
  onCorrected?(stay: Stay, notice: string): void;
}) {
  const { stay } = props;
  const [correcting, setCorrecting] = useState<StayEventType | null>(null);
  const t = stay.transition;
  const rows: FactRow[] = [];
  const row = (label: string, value: string, event?: StayEventType) => rows.push({ label, value, event });
  if (t.housingOffered) row('Bolig tilbudt', formatDate(String(t.housingOffered.date ?? '')), 'housing-offered');
  if (typeof t.housingOffered?.expectedMoveInDate === 'string')
    row('Forventet innflytting', formatDate(t.housingOffered.expectedMoveInDate));
  if (t.dischargedOn) row('Utskrevet', formatDate(t.dischargedOn), 'discharged');
  if (t.availability)
    row(
      'Institusjonen tilgjengelig for beboeren (§3)',
      `${formatDate(t.availability.from)}–${formatDate(t.availability.until)}`,
    );
  if (t.movedInOn) row('Flyttet inn', formatDate(t.movedInOn), 'moved-in');
  if (t.participationEndsOn) row('Institusjonens deltakelse slutter (§3.3)', formatDate(t.participationEndsOn));
  const keep = (t.exitPlan as Partial<ExitPlan> | null)?.keepPlace;
  if (keep)
    row(
      `Beholder ${keep.kind === 'day-place' ? 'dagplass' : 'institusjonsplassen'} (${EXIT_PLAN_SECTION})`,
      describeKeepPlace(keep),
    );
  if (t.endedEarly)
    row(
      'Avsluttet før tiden',
      `${formatDate(String(t.endedEarly.date ?? ''))}, ${VALUE_LABELS[String(t.endedEarly.reason)] ?? String(t.endedEarly.reason)}`,
      'ended-early',
    );
  t.bydelChanges.forEach((c, i) => {
    row(
      'Bytte av bydel',
      `${formatDate(c.date)}: ${orgName(c.from)} → ${orgName(c.to)}`,
      i === t.bydelChanges.length - 1 ? 'bydel-changed' : undefined,
    );
  });
  if (t.completedOn) row('Fullført', formatDate(t.completedOn));
  if (rows.length === 0) return null;
  const correctable = (event?: StayEventType): event is StayEventType =>
    !!event && !!props.onCorrected && mayCorrect(stay, props.user ?? null, { event });
  return (
    <section aria-labelledby="overgang" className="block">
      <h2 id="overgang" className="pkt-txt-22-medium">
        Overgang til egen bolig
      </h2>
      <dl className="facts">
        {rows.map(({ label, value, event }) => (
          <div key={label + value} data-event={event}>
            <dt>{label}</dt>
            <dd>
              {value}
              {correctable(event) && correcting !== event && (
                <PktButton
                  type="button"
                  skin="tertiary"
                  size="small"
                  className="correct-button"
                  aria-label={`Korriger «${EVENT_TITLES[event]}»`}
                  onClick={() => setCorrecting(event)}
                >
                  Korriger
                </PktButton>
              )}
            </dd>
          </div>
        ))}
      </dl>
      {correcting && (
        <CorrectionForm
          stay={stay}
          target={{ event: correcting }}
          currentDate={eventRecordDate(stay, correcting)}
          onCancel={() => setCorrecting(null)}
          onDone={(updated, notice) => {
            setCorrecting(null);
            props.onCorrected?.(updated, notice);
          }}
        />
      )}
    </section>
  );
}

/** "2 dager i uken til 01.03.2027, betales av bydelen" */
export function describeKeepPlace(keep: NonNullable<ExitPlan['keepPlace']>): string {
  const paid = { bydel: 'betales av bydelen', resident: 'betales av beboeren', none: 'ingen betaling' }[keep.paidBy];
  return `${keep.daysPerWeek} ${keep.daysPerWeek === 1 ? 'dag' : 'dager'} i uken til og med ${formatDate(keep.until)}, ${paid}`;
}
