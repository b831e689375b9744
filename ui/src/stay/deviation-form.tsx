import { DeviationBody } from '../../../schemas/stays';
import { api, type Milestone, type Stay } from '../api';
import { SchemaForm, specsOf } from '../forms/schema-form';
import { formatDate } from '../format';
import { fieldLabel, milestoneTitle, PARTY } from '../texts';

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
  if (!m.deviation) return null;
  return `Avtalt ny frist ${formatDate(m.deviation.dueDate)} (${PARTY[m.deviation.agreedBy] ?? m.deviation.agreedBy}, ${formatDate(m.deviation.agreedOn)}): ${m.deviation.reason}`;
}
