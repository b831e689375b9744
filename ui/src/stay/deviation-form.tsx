// An agreed other time frame for a milestone (§1); the form is generated from the API's DeviationBody.
import { DeviationBody } from '../../../schemas/stays';
import { api, type Milestone, type Stay } from '../api';
import { SchemaForm, specsOf } from '../forms/schema-form';
import { formatDate } from '../format';
import { fieldLabel, milestoneTitle, PARTY, ROLE } from '../texts';

const deviationSpecs = specsOf(DeviationBody).filter((s) => s.name !== 'milestone');

export function DeviationForm(props: { stay: Stay; milestone: Milestone; onDone(stay: Stay): void; onCancel(): void }) {
  return (
    <SchemaForm
      idPrefix={`avvik-${props.milestone.key}`}
      specs={deviationSpecs}
      ariaLabel={`Avtal annen frist for «${milestoneTitle(props.milestone.key)}»`}
      submitLabel="Lagre avtalt frist"
      labelOf={(name) => fieldLabel('deviation', name)}
      refusal={{ admittedAt: props.stay.admittedAt, dateField: 'dueDate' }}
      submit={(body) =>
        api<Stay>(`/api/stays/${props.stay.id}/deviations`, {
          method: 'POST',
          body: { ...body, milestone: props.milestone.key },
        })
      }
      onDone={props.onDone}
      onCancel={props.onCancel}
    />
  );
}

export function describeDeviation(m: Milestone): string | null {
  const d = m.deviation;
  if (!d) return null;
  const confirmed = Object.entries(d.confirmedBy ?? {})
    .map(([party, c]) => `${PARTY[party]?.toLowerCase() ?? party} ${formatDate(c.on)}`)
    .join(' og ');
  const how = d.statedOnBehalfOfBoth
    ? `registrert på vegne av begge parter av ${ROLE[d.statedOnBehalfOfBoth.role]?.toLowerCase() ?? d.statedOnBehalfOfBoth.role}`
    : confirmed
      ? `bekreftet av ${confirmed}`
      : formatDate(d.agreedOn);
  return `Avtalt ny frist ${formatDate(d.dueDate)} (${PARTY[d.agreedBy] ?? d.agreedBy}, ${how}): ${d.reason}`;
}
